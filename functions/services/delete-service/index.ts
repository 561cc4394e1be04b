import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { deleteService } from '../../../lib/classify/services';
import { servicePath } from '../../../lib/classify/params';

const schema = z.object({ path: servicePath });

/** DELETE /v1/{project_id}/services/{service_id} → 204 (its model can be deleted once no service uses it). */
export default defineOperation({
  name: 'deleteService',
  description: 'Deletes a predict service (ModelArts dialect)',
  method: 'DELETE',
  path: '/v1/{project_id}/services/{service_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  status: 204,
  run: async ({ input, projectId, stores }) => {
    await deleteService(stores, projectId, input.path.service_id);
    return { statusCode: 204, body: undefined };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
