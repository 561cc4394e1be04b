import { defineOperation } from '../../../lib/http/operation';
import { configView, liveModel, updateConfig } from '../../../lib/hard-examples/configs';
import { z } from 'zod';
import { configFields, configPath } from '../../../lib/hard-examples/params';

/** PUT /v1/{project_id}/hard-sample-configs/{config_id}; `datacur_count` may be reset, `rotate_upload_key` issues a new dataset_path. */
const schema = z.object({
  path: configPath,
  body: z.object({
    camera_names: configFields.camera_names.optional(),
    data_count: configFields.data_count.optional(),
    datacur_count: z.number().int().min(0).optional(),
    model_algorithm: configFields.model_algorithm.optional(),
    model_id: configFields.model_id.optional(),
    model_name: configFields.model_name.optional(),
    service_id: configFields.service_id.nullable().optional(),
    setting_config: configFields.setting_config.optional(),
    rotate_upload_key: z.boolean().optional(),
  }),
});

/** PUT /v1/{project_id}/hard-sample-configs/{config_id} → the updated setting. */
export default defineOperation({
  name: 'updateHardSampleConfig',
  description: 'Changes a hard-sample configuration (quota, cameras, threshold, model) (HiLens)',
  method: 'PUT',
  path: '/v1/{project_id}/hard-sample-configs/{config_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const c = await updateConfig(stores, projectId, input.path.config_id, input.body);
    return configView(c, await liveModel(stores, c));
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
