/**
 * Image sources of add/search (multipart file, http URL, s3:// of the own bucket), size limits,
 * and the write protocol: a face whose vector write failed never reaches the metadata.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { call, httpEvent, lambdaContext } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';
import { main as createSet } from '../../../functions/faces/create-set/handler';
import { main as showSet } from '../../../functions/faces/show-set/handler';
import { main as addFaces } from '../../../functions/faces/add-faces/handler';
import { main as search } from '../../../functions/faces/search/handler';
import { addFaces as addFacesDomain } from '../../../lib/faces/faces';
import { getFaceSet } from '../../../lib/faces/face-sets';
import { intakeImage } from '../../../lib/images';
import { IMAGE_LIMITS } from '../../../lib/faces/contract';
import { readImage } from '../../../lib/faces/image-source';
import { faceModel } from '../../../lib/vision/face-model';
import type { Stores, VectorStore, VectorTable } from '../../../lib/store/ports';

const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');

let env: TestServices;
let token: string;
let projectId: string;
let portrait: Buffer; // one face, ~180 px wide
let tinyFaces: Buffer; // sample 4 at 320 px: faces of ~30 px
let server: Server;
let baseUrl: string;

const base = (name?: string) => ({
  headers: { 'x-auth-token': token },
  pathParameters: name === undefined ? { project_id: projectId } : { project_id: projectId, face_set_name: name },
});

function multipart(fields: Record<string, string>, file: { name: string; filename: string; type: string; content: Buffer }) {
  const boundary = '----iris' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

beforeAll(async () => {
  env = await startServices();
  ({ token, projectId } = await env.project('intake'));
  portrait = await sharp(join(demo, 'sample1.jpg')).extract({ left: 180, top: 60, width: 420, height: 520 }).jpeg().toBuffer();
  tinyFaces = await sharp(join(demo, 'sample4.jpg')).resize({ width: 320 }).jpeg().toBuffer();
  server = createServer((req, res) => {
    if (req.url === '/face.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(portrait);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.IRIS_ALLOW_PRIVATE_URLS = '1';
  await call(createSet, { ...base(), json: { face_set_name: 'intake', external_fields: { level: { type: 'integer' } } } });
  await faceModel();
}, 120_000);

afterAll(async () => {
  delete process.env.IRIS_ALLOW_PRIVATE_URLS;
  server?.close();
  await env?.stop();
});

describe('image sources', () => {
  it('adds from a multipart image_file with form fields', async () => {
    const { body, contentType } = multipart(
      { external_image_id: 'mp-1', external_fields: JSON.stringify({ level: 3 }), single: 'true' },
      { name: 'image_file', filename: 'face.jpg', type: 'image/jpeg', content: portrait },
    );
    const event = httpEvent({ ...base('intake'), method: 'POST', contentType }) as Record<string, unknown>;
    Object.assign(event, { body: body.toString('base64'), isBase64Encoded: true });
    const res = (await addFaces(event as never, lambdaContext())) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    const out = JSON.parse(res.body);
    expect(out.faces).toHaveLength(1);
    expect(out.faces[0]).toMatchObject({ external_image_id: 'mp-1', external_fields: { level: 3 } });
  });

  it('adds from an http image_url and searches from an s3:// URL of the own bucket', async () => {
    const r = await call(addFaces, { ...base('intake'), json: { image_url: `${baseUrl}/face.jpg`, external_image_id: 'url-1' } });
    expect(r.status).toBe(200);
    await env.stores.objects.put(`data/${projectId}/uploads/face.jpg`, portrait);
    const s = await call(search, { ...base('intake'), json: { image_url: `s3://${env.bucket}/data/${projectId}/uploads/face.jpg`, top_n: 2 } });
    expect(s.status).toBe(200);
    expect(s.body.faces).toHaveLength(2);
    expect(s.body.faces[0].similarity).toBeGreaterThan(0.99);
  });

  it('refuses s3:// objects of another project or bucket, and unreachable URLs (FRS.0022)', async () => {
    await env.stores.objects.put('data/other-project/face.jpg', portrait);
    const other = await call(search, { ...base('intake'), json: { image_url: `s3://${env.bucket}/data/other-project/face.jpg` } });
    expect(other.body.error_code).toBe('FRS.0022');
    const bucket = await call(search, { ...base('intake'), json: { image_url: `s3://another-bucket/data/${projectId}/uploads/face.jpg` } });
    expect(bucket.body.error_code).toBe('FRS.0022');
    const missing = await call(addFaces, { ...base('intake'), json: { image_url: `${baseUrl}/missing.jpg` } });
    expect(missing.body.error_code).toBe('FRS.0022');
  });

  it('refuses two image sources at once, none at all, GIFs and oversized images', async () => {
    const two = await call(addFaces, { ...base('intake'), json: { image_base64: portrait.toString('base64'), image_url: `${baseUrl}/face.jpg` } });
    expect(two.body.error_code).toBe('FRS.0012');
    const none = await call(addFaces, { ...base('intake'), json: { external_image_id: 'x' } });
    expect(none.body.error_code).toBe('FRS.0011');
    const gif = await sharp(portrait).gif().toBuffer();
    expect((await call(addFaces, { ...base('intake'), json: { image_base64: gif.toString('base64') } })).body.error_code).toBe('FRS.0016');
    const big = Buffer.concat([portrait, Buffer.alloc(8 * 1024 * 1024)]);
    // Over API Gateway's 10 MB the body itself is refused; below it the 8 MB image cap applies.
    expect((await call(addFaces, { ...base('intake'), json: { image_base64: big.toString('base64') } })).body.error_code).toBe('FRS.0017');
    await expect(readImage({ image_file: { content: big } }, { projectId, bucket: env.bucket, objects: env.stores.objects })).rejects.toMatchObject({
      kind: 'IMAGE_TOO_LARGE',
    });
  });

  it('answers FRS.0013 when every face is under 80x80 px', async () => {
    const r = await call(addFaces, { ...base('intake'), json: { image_base64: tinyFaces.toString('base64') } });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('FRS.0013');
  });
});

describe('face model', () => {
  it('frees every tensor of a detection (a warm container does not grow)', async () => {
    const { tf } = await import('../../../lib/vision/tf');
    const model = await faceModel();
    const { data, info } = await sharp(portrait).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    await model.detect({ data, width: info.width, height: info.height });
    const before = tf.memory().numTensors;
    const faces = await model.detect({ data, width: info.width, height: info.height });
    expect(faces).toHaveLength(1);
    expect(faces[0].descriptor).toHaveLength(128);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('write protocol', () => {
  it('a face whose vector write failed never appears in the metadata', async () => {
    const before = (await call(showSet, { ...base('intake'), method: 'GET' })).body.face_set_info.face_number;
    const failing = (t: VectorTable): VectorTable =>
      Object.assign(Object.create(Object.getPrototypeOf(t)), t, {
        upsert: async () => {
          throw new Error('simulated LanceDB outage');
        },
      });
    const failingVectors: VectorStore = {
      ...env.stores.vectors,
      list: () => env.stores.vectors.list(),
      drop: (n) => env.stores.vectors.drop(n),
      ping: () => env.stores.vectors.ping(),
      openOrCreate: async (n, r) => failing(await env.stores.vectors.openOrCreate(n, r)),
      async open(name) {
        const t = await env.stores.vectors.open(name);
        return t && failing(t);
      },
    };
    const stores: Stores = { ...env.stores, vectors: failingVectors };
    const image = await intakeImage(portrait, IMAGE_LIMITS);
    await expect(addFacesDomain(stores, await faceModel(), { projectId, name: 'intake', image, externalImageId: 'lost' })).rejects.toThrow('simulated');
    const set = await getFaceSet(env.stores, projectId, 'intake');
    expect(set.faceNumber).toBe(before);
    const page = await env.stores.metadata.query({ pk: `FACE#${projectId}#${set.faceSetId}` });
    expect(page.items.some((i) => i.externalImageId === 'lost')).toBe(false);
    // The image of the failed add is not left behind either (no committed face uses this one).
    const lonely = await sharp(portrait).flop().jpeg().toBuffer();
    const image2 = await intakeImage(lonely, IMAGE_LIMITS);
    await expect(addFacesDomain(stores, await faceModel(), { projectId, name: 'intake', image: image2 })).rejects.toThrow('simulated');
    const objects = await env.stores.objects.list(`data/${projectId}/face-sets/${set.faceSetId}/`);
    expect(objects.length).toBe(page.items.length > 0 ? new Set(page.items.map((i) => i.imageKey)).size : 0);
  });
});
