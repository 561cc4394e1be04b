import { defineOperation } from '../../../lib/http/operation';
import { queryFaces } from '../../../lib/faces/faces';
import { queryFacesSchema } from '../../../lib/faces/schema';

/** GET /v2/{project_id}/face-sets/{face_set_name}/faces?offset=&limit= or ?face_id= (and, an Iris addition, &with_image_url=true) */
export default defineOperation({
  name: 'facesQuery',
  description: 'FRS query faces',
  method: 'GET',
  path: '/v2/{project_id}/face-sets/{face_set_name}/faces',
  family: 'frs',
  auth: 'huawei-token',
  schema: queryFacesSchema,
  run: async ({ input, projectId, stores }) =>
    queryFaces(stores, {
      projectId,
      name: input.path.face_set_name,
      faceId: input.query.face_id,
      offset: input.query.offset,
      limit: input.query.limit,
      withImageUrl: input.query.with_image_url === 'true',
    }),
  access: { objects: [{ prefix: 'data/', actions: ['read'] }], table: ['read'] },
  memory: 256,
  timeout: 10,
});
