/**
 * Face sets end to end through the handlers, against dynalite + s3rver + LanceDB, with the real
 * face model on face-api's sample photos (loaded once for the file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { call } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';
import { faceModel } from '../../../lib/vision/face-model';
import { getFaceSet } from '../../../lib/faces/face-sets';
import { main as createSet } from '../../../functions/faces/create-set/handler';
import { main as listSets } from '../../../functions/faces/list-sets/handler';
import { main as showSet } from '../../../functions/faces/show-set/handler';
import { main as deleteSet } from '../../../functions/faces/delete-set/handler';
import { main as addFaces } from '../../../functions/faces/add-faces/handler';
import { main as search } from '../../../functions/faces/search/handler';
import { main as queryFaces } from '../../../functions/faces/query-faces/handler';
import { main as updateFace } from '../../../functions/faces/update-face/handler';
import { main as deleteFaces } from '../../../functions/faces/delete-faces/handler';
import { main as batchDelete } from '../../../functions/faces/batch-delete/handler';

const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
const sample = (n: number) => join(demo, `sample${n}.jpg`);

let env: TestServices;
let token: string;
let projectId: string;
// Portraits cropped from the samples: A and B are two different people; A2 is A again, mirrored,
// rescaled and re-encoded.
let personA: string;
let personA2: string;
let personB: string;
let group: string; // sample 5 (five people) at 1280 px
let noFace: string;

async function crop(n: number, box: { left: number; top: number; width: number; height: number }, mirror = false, width = 400) {
  let img = sharp(sample(n)).extract(box);
  if (mirror) img = img.flop();
  return (await img.resize({ width }).jpeg({ quality: mirror ? 70 : 90 }).toBuffer()).toString('base64');
}

async function facesOf(n: number) {
  const { data, info } = await sharp(sample(n)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return (await (await faceModel()).detect({ data, width: info.width, height: info.height })).map((f) => f.box);
}

const pad = (b: { x: number; y: number; width: number; height: number }, W: number, H: number) => {
  const m = Math.round(b.width * 0.6);
  const left = Math.max(0, Math.round(b.x) - m);
  const top = Math.max(0, Math.round(b.y) - m);
  return { left, top, width: Math.min(W - left, Math.round(b.width) + 2 * m), height: Math.min(H - top, Math.round(b.height) + 2 * m) };
};

const base = (name?: string) => ({
  headers: { 'x-auth-token': token },
  pathParameters: name === undefined ? { project_id: projectId } : { project_id: projectId, face_set_name: name },
});

beforeAll(async () => {
  env = await startServices();
  ({ token, projectId } = await env.project('faces'));
  const s1 = await facesOf(1);
  const s3 = await facesOf(3);
  personA = await crop(1, pad(s1[0], 1920, 1280));
  personA2 = await crop(1, pad(s1[0], 1920, 1280), true, 300);
  personB = await crop(3, pad(s3[0], 1920, 1350));
  group = (await sharp(sample(5)).resize({ width: 1280 }).jpeg().toBuffer()).toString('base64');
  noFace = (
    await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer()
  ).toString('base64');
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

describe('face sets', () => {
  it('creates a set with a typed schema and shows it', async () => {
    const r = await call(createSet, {
      ...base(),
      json: { face_set_name: 'staff', external_fields: { timestamp: { type: 'long' }, dept: { type: 'string' }, male: { type: 'boolean' } } },
    });
    expect(r.status).toBe(200);
    expect(r.body.face_set_info).toMatchObject({ face_set_name: 'staff', face_set_capacity: 100000, face_number: 0 });
    expect(r.body.face_set_info.external_fields).toEqual({ timestamp: { type: 'long' }, dept: { type: 'string' }, male: { type: 'boolean' } });
    const again = await call(createSet, { ...base(), json: { face_set_name: 'staff' } });
    expect(again.status).toBe(400);
    expect(again.body.error_code).toBe('FRS.0301');
    const list = await call(listSets, { ...base(), method: 'GET' });
    expect(list.body.face_sets_info.map((s: { face_set_name: string }) => s.face_set_name)).toContain('staff');
  });

  it('refuses an unknown field type and a project_id that is not the caller\'s', async () => {
    const bad = await call(createSet, { ...base(), json: { face_set_name: 'x', external_fields: { age: { type: 'date' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('FRS.0012');
    const other = await call(listSets, { method: 'GET', headers: { 'x-auth-token': token }, pathParameters: { project_id: 'someone-else' } });
    expect(other.status).toBe(403);
    expect(other.body.error_code).toBe('FRS.0028');
  });

  it('answers FRS.0302 for an unknown set', async () => {
    const r = await call(showSet, { ...base('nope'), method: 'GET' });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('FRS.0302');
  });
});

describe('faces', () => {
  let faceA = '';
  let faceB = '';
  it('adds a face with external fields and counts it', async () => {
    const r = await call(addFaces, {
      ...base('staff'),
      json: { image_base64: personA, external_image_id: 'alice-1', external_fields: { timestamp: 12, dept: 'sales', male: false } },
    });
    expect(r.status).toBe(200);
    expect(r.body.faces).toHaveLength(1);
    expect(r.body.faces[0]).toMatchObject({ external_image_id: 'alice-1', external_fields: { timestamp: 12, dept: 'sales', male: false } });
    expect(r.body.faces[0].bounding_box.width).toBeGreaterThanOrEqual(80);
    faceA = r.body.faces[0].face_id;
    const b = await call(addFaces, { ...base('staff'), json: { image_base64: personB, external_fields: { timestamp: 30, dept: 'it', male: false } } });
    expect(b.status).toBe(200);
    faceB = b.body.faces[0].face_id;
    expect(b.body.faces[0].external_image_id).toMatch(/^[A-Za-z0-9]{16}$/);
    const show = await call(showSet, { ...base('staff'), method: 'GET' });
    expect(show.body.face_set_info.face_number).toBe(2);
  });

  it('adds every face of a group photo, or only the largest with single=true', async () => {
    const all = await call(addFaces, { ...base('staff'), json: { image_base64: group, external_image_id: 'group', external_fields: { timestamp: 50 } } });
    expect(all.status).toBe(200);
    expect(all.body.faces).toHaveLength(5);
    const one = await call(addFaces, { ...base('staff'), json: { image_base64: group, external_image_id: 'group1', single: true } });
    expect(one.body.faces).toHaveLength(1);
    const areas = all.body.faces.map((f: { bounding_box: { width: number; height: number } }) => f.bounding_box.width * f.bounding_box.height);
    const b = one.body.faces[0].bounding_box;
    expect(b.width * b.height).toBe(Math.max(...areas));
  });

  it('refuses images without faces (FRS.0404), bad external ids, undeclared or mistyped fields (FRS.0406)', async () => {
    const none = await call(addFaces, { ...base('staff'), json: { image_base64: noFace } });
    expect(none.body.error_code).toBe('FRS.0404');
    const badId = await call(addFaces, { ...base('staff'), json: { image_base64: personA, external_image_id: 'has space' } });
    expect(badId.body.error_code).toBe('FRS.0012');
    const undeclared = await call(addFaces, { ...base('staff'), json: { image_base64: personA, external_fields: { age: 3 } } });
    expect(undeclared.body.error_code).toBe('FRS.0406');
    const mistyped = await call(addFaces, { ...base('staff'), json: { image_base64: personA, external_fields: { timestamp: 'soon' } } });
    expect(mistyped.body.error_code).toBe('FRS.0406');
    const corrupt = await call(addFaces, { ...base('staff'), json: { image_base64: personA.slice(0, 2000) } });
    expect(corrupt.body.error_code).toBe('FRS.0016');
    const show = await call(showSet, { ...base('staff'), method: 'GET' });
    expect(show.body.face_set_info.face_number).toBe(8);
  });

  it('finds the same person above 0.93 and a different person below it', async () => {
    const r = await call(search, { ...base('staff'), json: { image_base64: personA2, top_n: 3 } });
    expect(r.status).toBe(200);
    expect(r.body.faces[0].face_id).toBe(faceA);
    expect(r.body.faces[0].similarity).toBeGreaterThanOrEqual(0.93);
    expect(r.body.faces[1].similarity).toBeLessThan(0.93);
    const strict = await call(search, { ...base('staff'), json: { image_base64: personA2, threshold: 0.93 } });
    expect(strict.body.faces.map((f: { face_id: string }) => f.face_id)).toEqual([faceA]);
    const byId = await call(search, { ...base('staff'), json: { face_id: faceB, top_n: 1 } });
    expect(byId.body.faces[0]).toMatchObject({ face_id: faceB, similarity: 1 });
  });

  it('filters inside the vector query, sorts on numeric fields and trims return_fields', async () => {
    const f = await call(search, { ...base('staff'), json: { image_base64: personA2, filter: 'timestamp:{12 TO *] && !dept:"sales"', top_n: 20 } });
    expect(f.status).toBe(200);
    const ts = f.body.faces.map((x: { external_fields: { timestamp: number } }) => x.external_fields.timestamp);
    expect(ts.length).toBe(6);
    expect(ts.every((t: number) => t > 12)).toBe(true);
    const sorted = await call(search, {
      ...base('staff'),
      json: { image_base64: personA2, filter: 'timestamp:[0 TO 30]', sort: [{ timestamp: 'desc' }], return_fields: ['timestamp'] },
    });
    expect(sorted.body.faces.map((x: { external_fields: unknown }) => x.external_fields)).toEqual([{ timestamp: 30 }, { timestamp: 12 }]);
    const badSort = await call(search, { ...base('staff'), json: { face_id: faceA, sort: [{ dept: 'asc' }] } });
    expect(badSort.body.error_code).toBe('FRS.0032');
    const badFilter = await call(search, { ...base('staff'), json: { face_id: faceA, filter: 'timestamp:[1 TO' } });
    expect(badFilter.body.error_code).toBe('FRS.0012');
    const noFaceSearch = await call(search, { ...base('staff'), json: { image_base64: noFace } });
    expect(noFaceSearch.body.error_code).toBe('FRS.0304');
  });

  it('queries faces by page and by face_id', async () => {
    const page = await call(queryFaces, { ...base('staff'), method: 'GET', query: { offset: '2', limit: '4' } });
    expect(page.body.faces).toHaveLength(4);
    const all = await call(queryFaces, { ...base('staff'), method: 'GET', query: { limit: '100' } });
    expect(all.body.faces).toHaveLength(8);
    expect(all.body.faces.slice(2, 6)).toEqual(page.body.faces);
    const one = await call(queryFaces, { ...base('staff'), method: 'GET', query: { face_id: faceA } });
    expect(one.body.faces[0]).toMatchObject({ face_id: faceA, external_image_id: 'alice-1' });
    const window = await call(queryFaces, { ...base('staff'), method: 'GET', query: { offset: '9999', limit: '2' } });
    expect(window.body.error_code).toBe('FRS.0012');
    // The FRS shape by default; with_image_url (Iris addition) adds a presigned URL of the photo.
    expect(one.body.faces[0].image_url).toBeUndefined();
    const withUrl = await call(queryFaces, { ...base('staff'), method: 'GET', query: { face_id: faceA, with_image_url: 'true' } });
    expect(withUrl.status).toBe(200);
    const got = await fetch(withUrl.body.faces[0].image_url);
    expect(got.status).toBe(200);
    const photo = await sharp(Buffer.from(await got.arrayBuffer())).metadata();
    const box = withUrl.body.faces[0].bounding_box;
    expect(box.top_left_x + box.width).toBeLessThanOrEqual(photo.width!);
    expect(box.top_left_y + box.height).toBeLessThanOrEqual(photo.height!);
    const bad = await call(queryFaces, { ...base('staff'), method: 'GET', query: { with_image_url: 'yes' } });
    expect(bad.body.error_code).toBe('FRS.0012');
  });

  it('updates a face as in the FRS "Updating a Face" example and the filter sees the new values', async () => {
    const r = await call(updateFace, {
      ...base('staff'),
      method: 'PUT',
      json: { face_id: faceA, external_image_id: 'imageID', external_fields: { timestamp: 99 } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ face_number: 1, face_set_id: expect.any(String), face_set_name: 'staff' });
    const f = await call(search, { ...base('staff'), json: { face_id: faceB, filter: 'timestamp:[99 TO 99]' } });
    expect(f.body.faces.map((x: { face_id: string }) => x.face_id)).toEqual([faceA]);
    expect(f.body.faces[0].external_fields).toEqual({ timestamp: 99, dept: 'sales', male: false });
    const unknown = await call(updateFace, { ...base('staff'), method: 'PUT', json: { face_id: 'iexEBb6t', external_image_id: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error_code: 'FRS.0303', error_msg: 'The face id is not exist, checkout your input.' });
    const nothing = await call(updateFace, { ...base('staff'), method: 'PUT', json: { face_id: faceA } });
    expect(nothing.body.error_code).toBe('FRS.0011');
  });

  it('deletes by face_id, external_image_id, field value and filter', async () => {
    const byId = await call(deleteFaces, { ...base('staff'), method: 'DELETE', query: { face_id: faceB } });
    expect(byId.body.face_number).toBe(1);
    const again = await call(deleteFaces, { ...base('staff'), method: 'DELETE', query: { face_id: faceB } });
    expect(again.body.error_code).toBe('FRS.0303');
    const byExt = await call(deleteFaces, { ...base('staff'), method: 'DELETE', query: { external_image_id: 'group1' } });
    expect(byExt.body.face_number).toBe(1);
    const byField = await call(deleteFaces, { ...base('staff'), method: 'DELETE', query: { dept: 'sales' } });
    expect(byField.body.face_number).toBe(1);
    const batch = await call(batchDelete, { ...base('staff'), method: 'DELETE', json: { filter: 'timestamp:[50 TO 50]' } });
    expect(batch.body.face_number).toBe(5);
    const none = await call(batchDelete, { ...base('staff'), method: 'DELETE', json: { filter: 'timestamp:[50 TO 50]' } });
    expect(none.body.error_code).toBe('FRS.0407');
    const show = await call(showSet, { ...base('staff'), method: 'GET' });
    expect(show.body.face_set_info.face_number).toBe(0);
    expect(await env.stores.objects.list('data/' + projectId + '/face-sets/')).toHaveLength(0);
  });
});

describe('capacity and concurrency', () => {
  it('keeps face_number exact under concurrent adds and stops at the capacity (FRS.0306)', async () => {
    await call(createSet, { ...base(), json: { face_set_name: 'small', face_set_capacity: 3 } });
    // Five different adds (an add of the same image and external_image_id twice is one add: see below).
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => call(addFaces, { ...base('small'), json: { image_base64: personB, external_image_id: `photo-${i}` } })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(403);
      expect(r.body.error_code).toBe('FRS.0306');
    }
    const show = await call(showSet, { ...base('small'), method: 'GET' });
    expect(show.body.face_set_info.face_number).toBe(3);
    // Rows of the refused adds are gone: only committed faces are searchable.
    const hits = await call(search, { ...base('small'), json: { image_base64: personB, top_n: 10 } });
    expect(hits.body.faces).toHaveLength(3);
  });

  it('stores a request sent twice at once, then retried, once (the retry answers the stored faces)', async () => {
    await call(createSet, { ...base(), json: { face_set_name: 'retry' } });
    const req = { ...base('retry'), json: { image_base64: personB, external_image_id: 'cam-7' } };
    const [a, b] = await Promise.all([call(addFaces, req), call(addFaces, req)]);
    const retry = await call(addFaces, req);
    for (const r of [a, b, retry]) expect(r.status).toBe(200);
    const ids = [a, b, retry].map((r) => r.body.faces.map((f: { face_id: string }) => f.face_id).join());
    expect(new Set(ids).size).toBe(1);
    expect((await call(showSet, { ...base('retry'), method: 'GET' })).body.face_set_info.face_number).toBe(1);
    const set = await getFaceSet(env.stores, projectId, 'retry');
    // One image and one row are left: the losers' copies were removed, the winner's were not.
    expect(await env.stores.objects.list(`data/${projectId}/face-sets/${set.faceSetId}/`)).toHaveLength(1);
    expect(await (await env.stores.vectors.open(`faces_${projectId}_${set.faceSetId}`))!.count()).toBe(1);
    const hits = await call(search, { ...base('retry'), json: { image_base64: personB } });
    expect(hits.body.faces).toHaveLength(1);
    // Another external_image_id is another add.
    const other = await call(addFaces, { ...base('retry'), json: { image_base64: personB, external_image_id: 'cam-8' } });
    expect(other.body.faces[0].face_id).not.toBe(a.body.faces[0].face_id);
    await call(deleteSet, { ...base('retry'), method: 'DELETE' });
  });

  it('deletes a set with its faces, vectors and images', async () => {
    const r = await call(deleteSet, { ...base('small'), method: 'DELETE' });
    expect(r.body).toEqual({ face_set_name: 'small' });
    expect((await call(showSet, { ...base('small'), method: 'GET' })).body.error_code).toBe('FRS.0302');
    expect((await env.stores.vectors.list()).filter((t) => t.includes(projectId)).length).toBe(1); // only 'staff'
    const recreated = await call(createSet, { ...base(), json: { face_set_name: 'small' } });
    expect(recreated.body.face_set_info.face_number).toBe(0);
  });
});
