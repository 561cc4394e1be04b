import { z } from 'zod';
import { configPath } from '../../../lib/hard-examples/params';

/** POST /v1/{project_id}/hard-sample-configs/{config_id}/upload-url */
export const schema = z.object({
  path: configPath,
  body: z
    .object({
      index: z.number().int().min(0),
      model_name: z.string().min(1).max(1000),
      camera_name: z.string().min(1).max(1000),
      format: z.enum(['jpg', 'nv21', 'nv12']).default('jpg'),
      width: z.number().int().min(2).max(8192).optional(),
      height: z.number().int().min(2).max(8192).optional(),
      expires_in: z.number().int().min(60).max(3600).default(900),
    })
    .refine((b) => b.format === 'jpg' || (b.width !== undefined && b.height !== undefined), { message: 'an NV21/NV12 upload needs width and height', path: ['width'] }),
});
