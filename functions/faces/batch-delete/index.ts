import { defineOperation } from '../../../lib/http/operation';
import { deleteFaces } from '../../../lib/faces/faces';
import { batchDeleteSchema } from '../../../lib/faces/schema';

/** DELETE /v2/{project_id}/face-sets/{face_set_name}/faces/batch — FRS.0407 when nothing matches. */
export default defineOperation({
  name: 'facesBatchDelete',
  description: 'FRS batch delete faces by filter',
  method: 'DELETE',
  path: '/v2/{project_id}/face-sets/{face_set_name}/faces/batch',
  family: 'frs',
  auth: 'huawei-token',
  schema: batchDeleteSchema,
  run: async ({ input, projectId, stores }) =>
    deleteFaces(stores, { projectId, name: input.path.face_set_name, by: { filter: input.body.filter } }),
  access: { objects: [{ prefix: 'data/', actions: ['read', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 512,
  timeout: 30,
});
