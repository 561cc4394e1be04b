/**
 * The `data:<type>;base64,` header, family by family (docs/*.md "base64 and the data: header"):
 * Baidu `image` and FRS `image_base64` strip it; ModelArts sample `data` and the HiLens upload's
 * `frame` refuse it with ModelArts.0104 and a message saying to send only the base64 data.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as addImage } from '../../../functions/search/add/handler';
import { main as createLibrary } from '../../../functions/search/create-library/handler';
import { main as createSet } from '../../../functions/faces/create-set/handler';
import { main as addFaces } from '../../../functions/faces/add-faces/handler';
import { main as createDataset } from '../../../functions/datasets/create-dataset/handler';
import { main as addSamples } from '../../../functions/datasets/add-samples/handler';
import { main as createConfig } from '../../../functions/hard-examples/create-config/handler';
import { main as upload } from '../../../functions/hard-examples/upload/handler';
import { setEngineProvider } from '../../../lib/search/provider';
import { testEngine, testImage } from '../../support/search-test-engine';
import { call } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let p: Awaited<ReturnType<TestServices['project']>>;
const auth = () => ({ 'x-auth-token': p.token });

beforeAll(async () => {
  env = await startServices();
  p = await env.project('data-url');
  setEngineProvider(async (kind) => testEngine(kind));
});
afterAll(async () => {
  setEngineProvider();
  await env?.stop();
});

describe('Baidu image search: `image` accepts the header', () => {
  it('adds an image sent as a data URL, and knows it again without the header', async () => {
    const lib = await call(createLibrary, { method: 'POST', pathParameters: { project_id: p.projectId }, headers: auth(), json: { kind: 'similar' } });
    expect(lib.status).toBeLessThan(300);
    const img = (await testImage(7)).toString('base64');
    const path = '/rest/2.0/image-classify/v1/realtime_search/similar/add';
    const withHeader = await call(addImage, { path, query: { access_token: p.token }, form: { image: `data:image/jpeg;base64,${img}`, brief: 'a' } });
    expect(withHeader.body.error_code, JSON.stringify(withHeader.body)).toBeUndefined();
    expect(withHeader.body.cont_sign).toMatch(/^\d+,\d+$/);
    // The same bytes: the header was transport only.
    const plain = await call(addImage, { path, query: { access_token: p.token }, form: { image: img, brief: 'a' } });
    expect(plain.body.error_code).toBe(216681);
    const notBase64 = await call(addImage, { path, query: { access_token: p.token }, form: { image: `data:image/jpeg,${img}`, brief: 'a' } });
    expect(notBase64.body.error_code).toBe(216203);
  });
});

describe('FRS: `image_base64` accepts the header', () => {
  it('decodes past the header (the image is then judged on its size), and refuses a data URL that is not base64', async () => {
    const set = await call(createSet, { method: 'POST', pathParameters: { project_id: p.projectId }, headers: auth(), json: { face_set_name: 'dataurl' } });
    expect(set.status).toBe(200);
    // 9000 px wide: over FRS's 8192 px side, which only a decoded header can tell (FRS.0013, not FRS.0015).
    const wide = (await sharp({ create: { width: 9000, height: 8, channels: 3, background: '#888' } }).png().toBuffer()).toString('base64');
    const add = (image_base64: string) =>
      call(addFaces, { method: 'POST', pathParameters: { project_id: p.projectId, face_set_name: 'dataurl' }, headers: auth(), json: { image_base64 } });
    const withHeader = await add(`data:image/png;base64,${wide}`);
    expect(withHeader.body.error_code, JSON.stringify(withHeader.body)).toBe('FRS.0013');
    expect((await add(wide)).body.error_code).toBe('FRS.0013');
    expect((await add(`data:image/png,${wide}`)).body.error_code).toBe('FRS.0015');
  });
});

describe('ModelArts: sample `data` and the HiLens `frame` refuse the header', () => {
  let datasetId: string;
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).jpeg().toBuffer();
    const ds = await call(createDataset, {
      pathParameters: { project_id: p.projectId },
      headers: auth(),
      json: { dataset_name: 'dataurl', data_sources: [{ data_path: '/bucket/in/' }], work_path: '/bucket/out/' },
    });
    expect(ds.status).toBe(200);
    datasetId = ds.body.dataset_id;
  });

  it('add samples: a data URL is refused for that sample with a message saying what to send', async () => {
    const r = await call(addSamples, {
      pathParameters: { project_id: p.projectId, dataset_id: datasetId },
      headers: auth(),
      json: { samples: [{ name: 'a.jpg', data: `data:image/jpeg;base64,${jpeg.toString('base64')}` }, { name: 'b.jpg', data: jpeg.toString('base64') }] },
    });
    expect(r.body.results[0]).toMatchObject({ success: false, error_code: 'ModelArts.0104' });
    expect(r.body.results[0].error_msg).toMatch(/remove the "data:\.\.\.;base64," header/);
    expect(r.body.results[1]).toMatchObject({ success: true });
  });

  it('hard-example upload: a JSON frame with a data URL answers ModelArts.0104', async () => {
    const cfg = await call(createConfig, {
      pathParameters: { project_id: p.projectId },
      headers: auth(),
      json: { dataset_id: datasetId, device_id: 'cam', data_count: 5, model_algorithm: 'image_classification', model_name: 'm' },
    });
    expect(cfg.status, JSON.stringify(cfg.body)).toBe(200);
    const uploadKey = String(cfg.body.dataset_path).split('/').pop()!;
    const send = (frame: string) =>
      call(upload, {
        method: 'POST',
        pathParameters: { project_id: p.projectId, config_id: cfg.body.config_id, upload_key: uploadKey },
        json: { frame, format: 'jpeg', index: 1, model_name: 'm', camera_name: 'front' },
      });
    const withHeader = await send(`data:image/jpeg;base64,${jpeg.toString('base64')}`);
    expect(withHeader.status, JSON.stringify(withHeader.body)).toBe(400);
    expect(withHeader.body.error_code).toBe('ModelArts.0104');
    expect(withHeader.body.error_msg).toMatch(/frame/);
    const plain = await send(jpeg.toString('base64'));
    expect(plain.status, JSON.stringify(plain.body)).toBe(200);
  });
});
