/**
 * The Baidu-compatible image-search API through its handlers, with real local stores
 * (dynalite, s3rver, LanceDB) and a deterministic test engine in place of the real ones.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as addHandler } from '../../../functions/search/add/handler';
import { main as searchHandler } from '../../../functions/search/search/handler';
import { main as updateHandler } from '../../../functions/search/update/handler';
import { main as deleteHandler } from '../../../functions/search/delete/handler';
import { main as createLibraryHandler } from '../../../functions/search/create-library/handler';
import { main as listLibrariesHandler } from '../../../functions/search/list-libraries/handler';
import { main as updateLibraryHandler } from '../../../functions/search/update-library/handler';
import { main as deleteLibraryHandler } from '../../../functions/search/delete-library/handler';
import { KIND_PATHS } from '../../../lib/search/contract';
import type { LibraryKind } from '../../../lib/search/engine';
import { getLibrary, libraryObjectPrefix, libraryTable } from '../../../lib/search/library';
import { setEngineProvider } from '../../../lib/search/provider';
import { call } from '../../support/http';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let project: Awaited<ReturnType<TestServices['project']>>;
let server: Server;
let baseUrl: string;
const served = new Map<string, Buffer>();

const handlers = { add: addHandler, search: searchHandler, update: updateHandler, delete: deleteHandler };

async function baidu(kind: LibraryKind, op: keyof typeof handlers, form: Record<string, string>, token = project.token) {
  const path = `${KIND_PATHS[kind]}/${op}`;
  const r = await call(handlers[op], { path, query: { access_token: token, aipSdk: 'node' }, form });
  expect(r.status).toBe(200);
  expect(typeof r.body.log_id).toBe('number');
  return r.body;
}

const b64 = (b: Buffer) => b.toString('base64');

async function createLibrary(kind: LibraryKind, capacity?: number, p = project) {
  return call(createLibraryHandler, {
    method: 'POST',
    path: `/v1/${p.projectId}/image-libraries`,
    pathParameters: { project_id: p.projectId },
    headers: { 'x-auth-token': p.token },
    json: capacity === undefined ? { kind } : { kind, capacity },
  });
}

const listLibraries = () =>
  call(listLibrariesHandler, {
    method: 'GET',
    path: `/v1/${project.projectId}/image-libraries`,
    pathParameters: { project_id: project.projectId },
    headers: { 'x-auth-token': project.token },
  });

async function countOf(kind: LibraryKind): Promise<number> {
  return (await getLibrary(env.stores.metadata, project.projectId, kind)).count;
}

async function storedObjects(kind: LibraryKind): Promise<string[]> {
  const lib = await getLibrary(env.stores.metadata, project.projectId, kind);
  return (await env.stores.objects.list(libraryObjectPrefix(lib))).map((o) => o.key);
}

async function vectorRows(kind: LibraryKind): Promise<Array<Record<string, unknown>>> {
  const lib = await getLibrary(env.stores.metadata, project.projectId, kind);
  const table = await env.stores.vectors.open(libraryTable(lib));
  return table ? table.scan({ select: ['id', 'item', 'part', 'tag_a', 'tag_b', 'class_1', 'class_2'] }) : [];
}

beforeAll(async () => {
  env = await startServices();
  project = await env.project('search');
  process.env.IRIS_ALLOW_PRIVATE_URLS = '1';
  setEngineProvider(async (kind) => testEngine(kind, kind === 'same_hq' || kind === 'picturebook' ? { threshold: 0.9 } : {}));
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const kind of ['same_hq', 'similar', 'product', 'picturebook', 'materiel'] as const) {
    expect((await createLibrary(kind)).status).toBe(201);
  }
});

afterAll(async () => {
  setEngineProvider();
  await new Promise<void>((r) => server?.close(() => r()));
  await env?.stop();
});

describe('library provisioning', () => {
  it('creates one library per kind with a default capacity of 500,000 and lists them with counts', async () => {
    const r = await listLibraries();
    expect(r.status).toBe(200);
    const kinds = r.body.libraries.map((l: { kind: string }) => l.kind).sort();
    expect(kinds).toEqual(['materiel', 'picturebook', 'product', 'same_hq', 'similar']);
    for (const l of r.body.libraries) expect(l).toMatchObject({ capacity: 500_000 });
  });

  it('refuses a second library of the same kind (409) and an unknown kind (400)', async () => {
    const dup = await createLibrary('same_hq');
    expect(dup.status).toBe(409);
    const bad = await createLibrary('faces' as LibraryKind);
    expect(bad.status).toBe(400);
    expect(bad.body.error_msg).toContain('kind');
  });

  it("refuses another project's path (403)", async () => {
    const other = await env.project('other');
    const r = await call(listLibrariesHandler, {
      method: 'GET',
      path: `/v1/${other.projectId}/image-libraries`,
      pathParameters: { project_id: other.projectId },
      headers: { 'x-auth-token': project.token },
    });
    expect(r.status).toBe(403);
  });

  it('answers 216017 on every operation of an unprovisioned library', async () => {
    const other = await env.project('unprovisioned');
    const image = b64(await testImage(1));
    for (const [op, form] of [
      ['add', { image, brief: 'x' }],
      ['search', { image }],
      ['update', { cont_sign: '1,2', brief: 'y' }],
      ['delete', { cont_sign: '1,2' }],
    ] as const) {
      const body = await baidu('similar', op, form, other.token);
      expect(body.error_code).toBe(216017);
    }
  });

  it('answers 110 without a valid access token', async () => {
    const body = await baidu('similar', 'search', { image: b64(await testImage(1)) }, 'nope');
    expect(body.error_code).toBe(110);
  });
});

describe('add and search', () => {
  it('adds an image, returns a "uint32,uint32" cont_sign and finds it with the brief verbatim', async () => {
    const image = await testImage(10);
    const brief = '{"name":"周杰伦", "id":"666"}';
    const added = await baidu('same_hq', 'add', { image: b64(image), brief, tags: '100,11' });
    expect(added.error_code).toBeUndefined();
    expect(added.cont_sign).toMatch(/^\d{1,10},\d{1,10}$/);
    const [a, b] = added.cont_sign.split(',').map(Number);
    expect(a).toBeLessThanOrEqual(0xffffffff);
    expect(b).toBeLessThanOrEqual(0xffffffff);

    const found = await baidu('same_hq', 'search', { image: b64(image) });
    expect(found.result_num).toBe(1);
    expect(found.result[0].cont_sign).toBe(added.cont_sign);
    expect(found.result[0].brief).toBe(brief);
    expect(found.result[0].score).toBeGreaterThan(0.99);
    expect(found.result[0].score).toBeLessThanOrEqual(1);
    expect(found.has_more).toBe(false);
  });

  it('does not return unrelated images from a thresholded (same-image) library', async () => {
    const found = await baidu('same_hq', 'search', { image: b64(await testImage(999)) });
    expect(found.error_code).toBeUndefined();
    expect(found.result_num).toBe(0);
    expect(found.result).toEqual([]);
  });

  it('answers 216681 for an image already in the library and stores nothing more', async () => {
    const image = b64(await testImage(11, { format: 'png' }));
    const first = await baidu('same_hq', 'add', { image, brief: 'first' });
    const before = { count: await countOf('same_hq'), objects: (await storedObjects('same_hq')).length, rows: (await vectorRows('same_hq')).length };
    const again = await baidu('same_hq', 'add', { image, brief: 'second' });
    expect(again.error_code).toBe(216681);
    expect(await countOf('same_hq')).toBe(before.count);
    expect((await storedObjects('same_hq')).length).toBe(before.objects);
    expect((await vectorRows('same_hq')).length).toBe(before.rows);
    const found = await baidu('same_hq', 'search', { image });
    expect(found.result.map((r: { brief: string }) => r.brief)).toEqual(['first']);
    expect(found.result[0].cont_sign).toBe(first.cont_sign);
  });

  it('gives the same cont_sign for the same pixels, whatever the container', async () => {
    const png = await testImage(12, { format: 'png' });
    const raw = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const png2 = await sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: raw.info.channels } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    expect(png2.equals(png)).toBe(false);
    const added = await baidu('materiel', 'add', { image: b64(png), brief: 'p' });
    const again = await baidu('materiel', 'add', { image: b64(png2), brief: 'p2' });
    expect(again.error_code).toBe(216681);
    expect(again.error_msg).toContain(added.cont_sign);
  });

  it('takes the image from a url, and image wins when both are given', async () => {
    const byUrl = await testImage(13);
    served.set('/u13.jpg', byUrl);
    const added = await baidu('similar', 'add', { url: `${baseUrl}/u13.jpg`, brief: 'from url' });
    expect(added.cont_sign).toMatch(/^\d+,\d+$/);
    const other = await testImage(14);
    const both = await baidu('similar', 'add', { image: b64(other), url: `${baseUrl}/u13.jpg`, brief: 'image wins' });
    expect(both.error_code).toBeUndefined();
    expect(both.cont_sign).not.toBe(added.cont_sign);
    const found = await baidu('similar', 'search', { url: `${baseUrl}/u13.jpg`, rn: '1' });
    expect(found.result[0]).toMatchObject({ cont_sign: added.cont_sign, brief: 'from url' });
  });
});

describe('JSON bodies', () => {
  it('accepts JSON as well as forms, with numbers where clients send them unquoted', async () => {
    const image = b64(await testImage(15, { width: 320, height: 320 }));
    const path = `${KIND_PATHS.product}/add`;
    const added = await call(addHandler, { path, query: { access_token: project.token }, json: { image, brief: 'json', class_id1: 12, class_id2: 3 } });
    expect(added.body.cont_sign).toMatch(/^\d+,\d+$/);
    const found = await call(searchHandler, { path: `${KIND_PATHS.product}/search`, query: { access_token: project.token }, json: { image, class_id1: 12, rn: 1 } });
    expect(found.body.result).toEqual([expect.objectContaining({ cont_sign: added.body.cont_sign, brief: 'json' })]);
  });
});

describe('limits and codes', () => {
  const cases: Array<[string, () => Promise<Record<string, string>>, LibraryKind, number, string]> = [
    ['missing brief', async () => ({ image: b64(await testImage(20)) }), 'same_hq', 216101, 'brief'],
    ['missing image and url', async () => ({ brief: 'x' }), 'same_hq', 216101, 'image'],
    ['brief over 256 bytes', async () => ({ image: b64(await testImage(20)), brief: '周'.repeat(86) }), 'same_hq', 216103, 'brief'],
    ['url over 1024 bytes', async () => ({ url: `http://example.com/${'a'.repeat(1100)}`, brief: 'x' }), 'same_hq', 216103, 'url'],
    ['a third tag', async () => ({ image: b64(await testImage(20)), brief: 'x', tags: '1,2,3' }), 'same_hq', 216100, 'tags'],
    ['tag 65536', async () => ({ image: b64(await testImage(20)), brief: 'x', tags: '65536' }), 'similar', 216100, 'tags'],
    ['class_id1 61', async () => ({ image: b64(await testImage(20, { width: 320 })), brief: 'x', class_id1: '61' }), 'product', 216100, 'class_id1'],
    ['bad base64', async () => ({ image: 'not base64!!', brief: 'x' }), 'same_hq', 216203, 'image'],
    ['an image field with no data', async () => ({ image: 'data:image/jpeg;base64,', brief: 'x' }), 'similar', 216200, 'image'],
    ['a gif', async () => ({ image: b64(await sharp(await testImage(20)).gif().toBuffer()), brief: 'x' }), 'same_hq', 216201, 'image'],
    ['same-image side under 50 px', async () => ({ image: b64(await testImage(20, { width: 49, height: 80 })), brief: 'x' }), 'same_hq', 216202, 'image'],
    ['product side under 300 px', async () => ({ image: b64(await testImage(20, { width: 299, height: 400 })), brief: 'x' }), 'product', 216202, 'image'],
    ['picture-book side under 150 px', async () => ({ image: b64(await testImage(20, { width: 149, height: 400 })), brief: 'x' }), 'picturebook', 216202, 'image'],
    ['picture-book aspect over 10:1', async () => ({ image: b64(await testImage(20, { width: 1600, height: 155 })), brief: 'x' }), 'picturebook', 216202, 'image'],
    ['side over 4096 px', async () => ({ image: b64(await testImage(20, { width: 4097, height: 60 })), brief: 'x' }), 'similar', 216202, 'image'],
  ];
  for (const [rule, form, kind, code, field] of cases) {
    it(`answers ${code} naming ${field} for ${rule} (${kind})`, async () => {
      const body = await baidu(kind, 'add', await form());
      expect(body.error_code).toBe(code);
      expect(body.error_msg).toContain(field);
    });
  }

  it('answers 216202 for a base64 image over 4 MB', async () => {
    const body = await baidu('similar', 'search', { image: 'A'.repeat(4 * 1024 * 1024 + 4) });
    expect(body.error_code).toBe(216202);
  });

  it('lets a similar update take a 20 px image (15 px minimum) where add needs 50 px', async () => {
    const tiny = b64(await testImage(21, { width: 20, height: 20, format: 'png' }));
    expect((await baidu('similar', 'add', { image: tiny, brief: 'x' })).error_code).toBe(216202);
    const upd = await baidu('similar', 'update', { image: tiny, brief: 'x' });
    expect(upd.error_code).toBe(216100); // passes the size check; the image is simply not in the library
    expect(upd.error_msg).toContain('not in the library');
  });

  it('answers the quota code past capacity and stores nothing for the refused image', async () => {
    const other = await env.project('small');
    expect((await createLibrary('similar', 2, other)).status).toBe(201);
    for (const seed of [30, 31]) expect((await baidu('similar', 'add', { image: b64(await testImage(seed)), brief: 'ok' }, other.token)).cont_sign).toBeTruthy();
    const full = await baidu('similar', 'add', { image: b64(await testImage(32)), brief: 'too many' }, other.token);
    expect(full.error_code).toBe(19);
    expect(full.error_msg).toContain('full');
    const lib = await getLibrary(env.stores.metadata, other.projectId, 'similar');
    expect(lib.count).toBe(2);
    expect((await env.stores.objects.list(libraryObjectPrefix(lib))).length).toBe(6); // 2 images, their sidecars and thumbnails
    const raised = await call(updateLibraryHandler, {
      method: 'PUT',
      path: `/v1/${other.projectId}/image-libraries/similar`,
      pathParameters: { project_id: other.projectId, kind: 'similar' },
      headers: { 'x-auth-token': other.token },
      json: { capacity: 3 },
    });
    expect(raised.status).toBe(200);
    expect(raised.body.library).toMatchObject({ capacity: 3, image_count: 2 });
    expect((await baidu('similar', 'add', { image: b64(await testImage(32)), brief: 'now fits' }, other.token)).cont_sign).toBeTruthy();
  });
});

describe('tag filters and paging (similar: ranks everything)', () => {
  let kindProject: Awaited<ReturnType<TestServices['project']>>;
  const signs: Record<string, string[]> = { none: [], t7: [], t8: [], both: [] };
  beforeAll(async () => {
    kindProject = await env.project('paging');
    await createLibrary('similar', undefined, kindProject);
    let seed = 100;
    const add = async (group: keyof typeof signs, tags?: string) => {
      const body = await baidu('similar', 'add', { image: b64(await testImage(seed++, { width: 64, height: 64 })), brief: `${group}-${seed}`, ...(tags ? { tags } : {}) }, kindProject.token);
      signs[group].push(body.cont_sign);
    };
    for (let i = 0; i < 24; i++) await add('none');
    for (let i = 0; i < 6; i++) await add('t7', '7');
    for (let i = 0; i < 3; i++) await add('t8', '8');
    for (let i = 0; i < 2; i++) await add('both', '8,7');
  });

  const search = async (form: Record<string, string>) => baidu('similar', 'search', { image: b64(await testImage(5000, { width: 64, height: 64 })), ...form }, kindProject.token);
  const got = (body: { result: Array<{ cont_sign: string }> }) => body.result.map((r) => r.cont_sign).sort();

  it('returns every image ranked, best first, without paging', async () => {
    const all = await search({});
    expect(all.result_num).toBe(35);
    const scores = all.result.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(all.has_more).toBe(false);
  });

  it('filters by one tag inside the vector query and still fills the page', async () => {
    const r = await search({ tags: '7', rn: '8' });
    expect(got(r)).toEqual([...signs.t7, ...signs.both].sort());
  });

  it('ANDs tags with tag_logic=0 and ORs them with tag_logic=1', async () => {
    expect(got(await search({ tags: '7,8', tag_logic: '0' }))).toEqual([...signs.both].sort());
    expect(got(await search({ tags: '7,8' }))).toEqual([...signs.both].sort());
    expect(got(await search({ tags: '7,8', tag_logic: '1' }))).toEqual([...signs.t7, ...signs.t8, ...signs.both].sort());
  });

  it('pages with pn/rn over the same ranking and reports has_more', async () => {
    const all = (await search({})).result;
    const page = await search({ pn: '10', rn: '5' });
    expect(page.result).toEqual(all.slice(10, 15));
    expect(page.has_more).toBe(true);
    const last = await search({ pn: '30', rn: '10' });
    expect(last.result).toEqual(all.slice(30));
    expect(last.result_num).toBe(5);
    expect(last.has_more).toBe(false);
  });
});

describe('update', () => {
  it('replaces brief and tags by cont_sign, in the item and in the vector rows', async () => {
    const image = b64(await testImage(40));
    const { cont_sign } = await baidu('materiel', 'add', { image, brief: 'old', tags: '1' });
    expect((await baidu('materiel', 'update', { cont_sign, brief: 'new', tags: '2,3' })).error_code).toBeUndefined();
    const found = await baidu('materiel', 'search', { image, rn: '1' });
    expect(found.result[0]).toMatchObject({ cont_sign, brief: 'new' });
    expect((await baidu('materiel', 'search', { image, tags: '1' })).result.map((r: { cont_sign: string }) => r.cont_sign)).not.toContain(cont_sign);
    expect((await baidu('materiel', 'search', { image, tags: '3', rn: '1' })).result[0].cont_sign).toBe(cont_sign);
    const rows = (await vectorRows('materiel')).filter((r) => r.item === cont_sign.replace(',', '_'));
    expect(rows.length).toBe(2);
    for (const r of rows) expect([r.tag_a, r.tag_b]).toEqual([2, 3]);
  });

  it('finds the image by image, then url, then cont_sign (image first)', async () => {
    const a = await testImage(41);
    const b = await testImage(42);
    served.set('/u42.jpg', b);
    const sa = (await baidu('similar', 'add', { image: b64(a), brief: 'a' })).cont_sign;
    const sb = (await baidu('similar', 'add', { image: b64(b), brief: 'b' })).cont_sign;
    await baidu('similar', 'update', { image: b64(a), url: `${baseUrl}/u42.jpg`, cont_sign: sb, brief: 'a by image' });
    await baidu('similar', 'update', { url: `${baseUrl}/u42.jpg`, cont_sign: sa, brief: 'b by url' });
    const top = async (img: Buffer) => (await baidu('similar', 'search', { image: b64(img), rn: '1' })).result[0];
    expect(await top(a)).toMatchObject({ cont_sign: sa, brief: 'a by image' });
    expect(await top(b)).toMatchObject({ cont_sign: sb, brief: 'b by url' });
  });

  it('updates product class ids and filters on them', async () => {
    const image = b64(await testImage(43, { width: 320, height: 320 }));
    const { cont_sign } = await baidu('product', 'add', { image, brief: 'shoe', class_id1: '5', class_id2: '9' });
    expect((await baidu('product', 'search', { image, class_id1: '5' })).result[0].cont_sign).toBe(cont_sign);
    expect((await baidu('product', 'search', { image, class_id1: '6' })).result_num).toBe(0);
    await baidu('product', 'update', { cont_sign, class_id1: '6' });
    expect((await baidu('product', 'search', { image, class_id1: '6', class_id2: '9' })).result[0]).toMatchObject({ cont_sign, brief: 'shoe' });
    expect((await baidu('product', 'search', { image, class_id1: '5' })).result_num).toBe(0);
  });

  it('answers 216100 for an unknown or malformed cont_sign and 216101 with nothing to change', async () => {
    expect((await baidu('similar', 'update', { cont_sign: '1,2', brief: 'x' })).error_code).toBe(216100);
    const bad = await baidu('similar', 'update', { cont_sign: '8cnn32frvrr2cd901', brief: 'x' });
    expect(bad.error_code).toBe(216100);
    expect(bad.error_msg).toContain('cont_sign');
    expect((await baidu('similar', 'update', { cont_sign: '1,2' })).error_code).toBe(216101);
  });
});

describe('delete', () => {
  it('deletes several cont_signs separated by ";": item, vectors, objects and count', async () => {
    const images = await Promise.all([50, 51, 52].map((s) => testImage(s)));
    const signs: string[] = [];
    for (const img of images) signs.push((await baidu('picturebook', 'add', { image: b64(img), brief: 'page' })).cont_sign);
    const count = await countOf('picturebook');
    const objects = (await storedObjects('picturebook')).length;
    expect((await baidu('picturebook', 'delete', { cont_sign: `${signs[0]};${signs[1]}` })).error_code).toBeUndefined();
    expect(await countOf('picturebook')).toBe(count - 2);
    expect((await storedObjects('picturebook')).length).toBe(objects - 6); // image, sidecar, thumbnail of each
    const rows = await vectorRows('picturebook');
    expect(rows.some((r) => r.item === signs[0].replace(',', '_') || r.item === signs[1].replace(',', '_'))).toBe(false);
    expect((await baidu('picturebook', 'search', { image: b64(images[0]) })).result_num).toBe(0);
    expect((await baidu('picturebook', 'search', { image: b64(images[2]) })).result[0].cont_sign).toBe(signs[2]);
  });

  it('deletes by image and by url', async () => {
    const a = await testImage(53);
    const b = await testImage(54);
    served.set('/u54.jpg', b);
    await baidu('same_hq', 'add', { image: b64(a), brief: 'a' });
    await baidu('same_hq', 'add', { image: b64(b), brief: 'b' });
    expect((await baidu('same_hq', 'delete', { image: b64(a) })).error_code).toBeUndefined();
    expect((await baidu('same_hq', 'delete', { url: `${baseUrl}/u54.jpg` })).error_code).toBeUndefined();
    expect((await baidu('same_hq', 'search', { image: b64(a) })).result_num).toBe(0);
    expect((await baidu('same_hq', 'search', { image: b64(b) })).result_num).toBe(0);
    // The same picture can be added again afterwards.
    expect((await baidu('same_hq', 'add', { image: b64(a), brief: 'again' })).cont_sign).toBeTruthy();
  });

  it('answers 216100 for more than 100 cont_signs and for cont_signs not in the library', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `${i},1`).join(';');
    const r = await baidu('similar', 'delete', { cont_sign: many });
    expect(r.error_code).toBe(216100);
    expect(r.error_msg).toContain('100');
    expect((await baidu('similar', 'delete', { cont_sign: '12345,678' })).error_code).toBe(216100);
    expect((await baidu('similar', 'delete', {})).error_code).toBe(216101);
  });
});

describe('library deletion', () => {
  it('deletes a library with its images; a new one of that kind starts empty', async () => {
    const p = await env.project('dropme');
    await createLibrary('materiel', undefined, p);
    const image = b64(await testImage(60));
    await baidu('materiel', 'add', { image, brief: 'x' }, p.token);
    const lib = await getLibrary(env.stores.metadata, p.projectId, 'materiel');
    const del = await call(deleteLibraryHandler, {
      method: 'DELETE',
      path: `/v1/${p.projectId}/image-libraries/materiel`,
      pathParameters: { project_id: p.projectId, kind: 'materiel' },
      headers: { 'x-auth-token': p.token },
    });
    expect(del.status).toBe(200);
    expect(del.body.library.image_count).toBe(1);
    expect((await baidu('materiel', 'search', { image }, p.token)).error_code).toBe(216017);
    expect(await env.stores.objects.list(libraryObjectPrefix(lib))).toEqual([]);
    expect(await env.stores.vectors.open(libraryTable(lib))).toBeNull();
    await createLibrary('materiel', undefined, p);
    expect((await baidu('materiel', 'search', { image }, p.token)).result_num).toBe(0);
    expect((await baidu('materiel', 'add', { image, brief: 'y' }, p.token)).cont_sign).toBeTruthy();
  });
});
