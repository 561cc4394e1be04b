import { getConfig } from '../../../lib/hard-examples/configs';
import { hardExampleFileName, hardExampleIngestKey } from '../../../lib/hard-examples/names';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/**
 * POST …/hard-sample-configs/{config_id}/upload-url → a presigned PUT straight into S3. The
 * object lands under ingest/{project_id}/hard-examples/ and the ingest trigger turns it into a
 * sample; the returned headers (object metadata) must be sent with the PUT.
 */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const b = input.body;
    const c = await getConfig(stores.metadata, projectId, input.path.config_id);
    const base = hardExampleFileName(b.model_name, b.camera_name, b.index).replace(/\.jpg$/, '');
    const key = hardExampleIngestKey(projectId, c.configId, base, b.format);
    const metadata: Record<string, string> = { 'model-name': b.model_name, 'camera-name': b.camera_name, index: String(b.index) };
    if (b.format !== 'jpg') Object.assign(metadata, { width: String(b.width), height: String(b.height) });
    const contentType = b.format === 'jpg' ? 'image/jpeg' : 'application/octet-stream';
    const url = await stores.objects.presignPut(key, { expiresSeconds: b.expires_in, contentType, metadata });
    const headers = { 'content-type': contentType, ...Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])) };
    return { url, method: 'PUT', key, headers, expires_in: b.expires_in };
  },
});
