import { deleteConfig } from '../../../lib/hard-examples/configs';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** DELETE /v1/{project_id}/hard-sample-configs/{config_id} → 204 (the dataset and its samples stay). */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    await deleteConfig(stores.metadata, projectId, input.path.config_id);
    return { statusCode: 204, body: undefined };
  },
});
