import { configView, listConfigs } from '../../../lib/hard-examples/configs';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** GET /v1/{project_id}/hard-sample-configs → { hard_sample_setting: [...] }, as HiLens get_hard_sample_config returns it. */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const configs = await listConfigs(stores.metadata, projectId, { deviceId: input.query.device_id, skillId: input.query.skill_id });
    return { hard_sample_setting: configs.map(configView) };
  },
});
