import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { getModel, modelView } from '../../../lib/classify/models';
import { modelPath, modelViewSchema } from '../../../lib/classify/params';

const schema = z.object({ path: modelPath });

/** GET /v1/{project_id}/models/{model_id} → { model_id, model_name, model_version, labels, metrics, dataset_id, job_id, create_time, size }. */
export default defineOperation({
  name: 'showModel',
  description: 'Shows a model: version, labels and evaluation metrics (ModelArts dialect)',
  method: 'GET',
  path: '/v1/{project_id}/models/{model_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: modelViewSchema,
  run: async ({ input, projectId, stores }) => modelView(await getModel(stores, projectId, input.path.model_id)),
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
