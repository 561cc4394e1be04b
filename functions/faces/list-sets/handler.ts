import { httpApi } from '../../../lib/http/handler';
import { faceSetInfo, listFaceSets } from '../../../lib/faces/face-sets';
import { schema } from './schema';

/** GET /v2/{project_id}/face-sets */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ projectId, stores }) => ({ face_sets_info: (await listFaceSets(stores, projectId)).map(faceSetInfo) }),
});
