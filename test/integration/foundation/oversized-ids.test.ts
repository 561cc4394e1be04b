/**
 * Ids and cursors that DynamoDB itself would refuse (a key over 1,024 bytes) or that belong to
 * another query (a well-formed cursor of a foreign partition) answer the family's parameter error,
 * never a 500. The store adapter turns such refusals into typed errors as a last line of defence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';
import { isIrisError } from '../../../lib/errors';
import { main as createSet } from '../../../functions/faces/create-set/handler';
import { main as queryFaces } from '../../../functions/faces/query-faces/handler';
import { main as updateFace } from '../../../functions/faces/update-face/handler';
import { main as deleteFaces } from '../../../functions/faces/delete-faces/handler';
import { main as search } from '../../../functions/faces/search/handler';
import { main as listRecords } from '../../../functions/ingest/list-records/handler';

let env: TestServices;
let token: string;
let projectId: string;
const LONG = 'f'.repeat(2000);

beforeAll(async () => {
  env = await startServices();
  ({ token, projectId } = await env.project('oversized'));
  const r = await call(createSet, {
    method: 'POST',
    headers: { 'x-auth-token': token },
    pathParameters: { project_id: projectId },
    json: { face_set_name: 'ids' },
  });
  expect(r.status).toBe(200);
});
afterAll(async () => env?.stop());

const faces = () => ({ headers: { 'x-auth-token': token }, pathParameters: { project_id: projectId, face_set_name: 'ids' } });

describe('a 2,000-character face_id answers FRS.0012', () => {
  it('GET …/faces?face_id=', async () => {
    const r = await call(queryFaces, { ...faces(), method: 'GET', query: { face_id: LONG } });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error_code).toBe('FRS.0012');
    expect(r.body.error_msg).toMatch(/face_id/);
  });

  it('DELETE …/faces?face_id=', async () => {
    const r = await call(deleteFaces, { ...faces(), method: 'DELETE', query: { face_id: LONG } });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error_code).toBe('FRS.0012');
  });

  it('PUT …/faces', async () => {
    const r = await call(updateFace, { ...faces(), method: 'PUT', json: { face_id: LONG, external_image_id: 'x' } });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error_code).toBe('FRS.0012');
  });

  it('POST …/search with face_id', async () => {
    const r = await call(search, { ...faces(), method: 'POST', json: { face_id: LONG } });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error_code).toBe('FRS.0012');
  });

  it('an external_image_id or external field value of 2,000 characters on delete', async () => {
    const r1 = await call(deleteFaces, { ...faces(), method: 'DELETE', query: { external_image_id: LONG } });
    expect(r1.status, JSON.stringify(r1.body)).toBe(400);
    expect(r1.body.error_code).toBe('FRS.0012');
    const r2 = await call(deleteFaces, { ...faces(), method: 'DELETE', query: { [LONG.slice(0, 300)]: 'v' } });
    expect(r2.status, JSON.stringify(r2.body)).toBe(400);
    expect(r2.body.error_code).toBe('FRS.0012');
  });

  it('a well-shaped unknown face_id still answers FRS.0303', async () => {
    const r = await call(queryFaces, { ...faces(), method: 'GET', query: { face_id: 'iexEBb6t' } });
    expect(r.body.error_code).toBe('FRS.0303');
  });
});

describe('GET /v1/{project_id}/ingest/records with a foreign marker', () => {
  const list = (marker: string) =>
    call(listRecords, { method: 'GET', headers: { 'x-auth-token': token }, pathParameters: { project_id: projectId }, query: { marker } });

  it.each([
    ['a well-formed cursor of no partition ({"pk":"x"})', 'eyJwayI6IngifQ'],
    ['garbage', '!!!not-a-cursor!!!'],
    ['base64 of a non-object', Buffer.from('[1,2]').toString('base64url')],
    ['a cursor of the main table keys', Buffer.from(JSON.stringify({ pk: 'PROJECT#x', sk: 'META' })).toString('base64url')],
    [
      'a cursor of another project’s partition',
      Buffer.from(JSON.stringify({ pk: 'INGEST#o', sk: 'k', gsi1pk: 'INGEST#failed#other-project', gsi1sk: '2026' })).toString('base64url'),
    ],
  ])('%s answers ModelArts.0104', async (_name, marker) => {
    const r = await list(marker);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error_code).toBe('ModelArts.0104');
    expect(r.body.error_msg).toMatch(/marker/);
  });
});

describe('DynamoMetadataStore: refusals become typed errors', () => {
  it('a key over 1,024 bytes is a BAD_PARAM IrisError, not a raw ValidationException', async () => {
    const err = await env.stores.metadata.get({ pk: 'T#long', sk: LONG }).catch((e) => e);
    expect(isIrisError(err), String(err)).toBe(true);
    expect(err.kind).toBe('BAD_PARAM');
    const err2 = await env.stores.metadata.put({ pk: 'T#long', sk: LONG }).catch((e) => e);
    expect(isIrisError(err2), String(err2)).toBe(true);
  });

  it('a cursor not made by this query is refused before it reaches DynamoDB', async () => {
    const { metadata } = env.stores;
    for (const sk of ['a', 'b', 'c']) await metadata.put({ pk: 'T#page', sk, v: 1 });
    const first = await metadata.query({ pk: 'T#page', limit: 1 });
    expect(first.cursor).toBeTruthy();
    // The cursor works for its own query…
    const second = await metadata.query({ pk: 'T#page', limit: 1, cursor: first.cursor });
    expect(second.items.map((i) => i.sk)).toEqual(['b']);
    // …and is refused for another partition, another index or when tampered with.
    for (const bad of [
      () => metadata.query({ pk: 'T#other', limit: 1, cursor: first.cursor }),
      () => metadata.query({ index: 'gsi1', pk: 'T#page', limit: 1, cursor: first.cursor }),
      () => metadata.query({ pk: 'T#page', limit: 1, cursor: 'eyJwayI6IngifQ' }),
      () => metadata.query({ pk: 'T#page', limit: 1, cursor: `${first.cursor}x` }),
    ]) {
      const err = await bad().catch((e) => e);
      expect(isIrisError(err), String(err)).toBe(true);
      expect(err.kind).toBe('BAD_PARAM');
      expect(err.field).toBe('cursor');
    }
  });
});


describe('names within the API limits but too long for an object key', () => {
  it('a sample name of 1,000 characters (a key over 1,024 bytes under its dataset folder) fails that sample with ModelArts.0104', async () => {
    const { main: createDataset } = await import('../../../functions/datasets/create-dataset/handler');
    const { main: addSamples } = await import('../../../functions/datasets/add-samples/handler');
    const ds = await call(createDataset, {
      headers: { 'x-auth-token': token },
      pathParameters: { project_id: projectId },
      json: { dataset_name: 'longnames', data_sources: [{ data_path: '/b/in/' }], work_path: '/b/out/' },
    });
    expect(ds.status).toBe(200);
    const data = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64');
    const r = await call(addSamples, {
      headers: { 'x-auth-token': token },
      pathParameters: { project_id: projectId, dataset_id: ds.body.dataset_id },
      json: { samples: [{ name: `${'n'.repeat(1000)}.jpg`, data }, { name: 'short.jpg', data }] },
    });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    expect(r.body.results[0]).toMatchObject({ success: false, error_code: 'ModelArts.0104' });
    expect(r.body.results[0].error_msg).toMatch(/too long for a bucket key/);
    expect(r.body.results[1]).toMatchObject({ success: true });
  });
});

describe('hard-example names too long for an object key', () => {
  it('an upload whose file name fits 1,024 characters but whose key does not answers ModelArts.0104 and keeps the quota', async () => {
    const { main: createDataset } = await import('../../../functions/datasets/create-dataset/handler');
    const { main: createConfig } = await import('../../../functions/hard-examples/create-config/handler');
    const { main: showConfig } = await import('../../../functions/hard-examples/show-config/handler');
    const { main: upload } = await import('../../../functions/hard-examples/upload/handler');
    const auth = { 'x-auth-token': token };
    const ds = await call(createDataset, { headers: auth, pathParameters: { project_id: projectId }, json: { dataset_name: 'hardlong', data_sources: [{ data_path: '/b/in/' }], work_path: '/b/hard/' } });
    expect(ds.status).toBe(200);
    const cfg = await call(createConfig, {
      headers: auth,
      pathParameters: { project_id: projectId },
      json: { dataset_id: ds.body.dataset_id, device_id: 'cam', data_count: 5, model_algorithm: 'image_classification', model_name: 'm' },
    });
    expect(cfg.status).toBe(200);
    const jpeg = await (await import('sharp')).default({ create: { width: 16, height: 16, channels: 3, background: '#777' } }).jpeg().toBuffer();
    const r = await call(upload, {
      method: 'POST',
      pathParameters: { project_id: projectId, config_id: cfg.body.config_id, upload_key: String(cfg.body.dataset_path).split('/').pop()! },
      json: { frame: jpeg.toString('base64'), format: 'jpeg', index: 1, model_name: 'm'.repeat(500), camera_name: 'c'.repeat(480) },
    });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(400);
    expect(r.body.error_code).toBe('ModelArts.0104');
    const shown = await call(showConfig, { method: 'GET', headers: auth, pathParameters: { project_id: projectId, config_id: cfg.body.config_id } });
    expect(shown.body.datacur_count ?? shown.body.hard_sample_setting?.[0]?.datacur_count, JSON.stringify(shown.body).slice(0, 300)).toBe(0);
  });
});
