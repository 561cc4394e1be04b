import { defineOperation } from '../../../lib/http/operation';
import { IrisError } from '../../../lib/errors';
import { configForUpload } from '../../../lib/hard-examples/configs';
import { acceptHardExample, type Frame } from '../../../lib/hard-examples/upload';
import { z } from 'zod';
import { intField } from '../../../lib/hard-examples/params';
import { rule } from '../../../lib/http/validate';

/** A multipart file part (@middy/http-multipart-body-parser). */
const filePart = z.object({ content: z.instanceof(Buffer) }).passthrough();
const base64 = z.string().min(1).regex(/^[A-Za-z0-9+/=\s]+$/, 'frame must be base64').transform((s) => Buffer.from(s, 'base64'));

/**
 * POST /v1/{project_id}/hard-examples/{config_id}/{upload_key} — the dataset_path URL. Multipart
 * (a `frame` file part plus fields) or JSON (`frame` in base64). `format` defaults to nv21.
 */
const schema = z.object({
  path: z.object({ project_id: z.string().min(1).max(64), config_id: z.string().min(1).max(64), upload_key: z.string().min(1).max(128) }),
  body: z.object({
    frame: z.union([filePart.transform((f) => f.content as Buffer), base64]),
    width: intField.optional(),
    height: intField.optional(),
    index: intField,
    model_name: z.string().min(1).max(1024),
    camera_name: z.string().min(1).max(1024),
    format: z.enum(['nv21', 'nv12', 'jpeg']).default('nv21'),
    /** Optional, from the device's is-hard filter (HiLens hard-example settings). */
    hard_coefficient: z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]).pipe(z.number().min(0).max(1)).optional(),
    hard_reasons: z
      .string()
      .regex(/^\d{1,2}(-\d{1,2})*$/, 'hard_reasons are ids joined by "-", e.g. 1-7')
      .transform((r) => r.split('-').map(Number))
      .pipe(z.array(z.number().int().min(0).max(30)))
      .optional(),
  }),
}).superRefine(
  rule(
    ({ body }) => body.format === 'jpeg' || (body.width !== undefined && body.height !== undefined),
    () => new IrisError('MISSING_PARAM', 'an NV21 frame needs width and height', { field: 'width' }),
  ),
);

/**
 * The device's `upload_jpeg` target. The URL itself is the credential (random upload key, checked
 * in constant time), as HiLens hands `dataset_path` to the device. Answers `{ success: true, … }`;
 * any failure is an error envelope with a non-2xx status, which the client maps to False.
 */
export default defineOperation({
  name: 'uploadHardExample',
  description: 'upload_jpeg target (dataset_path): NV21 frame → JPEG hard-example sample (HiLens)',
  method: 'POST',
  path: '/v1/{project_id}/hard-examples/{config_id}/{upload_key}',
  family: 'modelarts',
  auth: 'none',
  bodyTypes: ['multipart', 'json'],
  files: ['frame'],
  schema,
  run: async ({ input, stores, deadline }) => {
    const { path, body } = input;
    const c = await configForUpload(stores.metadata, path.project_id, path.config_id, path.upload_key);
    // The schema's rule guarantees width and height for raw frames.
    const frame: Frame =
      body.format === 'jpeg' ? { format: 'jpeg', bytes: body.frame } : { format: body.format, bytes: body.frame, width: body.width!, height: body.height! };
    const sample = await acceptHardExample(stores, c, {
      index: body.index,
      modelName: body.model_name,
      cameraName: body.camera_name,
      frame,
      hardCoefficient: body.hard_coefficient,
      hardReasons: body.hard_reasons,
    }, { deadline });
    return { success: true, sample_id: sample.sampleId, name: sample.path, datacur_count: sample.datacurCount, data_count: c.dataCount };
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'], nativeLayer: true },
  memory: 1024,
  timeout: 29,
});
