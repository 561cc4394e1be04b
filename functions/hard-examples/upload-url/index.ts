import { defineOperation } from '../../../lib/http/operation';
import { contentTypeOf } from '../../../lib/images/formats';
import { getConfig } from '../../../lib/hard-examples/configs';
import { hardExampleFileName, hardExampleIngestKey } from '../../../lib/hard-examples/names';
import { z } from 'zod';
import { configPath } from '../../../lib/hard-examples/params';

/** POST /v1/{project_id}/hard-sample-configs/{config_id}/upload-url */
const schema = z.object({
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

/**
 * POST …/hard-sample-configs/{config_id}/upload-url → a presigned PUT straight into S3. The
 * object lands under ingest/{project_id}/hard-examples/ and the ingest trigger turns it into a
 * sample; the returned headers (object metadata) must be sent with the PUT.
 */
export default defineOperation({
  name: 'hardExampleUploadUrl',
  description: 'Presigned PUT URL for uploading a hard example straight into S3 (HiLens)',
  method: 'POST',
  path: '/v1/{project_id}/hard-sample-configs/{config_id}/upload-url',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const b = input.body;
    const c = await getConfig(stores.metadata, projectId, input.path.config_id);
    const base = hardExampleFileName(b.model_name, b.camera_name, b.index).replace(/\.jpg$/, '');
    const key = hardExampleIngestKey(projectId, c.configId, base, b.format);
    const metadata: Record<string, string> = { 'model-name': b.model_name, 'camera-name': b.camera_name, index: String(b.index) };
    if (b.format !== 'jpg') Object.assign(metadata, { width: String(b.width), height: String(b.height) });
    const contentType = b.format === 'jpg' ? contentTypeOf('jpeg') : 'application/octet-stream';
    const url = await stores.objects.presignPut(key, { expiresSeconds: b.expires_in, contentType, metadata });
    const headers = { 'content-type': contentType, ...Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])) };
    return { url, method: 'PUT', key, headers, expires_in: b.expires_in };
  },
  access: { objects: [{ prefix: 'ingest/', actions: ['write'] }], table: ['read'] },
  memory: 256,
  timeout: 10,
});
