import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { projectPath } from '../../../lib/datasets/params';
import { createService, serviceView } from '../../../lib/classify/services';
import { hardExamples, name, resourceId, serviceViewSchema } from '../../../lib/classify/params';

const schema = z.object({
  path: projectPath,
  body: z.object({ service_name: name, model_id: resourceId, description: z.string().max(256).optional(), hard_examples: hardExamples.optional() }),
});

/** POST /v1/{project_id}/services → 201 { service_id, service_name, model_id, predict_url, status }. */
export default defineOperation({
  name: 'createService',
  description: 'Publishes a model as a predict service, optionally sending uncertain predictions back as hard examples (ModelArts dialect)',
  method: 'POST',
  path: '/v1/{project_id}/services',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  status: 201,
  response: serviceViewSchema,
  run: async ({ input, projectId, stores }) => {
    const { service, model } = await createService(stores, projectId, input.body);
    return { statusCode: 201, body: serviceView(service, model) };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
