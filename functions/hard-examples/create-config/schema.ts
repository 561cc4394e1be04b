import { z } from 'zod';
import { configFields } from '../../../lib/hard-examples/params';

/** POST /v1/{project_id}/hard-sample-configs */
export const schema = z.object({
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
      model_name: configFields.model_name,
      setting_config: configFields.setting_config.optional(),
    })
    .refine((b) => b.device_id !== undefined || b.skill_id !== undefined, { message: 'give device_id or skill_id', path: ['device_id'] }),
});
