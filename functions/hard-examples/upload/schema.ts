import { z } from 'zod';
import { intField } from '../../../lib/hard-examples/params';

/** A multipart file part (@middy/http-multipart-body-parser). */
const filePart = z.object({ content: z.instanceof(Buffer) }).passthrough();
const base64 = z.string().min(1).regex(/^[A-Za-z0-9+/=\s]+$/, 'frame must be base64').transform((s) => Buffer.from(s, 'base64'));

/**
 * POST /v1/{project_id}/hard-examples/{config_id}/{upload_key} — the dataset_path URL. Multipart
 * (a `frame` file part plus fields) or JSON (`frame` in base64). `format` defaults to nv21.
 */
export const schema = z.object({
  path: z.object({ project_id: z.string().min(1).max(64), config_id: z.string().min(1).max(64), upload_key: z.string().min(1).max(128) }),
  body: z.object({
    frame: z.union([filePart.transform((f) => f.content as Buffer), base64]),
    width: intField.optional(),
    height: intField.optional(),
    index: intField,
    model_name: z.string().min(1).max(1024),
    camera_name: z.string().min(1).max(1024),
    format: z.enum(['nv21', 'nv12', 'jpeg']).default('nv21'),
    /** Optional, from the device's is-hard filter (seed 001 table 10). */
    hard_coefficient: z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]).pipe(z.number().min(0).max(1)).optional(),
    hard_reasons: z
      .string()
      .regex(/^\d{1,2}(-\d{1,2})*$/, 'hard_reasons are ids joined by "-", e.g. 1-7')
      .transform((r) => r.split('-').map(Number))
      .pipe(z.array(z.number().int().min(0).max(30)))
      .optional(),
  }),
});
