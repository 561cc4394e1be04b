import { httpApi } from '../../../lib/http/handler';
import { faceSetInfo, getFaceSet } from '../../../lib/faces/face-sets';
import { schema } from './schema';

/** GET /v2/{project_id}/face-sets/{face_set_name} */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => ({ face_set_info: faceSetInfo(await getFaceSet(stores, projectId, input.path.face_set_name)) }),
});
