import { defineOperation } from '../../../lib/http/operation';
import { deleteConfig } from '../../../lib/hard-examples/configs';
import { z } from 'zod';
import { configPath } from '../../../lib/hard-examples/params';

/** DELETE /v1/{project_id}/hard-sample-configs/{config_id} */
const schema = z.object({ path: configPath });

/** DELETE /v1/{project_id}/hard-sample-configs/{config_id} → 204 (the dataset and its samples stay). */
export default defineOperation({
  name: 'deleteHardSampleConfig',
  description: 'Deletes a hard-sample configuration (HiLens)',
  method: 'DELETE',
  path: '/v1/{project_id}/hard-sample-configs/{config_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  status: 204,
  run: async ({ input, projectId, stores }) => {
    await deleteConfig(stores.metadata, projectId, input.path.config_id);
    return { statusCode: 204, body: undefined };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
