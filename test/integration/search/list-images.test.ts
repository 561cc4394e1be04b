/**
 * GET /v1/{project_id}/image-libraries/{kind}/images (Iris's own list operation) through its
 * handler, with real local stores (dynalite, s3rver, LanceDB) and the deterministic test engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { main as addHandler } from '../../../functions/search/add/handler';
import { main as updateHandler } from '../../../functions/search/update/handler';
import { main as deleteHandler } from '../../../functions/search/delete/handler';
import { main as createLibraryHandler } from '../../../functions/search/create-library/handler';
import { main as listImagesHandler } from '../../../functions/search/list-images/handler';
import { KIND_PATHS } from '../../../lib/search/contract';
import type { LibraryKind } from '../../../lib/search/engine';
import { setEngineProvider } from '../../../lib/search/provider';
import { call } from '../../support/http';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let project: Awaited<ReturnType<TestServices['project']>>;
const signs: string[] = [];
const images: Buffer[] = [];

const baidu = async (kind: LibraryKind, op: 'add' | 'update' | 'delete', form: Record<string, string>) =>
  (await call({ add: addHandler, update: updateHandler, delete: deleteHandler }[op], { path: `${KIND_PATHS[kind]}/${op}`, query: { access_token: project.token }, form })).body;

const list = (kind: string, query: Record<string, string> = {}, token = project.token, projectId = project.projectId) =>
  call(listImagesHandler, {
    method: 'GET',
    path: `/v1/${projectId}/image-libraries/${kind}/images`,
    pathParameters: { project_id: projectId, kind },
    headers: { 'x-auth-token': token },
    query,
  });

beforeAll(async () => {
  env = await startServices();
  project = await env.project('list-images');
  setEngineProvider(async (kind) => testEngine(kind, { threshold: 0.9 }));
  for (const kind of ['same_hq', 'product'] as const) {
    const r = await call(createLibraryHandler, {
      method: 'POST',
      path: `/v1/${project.projectId}/image-libraries`,
      pathParameters: { project_id: project.projectId },
      headers: { 'x-auth-token': project.token },
      json: { kind },
    });
    expect(r.status).toBe(201);
  }
  for (let i = 0; i < 5; i++) {
    images.push(await testImage(100 + i));
    const added = await baidu('same_hq', 'add', { image: images[i].toString('base64'), brief: `{"n":${i}}`, tags: i % 2 === 0 ? '7' : '8,9' });
    expect(added.cont_sign).toBeTruthy();
    signs.push(added.cont_sign);
  }
});

afterAll(async () => {
  setEngineProvider();
  await env?.stop();
});

describe('listing a library', () => {
  it('pages through every image once, with its brief, tags, date and a working presigned URL', async () => {
    const first = await list('same_hq', { limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'same_hq', image_count: 5, offset: 0, limit: 2, has_more: true });
    expect(first.body.images).toHaveLength(2);
    const second = await list('same_hq', { offset: '2', limit: '2' });
    const third = await list('same_hq', { offset: '4', limit: '2' });
    expect(third.body.has_more).toBe(false);
    const all = [...first.body.images, ...second.body.images, ...third.body.images];
    expect(all.map((i: any) => i.cont_sign).sort()).toEqual([...signs].sort());
    const one = all.find((i: any) => i.cont_sign === signs[1]);
    expect(one).toMatchObject({ brief: '{"n":1}', tags: [8, 9], format: 'jpeg' });
    expect(Date.parse(one.create_date)).toBeGreaterThan(Date.now() - 600_000);
    // The presigned URL serves the stored bytes (s3rver checks no signature, the shape is S3's).
    const got = await fetch(one.image_url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(images[1])).toBe(true);
    expect(one.image_url).toMatch(/X-Amz-Signature=/);
    // The thumbnail stored with the image: a JPEG of at most 320 px, the image's aspect.
    const thumb = Buffer.from(await (await fetch(one.thumbnail_url)).arrayBuffer());
    const t = await sharp(thumb).metadata();
    const o = await sharp(images[1]).metadata();
    expect(t.format).toBe('jpeg');
    expect(Math.max(t.width!, t.height!)).toBe(Math.min(320, Math.max(o.width!, o.height!)));
    expect(Math.abs(t.width! / t.height! - o.width! / o.height!)).toBeLessThan(0.02);
  });

  it('filters by tags like a search (and / or) and by cont_sign', async () => {
    const seven = await list('same_hq', { tags: '7' });
    expect(seven.body.images.map((i: any) => i.brief).sort()).toEqual(['{"n":0}', '{"n":2}', '{"n":4}']);
    const both = await list('same_hq', { tags: '8,9', tag_logic: '0' });
    expect(both.body.images).toHaveLength(2);
    const either = await list('same_hq', { tags: '7,9', tag_logic: '1' });
    expect(either.body.images).toHaveLength(5);
    const picked = await list('same_hq', { cont_sign: `${signs[3]};${signs[0]};1,2` });
    expect(picked.body.images.map((i: any) => i.cont_sign)).toEqual([signs[3], signs[0]]);
  });

  it('shows an update and forgets a deleted image', async () => {
    expect((await baidu('same_hq', 'update', { cont_sign: signs[2], brief: 'renamed', tags: '5' })).error_code).toBeUndefined();
    const gone = (await list('same_hq', { cont_sign: signs[4] })).body.images[0];
    expect((await fetch(gone.thumbnail_url)).status).toBe(200);
    expect((await baidu('same_hq', 'delete', { cont_sign: signs[4] })).error_code).toBeUndefined();
    // The delete takes the image's objects with it, the thumbnail too.
    expect((await fetch(gone.image_url)).status).toBe(404);
    expect((await fetch(gone.thumbnail_url)).status).toBe(404);
    const r = await list('same_hq', { limit: '100' });
    expect(r.body.image_count).toBe(4);
    expect(r.body.images.map((i: any) => i.cont_sign)).not.toContain(signs[4]);
    expect(r.body.images.find((i: any) => i.cont_sign === signs[2])).toMatchObject({ brief: 'renamed', tags: [5] });
  });

  it('answers an empty page for an empty library', async () => {
    const r = await list('product');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ image_count: 0, has_more: false, images: [] });
  });

  it('refuses bad input with a clear message, an unprovisioned library, no token and another project', async () => {
    const bad = await list('same_hq', { limit: '0' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_msg).toMatch(/limit must be an integer in 1\.\.100/);
    const badTags = await list('same_hq', { tags: 'x' });
    expect(badTags.status).toBe(400);
    expect(badTags.body.error_msg).toMatch(/tags invalid/);
    const badKind = await list('faces');
    expect(badKind.status).toBe(400);
    expect(badKind.body.error_msg).toMatch(/kind must be one of/);
    const missing = await list('similar');
    expect(missing.status).toBe(404);
    expect(missing.body.error_msg).toMatch(/has not been created/);
    expect((await list('same_hq', {}, 'nope')).status).toBe(401);
    const other = await env.project('other');
    expect((await list('same_hq', {}, other.token)).status).toBe(403);
  });
});
