import { configView, updateConfig } from '../../../lib/hard-examples/configs';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** PUT /v1/{project_id}/hard-sample-configs/{config_id} → the updated setting. */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => configView(await updateConfig(stores.metadata, projectId, input.path.config_id, input.body)),
});
