import { defineOperation } from '../../../lib/http/operation';
import { queryFaces } from '../../../lib/faces/faces';
import { queryFacesSchema } from '../../../lib/faces/schema';

/** GET /v2/{project_id}/face-sets/{face_set_name}/faces?offset=&limit= or ?face_id= */
export default defineOperation({
  name: 'facesQuery',
  description: 'FRS query faces',
  method: 'GET',
  path: '/v2/{project_id}/face-sets/{face_set_name}/faces',
  family: 'frs',
  auth: 'huawei-token',
  schema: queryFacesSchema,
  run: async ({ input, projectId, stores }) =>
    queryFaces(stores, { projectId, name: input.path.face_set_name, faceId: input.query.face_id, offset: input.query.offset, limit: input.query.limit }),
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
