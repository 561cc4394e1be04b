import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { projectPath } from '../../../lib/datasets/params';
import { listModels, modelView } from '../../../lib/classify/models';
import { modelViewSchema, name, paging } from '../../../lib/classify/params';

const schema = z.object({ path: projectPath, query: paging.extend({ model_name: name.optional() }) });

/** GET /v1/{project_id}/models?offset=&limit=&model_name= → { total_count, count, models } (newest first). */
export default defineOperation({
  name: 'listModels',
  description: 'Lists the models that training jobs registered, newest first (ModelArts dialect)',
  method: 'GET',
  path: '/v1/{project_id}/models',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: z.object({ total_count: z.number(), count: z.number(), models: z.array(modelViewSchema) }),
  run: async ({ input, projectId, stores }) => {
    const { total, models } = await listModels(stores, projectId, { offset: input.query.offset, limit: input.query.limit, modelName: input.query.model_name });
    return { total_count: total, count: models.length, models: models.map(modelView) };
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
