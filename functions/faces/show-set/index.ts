import { defineOperation } from '../../../lib/http/operation';
import { faceSetInfo, getFaceSet } from '../../../lib/faces/face-sets';
import { faceSetOnlySchema } from '../../../lib/faces/schema';

/** GET /v2/{project_id}/face-sets/{face_set_name} */
export default defineOperation({
  name: 'facesShowSet',
  description: 'FRS show face set',
  method: 'GET',
  path: '/v2/{project_id}/face-sets/{face_set_name}',
  family: 'frs',
  auth: 'huawei-token',
  schema: faceSetOnlySchema,
  run: async ({ input, projectId, stores }) => ({ face_set_info: faceSetInfo(await getFaceSet(stores, projectId, input.path.face_set_name)) }),
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
