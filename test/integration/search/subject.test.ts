/**
 * Subject boxes (Iris addition, similar and product): the real engine through the API on the
 * local emulators. A product photographed on a busy background is found, its box answered as
 * `query_subject` (query pixels) and the stored image's as `subject` (that image's pixels), and
 * the same-item check, reading the stored keypoint sidecars back from S3, scores it as that item.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as addHandler } from '../../../functions/search/add/handler';
import { main as searchHandler } from '../../../functions/search/search/handler';
import { main as createLibraryHandler } from '../../../functions/search/create-library/handler';
import { KIND_PATHS } from '../../../lib/search/contract';
import type { LibraryKind } from '../../../lib/search/engine';
import { SAME_ITEM_SCORE } from '../../../lib/search/engines/embedding';
import { setEngineProvider, engineFor } from '../../../lib/search/provider';
import { decodeProfile } from '../../../lib/search/images';
import { getLibrary } from '../../../lib/search/library';
import { imageIdOf } from '../../../lib/search/params';
import { libraryKeys } from '../../../lib/store/keys';
import { intakeImage } from '../../../lib/images';
import { imageLimits } from '../../../lib/search/contract';
import { iou, type Rect } from '../../../lib/vision/subject';
import { call } from '../../support/http';
import { photo, requirePhotos } from '../../support/photos';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let project: Awaited<ReturnType<TestServices['project']>>;
const b64 = (b: Buffer) => b.toString('base64');

async function baidu(kind: LibraryKind, op: 'add' | 'search', form: Record<string, string>) {
  const r = await call(op === 'add' ? addHandler : searchHandler, { path: `${KIND_PATHS[kind]}/${op}`, query: { access_token: project.token }, form });
  expect(r.status).toBe(200);
  return r.body;
}

/** A "product": a photo cut to a disc, on transparency. */
async function product(name: string, side: number): Promise<Buffer> {
  const disc = Buffer.from(`<svg width="${side}" height="${side}"><circle cx="${side / 2}" cy="${side / 2}" r="${side / 2}" fill="#fff"/></svg>`);
  return sharp(await sharp(photo(name).path).resize(side, side, { fit: 'cover' }).toBuffer())
    .ensureAlpha()
    .composite([{ input: disc, blend: 'dest-in' }])
    .png()
    .toBuffer();
}

/** The product on white (the catalogue picture) at 600 x 500, centred. */
async function catalogue(name: string): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 500, channels: 3, background: '#ffffff' } })
    .composite([{ input: await product(name, 300), left: 150, top: 100 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

const PRODUCTS = ['yellow-flower', 'garden', 'aitzgorri', 'people-1'];
const QUERY_BOX: Rect = { left: 420, top: 160, width: 220, height: 220 };

beforeAll(async () => {
  requirePhotos([...PRODUCTS, 'wood']);
  env = await startServices();
  project = await env.project('subjects');
  setEngineProvider();
  for (const kind of ['similar', 'product'] as const) {
    const r = await call(createLibraryHandler, {
      method: 'POST',
      path: `/v1/${project.projectId}/image-libraries`,
      pathParameters: { project_id: project.projectId },
      headers: { 'x-auth-token': project.token },
      json: { kind },
    });
    expect(r.status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

describe.each(['similar', 'product'] as const)('%s: subject boxes', (kind) => {
  it('answers the query subject in query pixels and each result\'s subject in its own pixels', async () => {
    const signs: Record<string, string> = {};
    for (const [i, name] of PRODUCTS.entries()) {
      const body = await baidu(kind, 'add', { image: b64(await catalogue(name)), brief: name, ...(kind === 'product' ? { class_id1: String(i + 1) } : {}) });
      expect(body.cont_sign).toBeTruthy();
      signs[body.cont_sign] = name;
    }
    // Each item holds its subject's class profile (80 bytes), the one its engine describes.
    const lib = await getLibrary(env.stores.metadata, project.projectId, kind);
    const first = Object.keys(signs)[0];
    const item = await env.stores.metadata.get(libraryKeys.image(project.projectId, kind, lib.generation, imageIdOf(first)));
    const stored = decodeProfile(item?.profile)!;
    expect(stored).toHaveLength(80);
    const described = (await (await engineFor(lib)).describe(await intakeImage(await catalogue(signs[first]), imageLimits(kind, 'add')))).profile!;
    stored.forEach((v, k) => expect(Math.abs(v - described[k])).toBeLessThanOrEqual(0.5 / 255 + 1e-6));
    // The shopper's photo: the garden disc, smaller, on a wood-grain photograph of 800 x 540.
    const query = await sharp(photo('wood').path)
      .resize(800, 540, { fit: 'cover' })
      .composite([{ input: await product('garden', 220), left: QUERY_BOX.left, top: QUERY_BOX.top }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const found = await baidu(kind, 'search', { image: b64(query) });
    expect(found.result_num).toBe(PRODUCTS.length);
    expect(iou(found.query_subject, QUERY_BOX)).toBeGreaterThan(0.5);
    expect(signs[found.result[0].cont_sign]).toBe('garden');
    // The same-item check matched the query's keypoints to the stored sidecar (read back from S3):
    // the photographed product scores as the same item — 1, from 60 consistent matches up, which an
    // embedding of a different picture never reaches —, nothing else does.
    expect(found.result[0].score).toBe(1);
    for (const r of found.result.slice(1)) expect(r.score).toBeLessThan(SAME_ITEM_SCORE);
    for (const r of found.result) {
      // Every stored catalogue picture holds its disc at (150, 100, 300, 300) of 600 x 500.
      expect(iou(r.subject, { left: 150, top: 100, width: 300, height: 300 })).toBeGreaterThan(0.8);
      expect(Object.keys(r.subject).sort()).toEqual(['height', 'left', 'top', 'width']);
    }
  }, 180_000);

  it('searches for a subject the caller names (Iris addition): that box is the query subject, echoed back', async () => {
    // The same shopper's photo, with the disc named by its box; the library holds the catalogue pictures added above.
    const query = await sharp(photo('wood').path)
      .resize(800, 540, { fit: 'cover' })
      .composite([{ input: await product('garden', 220), left: QUERY_BOX.left, top: QUERY_BOX.top }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const box = `${QUERY_BOX.left},${QUERY_BOX.top},${QUERY_BOX.width},${QUERY_BOX.height}`;
    const found = await baidu(kind, 'search', { image: b64(query), subject: box });
    expect(found.query_subject).toEqual(QUERY_BOX);
    expect(found.result[0].brief).toBe('garden');
    expect(found.result[0].score).toBeGreaterThanOrEqual(SAME_ITEM_SCORE);
    // A box running past the image is clipped to it.
    const clipped = await baidu(kind, 'search', { image: b64(query), subject: '700,400,500,500' });
    expect(clipped.query_subject).toEqual({ left: 700, top: 400, width: 100, height: 140 });
    for (const [bad, why] of [
      ['420,160,220', /four non-negative integers/],
      ['-1,0,10,10', /four non-negative integers/],
      ['a,b,c,d', /four non-negative integers/],
      ['795,0,100,100', /at least 8 x 8 pixels of the 800 x 540 image/],
      ['0,0,0,0', /at least 8 x 8/],
    ] as const) {
      const r = await baidu(kind, 'search', { image: b64(query), subject: bad });
      expect([r.error_code, r.error_msg]).toEqual([216100, expect.stringMatching(why)]);
    }
  }, 180_000);
});

describe('subject on a library that does not take one', () => {
  it('answers 216100 on a same-image search', async () => {
    const made = await call(createLibraryHandler, {
      method: 'POST',
      path: `/v1/${project.projectId}/image-libraries`,
      pathParameters: { project_id: project.projectId },
      headers: { 'x-auth-token': project.token },
      json: { kind: 'same_hq' },
    });
    expect(made.status).toBe(201);
    const r = await baidu('same_hq', 'search', { image: b64(await catalogue('garden')), subject: '0,0,100,100' });
    expect([r.error_code, r.error_msg]).toEqual([216100, expect.stringMatching(/only similar and product/)]);
  });
});
