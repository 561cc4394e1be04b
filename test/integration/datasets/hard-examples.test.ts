/**
 * Hard examples end to end: a simulated camera decides which frames are hard and sends them
 * through both paths — HTTP (`upload_jpeg` at dataset_path, via an in-test HTTP server that
 * adapts requests to the Lambda handlers) and straight into S3 (presigned PUT into s3rver, then
 * the ingest trigger's handler with the S3 event).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as createDataset } from '../../../functions/datasets/create-dataset/handler';
import { main as listSamples } from '../../../functions/datasets/list-samples/handler';
import { main as createConfig } from '../../../functions/hard-examples/create-config/handler';
import { main as listConfigs } from '../../../functions/hard-examples/list-configs/handler';
import { main as showConfig } from '../../../functions/hard-examples/show-config/handler';
import { main as updateConfig } from '../../../functions/hard-examples/update-config/handler';
import { main as deleteConfig } from '../../../functions/hard-examples/delete-config/handler';
import { main as uploadUrl } from '../../../functions/hard-examples/upload-url/handler';
import { main as upload } from '../../../functions/hard-examples/upload/handler';
import { main as onObject } from '../../../functions/ingest/on-object/handler';
import { resetConfig } from '../../../lib/config';
import { HardExampleClient } from '../../../clients/hilens/client';
import { isHardClassification } from '../../../clients/hilens/hard';
import { rgbToNv21 } from '../../../lib/images/nv21';
import { ingestStatusPartition } from '../../../lib/store/keys';
import { call, lambdaContext } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let p: Awaited<ReturnType<TestServices['project']>>;
let server: Server;
let endpoint: string;

type Handler = (event: never, context: never) => Promise<unknown>;
const routes: Array<{ method: string; pattern: RegExp; params: string[]; handler: Handler }> = [
  { method: 'GET', pattern: /^\/v1\/([^/]+)\/hard-sample-configs$/, params: ['project_id'], handler: listConfigs as Handler },
  { method: 'POST', pattern: /^\/v1\/([^/]+)\/hard-sample-configs\/([^/]+)\/upload-url$/, params: ['project_id', 'config_id'], handler: uploadUrl as Handler },
  { method: 'POST', pattern: /^\/v1\/([^/]+)\/hard-examples\/([^/]+)\/([^/]+)$/, params: ['project_id', 'config_id', 'upload_key'], handler: upload as Handler },
];

/** Turns a real HTTP request into an API Gateway v2 event (binary bodies base64-encoded) and back. */
async function adapt(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const url = new URL(req.url!, 'http://x');
  const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
  if (!route) return { status: 404, headers: {}, body: '{"error_code":"APIG.0101"}' };
  const m = route.pattern.exec(url.pathname)!;
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
  const event = {
    version: '2.0',
    routeKey: `${req.method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.searchParams.toString(),
    queryStringParameters: url.searchParams.size ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: Object.fromEntries(route.params.map((n, i) => [n, decodeURIComponent(m[i + 1])])),
    headers,
    body: raw.length ? raw.toString('base64') : undefined,
    isBase64Encoded: raw.length > 0,
    requestContext: { requestId: 'it', http: { method: req.method, path: url.pathname } },
  };
  const res = (await route.handler(event as never, lambdaContext() as never)) as { statusCode: number; headers?: Record<string, string>; body?: string };
  return { status: res.statusCode, headers: res.headers ?? {}, body: res.body ?? '' };
}

/** A 64×48 frame of four colour bars plus a tint that changes per frame. */
function cameraFrame(i: number): { rgb: Buffer; width: number; height: number } {
  const width = 64, height = 48;
  const bars = [[220, 40, 40], [40, 200, 60], [40, 60, 220], [(i * 40) % 256, 200, 200]];
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(bars[Math.floor(x / 16)], (y * width + x) * 3);
  return { rgb, width, height };
}

beforeAll(async () => {
  env = await startServices();
  p = await env.project();
  server = createServer((req, res) => {
    adapt(req)
      .then((r) => {
        res.writeHead(r.status, r.headers);
        res.end(r.body);
      })
      .catch((e) => {
        res.writeHead(500);
        res.end(String(e));
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.IRIS_PUBLIC_URL = endpoint;
  resetConfig();
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await env?.stop();
});

const auth = () => ({ 'x-auth-token': p.token });

async function setup(name: string, config: Record<string, unknown> = {}) {
  const ds = await call(createDataset, {
    pathParameters: { project_id: p.projectId },
    headers: auth(),
    json: { dataset_name: name, dataset_type: 0, data_sources: [{ data_path: '/cams/in/' }], work_path: `/cams/${name}/` },
  });
  const cfg = await call(createConfig, {
    pathParameters: { project_id: p.projectId },
    headers: auth(),
    json: { dataset_id: ds.body.dataset_id, device_id: `box-${name}`, camera_names: ['front', 'back'], data_count: 10, model_algorithm: 'image_classification', model_id: 'm1', model_name: 'fruit', setting_config: { thr: 0.6 }, ...config },
  });
  expect(cfg.status).toBe(200);
  return { datasetId: ds.body.dataset_id as string, config: cfg.body };
}

const hardSamples = (datasetId: string) =>
  call(listSamples, { method: 'GET', pathParameters: { project_id: p.projectId, dataset_id: datasetId }, headers: auth(), query: { only_hard: 'true', limit: '100', order: 'asc' } });

describe('hard-sample configuration (get_hard_sample_config)', () => {
  it('returns the HiLens fields with dataset_path built from IRIS_PUBLIC_URL, and can be changed', async () => {
    const { datasetId, config } = await setup('cfg_fields');
    const client = new HardExampleClient({ endpoint, projectId: p.projectId, token: p.token, deviceId: 'box-cfg_fields' });
    const { hard_sample_setting } = await client.getHardSampleConfig();
    expect(hard_sample_setting).toHaveLength(1);
    const s = hard_sample_setting[0];
    expect(s).toMatchObject({ camera_names: ['front', 'back'], data_count: 10, datacur_count: 0, dataset_id: datasetId, dataset_name: 'cfg_fields', model_algorithm: 'image_classification', model_id: 'm1', model_name: 'fruit', setting_config: { thr: 0.6 } });
    expect(s.dataset_path.startsWith(`${endpoint}/v1/${p.projectId}/hard-examples/${config.config_id}/`)).toBe(true);
    const changed = await call(updateConfig, { method: 'PUT', pathParameters: { project_id: p.projectId, config_id: config.config_id }, headers: auth(), json: { data_count: 20, setting_config: { thr: 0.8 }, rotate_upload_key: true } });
    expect(changed.body).toMatchObject({ data_count: 20, setting_config: { thr: 0.8 } });
    expect(changed.body.dataset_path).not.toBe(s.dataset_path);
    // The old URL stops working once the key is rotated.
    expect(await client.uploadJpeg(s.dataset_path, 0, 'fruit', 'front', { data: rgbToNv21(cameraFrame(0).rgb, 64, 48), width: 64, height: 48 })).toBe(false);
    const del = await call(deleteConfig, { method: 'DELETE', pathParameters: { project_id: p.projectId, config_id: config.config_id }, headers: auth() });
    expect(del.status).toBe(204);
    const gone = await call(showConfig, { method: 'GET', pathParameters: { project_id: p.projectId, config_id: config.config_id }, headers: auth() });
    expect(gone.status).toBe(404);
  });
});

describe('a camera sending hard examples over HTTP (upload_jpeg)', () => {
  it('uploads only hard frames as BT.601 JPEG samples with @modelarts:hard = 1 and counts them', async () => {
    const { datasetId } = await setup('cam_http');
    const client = new HardExampleClient({ endpoint, projectId: p.projectId, token: p.token, deviceId: 'box-cam_http' });
    const [setting] = (await client.getHardSampleConfig()).hard_sample_setting;
    // The model's class probabilities per frame: every other frame is unsure.
    const outputs = [[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.95, 0.03, 0.02], [0.5, 0.3, 0.2], [0.34, 0.33, 0.33]];
    const sent: number[] = [];
    for (const [i, probs] of outputs.entries()) {
      const verdict = isHardClassification(probs, setting.setting_config.thr);
      if (!verdict.hard) continue;
      const { rgb, width, height } = cameraFrame(i);
      const nv21 = { data: rgbToNv21(rgb, width, height), width, height };
      expect(await client.uploadJpeg(setting.dataset_path, i, setting.model_name, 'front', nv21, { coefficient: verdict.coefficient, reasons: verdict.reasons })).toBe(true);
      sent.push(i);
    }
    expect(sent).toEqual([1, 3, 4]);
    const listed = await hardSamples(datasetId);
    expect(listed.body.sample_count).toBe(3);
    expect(listed.body.samples.map((s: { sample_name: string }) => s.sample_name)).toEqual(['fruit-front-1.jpg', 'fruit-front-3.jpg', 'fruit-front-4.jpg']);
    expect(listed.body.samples[0].sample_dir).toBe(`/cams/cam_http/dataset-${datasetId}/hard_examples/`);
    expect(listed.body.samples[0].metadata).toMatchObject({ '@modelarts:hard': 1, '@modelarts:size': [64, 48, 3], '@modelarts:hard_reasons': [1] });
    expect(listed.body.samples[0].metadata['@modelarts:hard_coefficient']).toBeCloseTo(0.6, 5);
    // The stored JPEG has the frame's colours (red, green, blue bars).
    const key = `data/${p.projectId}${listed.body.samples[0].source}`;
    const { data, info } = await sharp((await env.stores.objects.get(key))!.body).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number) => [...data.subarray((24 * info.width + x) * 3, (24 * info.width + x) * 3 + 3)];
    for (const [x, want] of [[8, [220, 40, 40]], [24, [40, 200, 60]], [40, [40, 60, 220]]] as const) {
      px(x).forEach((v, c) => expect(Math.abs(v - want[c])).toBeLessThanOrEqual(8));
    }
    expect((await client.getHardSampleConfig()).hard_sample_setting[0].datacur_count).toBe(3);
  });

  it('overwrites the same model-camera-index name, refuses unknown cameras and names over 1024 characters', async () => {
    const { datasetId } = await setup('cam_rules');
    const client = new HardExampleClient({ endpoint, projectId: p.projectId, token: p.token, deviceId: 'box-cam_rules' });
    const [s] = (await client.getHardSampleConfig()).hard_sample_setting;
    const frame = (i: number) => ({ data: rgbToNv21(cameraFrame(i).rgb, 64, 48), width: 64, height: 48 });
    expect(await client.uploadJpeg(s.dataset_path, 7, 'fruit', 'back', frame(1))).toBe(true);
    expect(await client.uploadJpeg(s.dataset_path, 7, 'fruit', 'back', frame(2))).toBe(true);
    expect(await client.uploadJpeg(s.dataset_path, 8, 'fruit', 'side', frame(1))).toBe(false);
    expect(await client.uploadJpeg(s.dataset_path, 9, 'm'.repeat(1020), 'back', frame(1))).toBe(false);
    expect(await client.uploadJpeg(s.dataset_path, 10, 'fruit', 'back', { data: Buffer.alloc(100), width: 64, height: 48 })).toBe(false);
    const listed = await hardSamples(datasetId);
    expect(listed.body.sample_count).toBe(1);
    expect(listed.body.samples[0].sample_name).toBe('fruit-back-7.jpg');
    // Refused uploads do not count against the quota.
    expect((await client.getHardSampleConfig()).hard_sample_setting[0].datacur_count).toBe(2);
  });

  it('refuses uploads past data_count, with ModelArts.0106', async () => {
    await setup('cam_quota', { data_count: 2 });
    const client = new HardExampleClient({ endpoint, projectId: p.projectId, token: p.token, deviceId: 'box-cam_quota' });
    const [s] = (await client.getHardSampleConfig()).hard_sample_setting;
    const frame = { data: rgbToNv21(cameraFrame(0).rgb, 64, 48), width: 64, height: 48 };
    const results = await Promise.all([0, 1, 2, 3].map((i) => client.uploadJpeg(s.dataset_path, i, 'fruit', 'front', frame)));
    expect(results.filter(Boolean)).toHaveLength(2);
    const [after] = (await client.getHardSampleConfig()).hard_sample_setting;
    expect(after.datacur_count).toBe(2);
    const form = new FormData();
    for (const [k, v] of Object.entries({ index: '9', model_name: 'fruit', camera_name: 'front', width: '64', height: '48' })) form.set(k, v);
    form.set('frame', new Blob([frame.data]), 'f.nv21');
    const res = await fetch(s.dataset_path, { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_code: string }).error_code).toBe('ModelArts.0106');
  });
});

describe('a camera sending hard examples straight into S3', () => {
  const s3Event = (key: string) => ({
    Records: [{ s3: { bucket: { name: env.bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), eTag: '', size: 0 } } }],
  });

  it('turns a presigned-PUT NV21 object into a hard sample once, however often the event comes', async () => {
    const { datasetId, config } = await setup('cam_s3');
    const client = new HardExampleClient({ endpoint, projectId: p.projectId, token: p.token, deviceId: 'box-cam_s3' });
    const { rgb, width, height } = cameraFrame(3);
    expect(await client.uploadToS3(config.config_id, 42, 'fruit', 'front', { data: rgbToNv21(rgb, width, height), width, height })).toBe(true);
    const key = `ingest/${p.projectId}/hard-examples/${config.config_id}/fruit-front-42.nv21`;
    const head = await env.stores.objects.head(key);
    expect(head?.metadata).toMatchObject({ width: '64', height: '48' });
    const first = (await onObject(s3Event(key) as never, lambdaContext() as never)) as { outcomes: Array<{ status: string }> };
    const again = (await onObject(s3Event(key) as never, lambdaContext() as never)) as { outcomes: Array<{ status: string }> };
    expect(first.outcomes[0].status).toBe('done');
    expect(again.outcomes[0].status).toBe('duplicate');
    const listed = await hardSamples(datasetId);
    expect(listed.body.sample_count).toBe(1);
    expect(listed.body.samples[0].sample_name).toBe('fruit-front-42.jpg');
    expect((await client.getHardSampleConfig()).hard_sample_setting[0].datacur_count).toBe(1);
  });

  it('imports a .jpg object, and records malformed objects as failed while keeping them', async () => {
    const { datasetId, config } = await setup('cam_s3_bad');
    const jpeg = await sharp(cameraFrame(1).rgb, { raw: { width: 64, height: 48, channels: 3 } }).jpeg().toBuffer();
    const prefix = `ingest/${p.projectId}/hard-examples/${config.config_id}/`;
    await env.stores.objects.put(`${prefix}fruit-back-1.jpg`, jpeg, { contentType: 'image/jpeg' });
    await env.stores.objects.put(`${prefix}fruit-back-2.nv21`, rgbToNv21(cameraFrame(2).rgb, 64, 48)); // no width/height
    await env.stores.objects.put(`${prefix}fruit-back-3.jpg`, Buffer.from('not a jpeg'));
    await env.stores.objects.put(`${prefix}fruit-back-4.nv21`, Buffer.alloc(10), { metadata: { width: '64', height: '48' } });
    const statuses: string[] = [];
    for (const n of ['1.jpg', '2.nv21', '3.jpg', '4.nv21']) {
      const out = (await onObject(s3Event(`${prefix}fruit-back-${n}`) as never, lambdaContext() as never)) as { outcomes: Array<{ status: string }> };
      statuses.push(out.outcomes[0].status);
    }
    expect(statuses).toEqual(['done', 'failed', 'failed', 'failed']);
    const failed = await env.stores.metadata.query({ index: 'gsi1', pk: ingestStatusPartition(`failed#${p.projectId}`) });
    const failedKeys = failed.items.map((i) => i.bucketKey);
    for (const n of ['2.nv21', '3.jpg', '4.nv21']) {
      expect(failedKeys).toContain(`${prefix}fruit-back-${n}`);
      expect(await env.stores.objects.head(`${prefix}fruit-back-${n}`)).not.toBeNull();
    }
    const listed = await hardSamples(datasetId);
    expect(listed.body.samples.map((s: { sample_name: string }) => s.sample_name)).toEqual(['fruit-back-1.jpg']);
    expect(listed.body.samples[0].metadata).toMatchObject({ '@modelarts:hard': 1, '@modelarts:size': [64, 48, 3], camera_name: 'back', index: 1 });
  });
});
