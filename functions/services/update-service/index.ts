import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { serviceView, updateService } from '../../../lib/classify/services';
import { hardExamples, resourceId, servicePath, serviceViewSchema } from '../../../lib/classify/params';

const schema = z.object({
  path: servicePath,
  body: z.object({ model_id: resourceId.optional(), description: z.string().max(256).optional(), hard_examples: hardExamples.nullable().optional() }),
});

/** PUT /v1/{project_id}/services/{service_id} → the service: switch to another model (version) with no downtime, change the hard-example setting. */
export default defineOperation({
  name: 'updateService',
  description: 'Switches a service to another model or changes its hard-example setting (ModelArts dialect)',
  method: 'PUT',
  path: '/v1/{project_id}/services/{service_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: serviceViewSchema,
  run: async ({ input, projectId, stores }) => {
    const { service, model } = await updateService(stores, projectId, input.path.service_id, input.body);
    return serviceView(service, model);
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
