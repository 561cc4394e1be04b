import { configView, createConfig } from '../../../lib/hard-examples/configs';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** POST /v1/{project_id}/hard-sample-configs → the setting, with its dataset_path upload URL. */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => configView(await createConfig(stores.metadata, projectId, input.body)),
});
