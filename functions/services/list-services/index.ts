import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { projectPath } from '../../../lib/datasets/params';
import { listServices, serviceView } from '../../../lib/classify/services';
import { paging, resourceId, serviceViewSchema } from '../../../lib/classify/params';

const schema = z.object({ path: projectPath, query: paging.extend({ model_id: resourceId.optional() }) });

/** GET /v1/{project_id}/services?offset=&limit=&model_id= → { total_count, count, services }. */
export default defineOperation({
  name: 'listServices',
  description: 'Lists predict services (ModelArts dialect)',
  method: 'GET',
  path: '/v1/{project_id}/services',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: z.object({ total_count: z.number(), count: z.number(), services: z.array(serviceViewSchema) }),
  run: async ({ input, projectId, stores }) => {
    const { total, services } = await listServices(stores, projectId, { offset: input.query.offset, limit: input.query.limit, modelId: input.query.model_id });
    return { total_count: total, count: services.length, services: services.map((s) => serviceView(s)) };
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
