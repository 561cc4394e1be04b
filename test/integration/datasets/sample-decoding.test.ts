/**
 * Samples are stored as given, but every decode of one goes through lib/images' bomb guard: a
 * real 14000×14000 PNG (a 1-bit image, ~25 KB encoded, 196 MP decoded) is stored and its
 * thumbnail is refused with ModelArts.0104 before any pixel is decoded; TIFF is not an image
 * dataset format; a truncated JPEG is stored and its thumbnail refused; ordinary PNG and BMP
 * samples get thumbnails.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as createDataset } from '../../../functions/datasets/create-dataset/handler';
import { main as addSamples } from '../../../functions/datasets/add-samples/handler';
import { main as showSample } from '../../../functions/datasets/show-sample/handler';
import { call } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';
import { bmp24, ihdr, pngFromChunks } from '../../unit/images/helpers';

let env: TestServices;
let p: Awaited<ReturnType<TestServices['project']>>;
let datasetId: string;

/** A complete, valid 1-bit greyscale PNG: every row is a filter byte and width/8 zero bytes. */
function bigPng(width: number, height: number): Buffer {
  const header = ihdr(width, height);
  header[8] = 1; // bit depth 1
  header[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return pngFromChunks([
    ['IHDR', header],
    ['IDAT', deflateSync(raw, { level: 9 })],
    ['IEND', Buffer.alloc(0)],
  ]);
}

const auth = () => ({ 'x-auth-token': p.token });
const add = (samples: unknown[]) => call(addSamples, { pathParameters: { project_id: p.projectId, dataset_id: datasetId }, headers: auth(), json: { samples } });
const show = (sampleId: string, processParameter?: string) =>
  call(showSample, {
    method: 'GET',
    pathParameters: { project_id: p.projectId, dataset_id: datasetId, sample_id: sampleId },
    headers: auth(),
    query: processParameter ? { process_parameter: processParameter } : {},
  });
const thumbnailsOf = async () => (await env.stores.objects.list(`data/${p.projectId}/bucket/out/`)).filter((o) => o.key.includes('/.thumbnails/'));

beforeAll(async () => {
  env = await startServices();
  p = await env.project('decoding');
  const r = await call(createDataset, {
    pathParameters: { project_id: p.projectId },
    headers: auth(),
    json: { dataset_name: 'decoding', data_sources: [{ data_path: '/bucket/in/' }], work_path: '/bucket/out/' },
  });
  expect(r.status).toBe(200);
  datasetId = r.body.dataset_id;
});
afterAll(async () => env?.stop());

describe('a 14000×14000 PNG sample', () => {
  let sampleId: string;

  it('is a real PNG: sharp reads its header as 14000×14000', async () => {
    const png = bigPng(14000, 14000);
    expect(png.length).toBeLessThan(100_000);
    const meta = await sharp(png, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 14000, 14000]);
  });

  it('is stored as given', async () => {
    const png = bigPng(14000, 14000);
    const r = await add([{ name: 'bomb.png', data: png.toString('base64') }]);
    expect(r.body.results[0], JSON.stringify(r.body)).toMatchObject({ success: true });
    sampleId = r.body.results[0].info;
    const stored = await env.stores.objects.get(`data/${p.projectId}${r.body.results[0].name}`);
    expect(stored?.body.equals(png)).toBe(true);
    // Showing it without a thumbnail decodes nothing and works.
    const plain = await show(sampleId);
    expect(plain.status).toBe(200);
    expect(plain.body.url).toBeTruthy();
  });

  it('answers ModelArts.0104 for a thumbnail, naming the pixel limit, and makes none', async () => {
    for (const pp of ['image/resize,m_lfit,h_200', 'image/resize,m_fixed,w_64,h_64']) {
      const r = await show(sampleId, pp);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error_code).toBe('ModelArts.0104');
      expect(r.body.error_msg).toMatch(/14000x14000/);
      expect(r.body.error_msg).toMatch(/pixel limit/);
    }
    expect(await thumbnailsOf()).toEqual([]);
  });
});

describe('TIFF', () => {
  let tiff: Buffer;
  beforeAll(async () => {
    tiff = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 200, b: 10 } } }).tiff().toBuffer();
  });

  it('is not an image dataset format: refused at add with ModelArts.0104', async () => {
    const r = await add([{ name: 'scan.tif', data: tiff.toString('base64') }]);
    expect(r.body.results[0]).toMatchObject({ success: false, error_code: 'ModelArts.0104' });
    expect(r.body.results[0].error_msg).toMatch(/JPEG, PNG, BMP/);
  });

  it('imported by data_source (not decoded at import), its thumbnail answers ModelArts.0104', async () => {
    await env.stores.objects.put(`data/${p.projectId}/bucket/in/scan.tif`, tiff, { contentType: 'image/tiff' });
    const r = await add([{ data_source: { data_path: '/bucket/in/scan.tif' } }]);
    expect(r.body.results[0], JSON.stringify(r.body)).toMatchObject({ success: true });
    const thumb = await show(r.body.results[0].info, 'image/resize,h_50');
    expect(thumb.status, JSON.stringify(thumb.body)).toBe(400);
    expect(thumb.body.error_code).toBe('ModelArts.0104');
    expect(thumb.body.error_msg).toMatch(/tiff images are not accepted/);
  });
});

describe('undecodable and ordinary samples', () => {
  it('a truncated JPEG is stored as given; its thumbnail answers ModelArts.0104', async () => {
    const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().toBuffer();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    const r = await add([{ name: 'cut.jpg', data: truncated.toString('base64') }]);
    expect(r.body.results[0]).toMatchObject({ success: true });
    const thumb = await show(r.body.results[0].info, 'image/resize,h_50');
    expect(thumb.status, JSON.stringify(thumb.body)).toBe(400);
    expect(thumb.body.error_code).toBe('ModelArts.0104');
    expect(thumb.body.error_msg).toMatch(/corrupt or truncated/);
  });

  it('a file over the decode byte cap is refused before it is read', async () => {
    // A referenced object (data_source) has no 8 MB add limit; 33 MB of a PNG signature and zeros.
    const huge = Buffer.alloc(33 * 1024 * 1024);
    bigPng(8, 8).copy(huge);
    await env.stores.objects.put(`data/${p.projectId}/bucket/in/huge.png`, huge, { contentType: 'image/png' });
    const r = await add([{ data_source: { data_path: '/bucket/in/huge.png' } }]);
    expect(r.body.results[0], JSON.stringify(r.body)).toMatchObject({ success: true });
    const thumb = await show(r.body.results[0].info, 'image/resize,h_50');
    expect(thumb.body.error_code).toBe('ModelArts.0104');
    expect(thumb.body.error_msg).toMatch(/byte limit/);
  });

  it('PNG and BMP samples get a thumbnail of the requested size', async () => {
    const png = await sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer();
    const bmp = bmp24(Array.from({ length: 20 }, () => Array.from({ length: 40 }, () => [0, 255, 0] as [number, number, number])));
    const r = await add([
      { name: 'ok.png', data: png.toString('base64') },
      { name: 'ok.bmp', data: bmp.toString('base64') },
    ]);
    expect(r.body.results.map((x: { success: boolean }) => x.success)).toEqual([true, true]);
    for (const [res, width] of [[r.body.results[0], 100], [r.body.results[1], 100]] as const) {
      const thumb = await show(res.info, 'image/resize,m_lfit,h_50');
      expect(thumb.status, JSON.stringify(thumb.body)).toBe(200);
      const got = Buffer.from(await (await fetch(thumb.body.preview)).arrayBuffer());
      const meta = await sharp(got).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', width, 50]);
    }
  });
});
