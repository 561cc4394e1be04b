import { z } from 'zod';
import { configFields, configPath } from '../../../lib/hard-examples/params';

/** PUT /v1/{project_id}/hard-sample-configs/{config_id}; `datacur_count` may be reset, `rotate_upload_key` issues a new dataset_path. */
export const schema = z.object({
  path: configPath,
  body: z.object({
    camera_names: configFields.camera_names.optional(),
    data_count: configFields.data_count.optional(),
    datacur_count: z.number().int().min(0).optional(),
    model_algorithm: configFields.model_algorithm.optional(),
    model_id: configFields.model_id.optional(),
    model_name: configFields.model_name.optional(),
    setting_config: configFields.setting_config.optional(),
    rotate_upload_key: z.boolean().optional(),
  }),
});
