import { configView, getConfig } from '../../../lib/hard-examples/configs';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** GET /v1/{project_id}/hard-sample-configs/{config_id} */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => configView(await getConfig(stores.metadata, projectId, input.path.config_id)),
});
