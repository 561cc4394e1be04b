import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { getModel } from '../../../lib/classify/models';
import { getService, serviceView } from '../../../lib/classify/services';
import { servicePath, serviceViewSchema } from '../../../lib/classify/params';

const schema = z.object({ path: servicePath });

/** GET /v1/{project_id}/services/{service_id} → the service with its model's name and version and its predict_url. */
export default defineOperation({
  name: 'showService',
  description: 'Shows a predict service and its predict_url (ModelArts dialect)',
  method: 'GET',
  path: '/v1/{project_id}/services/{service_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: serviceViewSchema,
  run: async ({ input, projectId, stores }) => {
    const sv = await getService(stores, projectId, input.path.service_id);
    return serviceView(sv, await getModel(stores, projectId, sv.modelId));
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
