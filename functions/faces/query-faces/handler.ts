import { httpApi } from '../../../lib/http/handler';
import { queryFaces } from '../../../lib/faces/faces';
import { schema } from './schema';

/** GET /v2/{project_id}/face-sets/{face_set_name}/faces?offset=&limit= or ?face_id= */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) =>
    queryFaces(stores, { projectId, name: input.path.face_set_name, faceId: input.query.face_id, offset: input.query.offset, limit: input.query.limit }),
});
