import { defineOperation } from '../../../lib/http/operation';
import { configView, listConfigs, liveModel } from '../../../lib/hard-examples/configs';
import { z } from 'zod';

/** GET /v1/{project_id}/hard-sample-configs?device_id=&skill_id= */
const schema = z.object({
  path: z.object({ project_id: z.string().min(1).max(64) }),
  query: z.object({ device_id: z.string().min(1).max(128).optional(), skill_id: z.string().min(1).max(128).optional() }),
});

/** GET /v1/{project_id}/hard-sample-configs → { hard_sample_setting: [...] }, as HiLens get_hard_sample_config returns it. */
export default defineOperation({
  name: 'listHardSampleConfigs',
  description: 'get_hard_sample_config: the hard-sample settings of a device or skill (HiLens)',
  method: 'GET',
  path: '/v1/{project_id}/hard-sample-configs',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const configs = await listConfigs(stores.metadata, projectId, { deviceId: input.query.device_id, skillId: input.query.skill_id });
    // One lookup per named service, however many configs name it.
    const live = new Map<string, ReturnType<typeof liveModel>>();
    const views = await Promise.all(
      configs.map(async (c) => {
        const key = c.serviceId ?? '';
        if (!live.has(key)) live.set(key, liveModel(stores, c));
        return configView(c, await live.get(key)!);
      }),
    );
    return { hard_sample_setting: views };
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
