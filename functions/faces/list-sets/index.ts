import { defineOperation } from '../../../lib/http/operation';
import { faceSetInfo, listFaceSets } from '../../../lib/faces/face-sets';
import { projectOnlySchema } from '../../../lib/faces/schema';

/** GET /v2/{project_id}/face-sets */
export default defineOperation({
  name: 'facesListSets',
  description: 'FRS list face sets',
  method: 'GET',
  path: '/v2/{project_id}/face-sets',
  family: 'frs',
  auth: 'huawei-token',
  schema: projectOnlySchema,
  run: async ({ projectId, stores }) => ({ face_sets_info: (await listFaceSets(stores, projectId)).map(faceSetInfo) }),
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
