import { defineOperation } from '../../../lib/http/operation';
import { configView, getConfig, liveModel } from '../../../lib/hard-examples/configs';
import { z } from 'zod';
import { configPath } from '../../../lib/hard-examples/params';

/** GET /v1/{project_id}/hard-sample-configs/{config_id} */
const schema = z.object({ path: configPath });

/** GET /v1/{project_id}/hard-sample-configs/{config_id} */
export default defineOperation({
  name: 'showHardSampleConfig',
  description: 'Shows a hard-sample configuration (HiLens)',
  method: 'GET',
  path: '/v1/{project_id}/hard-sample-configs/{config_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const c = await getConfig(stores.metadata, projectId, input.path.config_id);
    return configView(c, await liveModel(stores, c));
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
