import { defineOperation } from '../../../lib/http/operation';
import { configView, createConfig, liveModel } from '../../../lib/hard-examples/configs';
import { z } from 'zod';
import { configFields } from '../../../lib/hard-examples/params';

/** POST /v1/{project_id}/hard-sample-configs */
const schema = z.object({
  path: z.object({ project_id: z.string().min(1).max(64) }),
  body: z
    .object({
      dataset_id: z.string().min(1).max(64),
      device_id: z.string().min(1).max(128).optional(),
      skill_id: z.string().min(1).max(128).optional(),
      camera_names: configFields.camera_names.default([]),
      data_count: configFields.data_count,
      model_algorithm: configFields.model_algorithm,
      model_id: configFields.model_id.optional(),
      model_name: configFields.model_name.optional(),
      service_id: configFields.service_id.optional(),
      setting_config: configFields.setting_config.optional(),
    })
    .refine((b) => b.device_id !== undefined || b.skill_id !== undefined, { message: 'give device_id or skill_id', path: ['device_id'] })
    .refine((b) => b.model_name !== undefined || b.service_id !== undefined, { message: 'give model_name, or service_id to name a service\'s model', path: ['model_name'] }),
});

/** POST /v1/{project_id}/hard-sample-configs → the setting, with its dataset_path upload URL (and, with service_id, the service's current model). */
export default defineOperation({
  name: 'createHardSampleConfig',
  description: 'Creates a hard-sample configuration for a device or skill (HiLens)',
  method: 'POST',
  path: '/v1/{project_id}/hard-sample-configs',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const c = await createConfig(stores, projectId, input.body);
    return configView(c, await liveModel(stores, c));
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
