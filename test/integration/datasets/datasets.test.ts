/** Datasets and samples (ModelArts-compatible) against dynalite + s3rver. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as createDataset } from '../../../functions/datasets/create-dataset/handler';
import { main as listDatasets } from '../../../functions/datasets/list-datasets/handler';
import { main as showDataset } from '../../../functions/datasets/show-dataset/handler';
import { main as updateDataset } from '../../../functions/datasets/update-dataset/handler';
import { main as deleteDataset } from '../../../functions/datasets/delete-dataset/handler';
import { main as addSamples } from '../../../functions/datasets/add-samples/handler';
import { main as listSamples } from '../../../functions/datasets/list-samples/handler';
import { main as showSample } from '../../../functions/datasets/show-sample/handler';
import { main as deleteSamples } from '../../../functions/datasets/delete-samples/handler';
import { main as updateSamples } from '../../../functions/datasets/update-samples/handler';
import { deleteDataset as deleteDatasetNow } from '../../../lib/datasets/datasets';
import { datasetKeys } from '../../../lib/store/keys';
import { call } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let p: Awaited<ReturnType<TestServices['project']>>;
let jpeg: Buffer;
let png: Buffer;

beforeAll(async () => {
  env = await startServices();
  p = await env.project();
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().toBuffer();
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer();
});
afterAll(async () => env?.stop());

const auth = () => ({ 'x-auth-token': p.token });
const dsPath = (datasetId: string) => ({ project_id: p.projectId, dataset_id: datasetId });

async function newDataset(name: string, type = 0): Promise<string> {
  const r = await call(createDataset, {
    pathParameters: { project_id: p.projectId },
    headers: auth(),
    json: { dataset_name: name, dataset_type: type, data_sources: [{ data_type: 0, data_path: '/bucket/input/' }], work_path: `/bucket/output/${name}/`, labels: [{ name: 'cat' }, { name: 'dog' }] },
  });
  expect(r.status).toBe(200);
  return r.body.dataset_id;
}

const add = (datasetId: string, body: unknown) => call(addSamples, { pathParameters: dsPath(datasetId), headers: auth(), json: body });
const list = (datasetId: string, query: Record<string, string> = {}) => call(listSamples, { method: 'GET', pathParameters: dsPath(datasetId), headers: auth(), query });
const classify = (name: string, score?: number) => ({ name, type: 0, ...(score !== undefined ? { score } : {}) });
const bndbox = (name: string, feature: unknown) => ({ name, type: 1, property: { '@modelarts:shape': 'bndbox', '@modelarts:feature': feature } });

describe('datasets', () => {
  it('creates, shows, lists, renames and deletes a dataset', async () => {
    const id = await newDataset('crud_one');
    const shown = await call(showDataset, { method: 'GET', pathParameters: dsPath(id), headers: auth() });
    expect(shown.body).toMatchObject({ dataset_id: id, dataset_name: 'crud_one', dataset_type: 0, work_path: '/bucket/output/crud_one/', total_sample_count: 0 });
    const listed = await call(listDatasets, { method: 'GET', pathParameters: { project_id: p.projectId }, headers: auth(), query: { search_content: 'crud_' } });
    expect(listed.body.datasets.map((d: { dataset_id: string }) => d.dataset_id)).toContain(id);
    const renamed = await call(updateDataset, { method: 'PUT', pathParameters: dsPath(id), headers: auth(), json: { dataset_name: 'crud_two', add_labels: [{ name: 'bird' }] } });
    expect(renamed.status).toBe(200);
    const after = await call(showDataset, { method: 'GET', pathParameters: dsPath(id), headers: auth() });
    expect(after.body.dataset_name).toBe('crud_two');
    expect(after.body.labels.map((l: { name: string }) => l.name)).toEqual(['cat', 'dog', 'bird']);
    // The old name is free again, the new one is taken.
    expect((await call(createDataset, { pathParameters: { project_id: p.projectId }, headers: auth(), json: { dataset_name: 'crud_two', data_sources: [{ data_path: '/b/in/' }], work_path: '/b/out/' } })).body.error_code).toBe('ModelArts.0103');
    const del = await call(deleteDataset, { method: 'DELETE', pathParameters: dsPath(id), headers: auth() });
    expect(del.status).toBe(204);
    const gone = await call(showDataset, { method: 'GET', pathParameters: dsPath(id), headers: auth() });
    expect(gone.status).toBe(404);
    expect(gone.body.error_code).toBe('ModelArts.4352');
  });

  it('refuses a bad name with ModelArts.0104 and a duplicate name with ModelArts.0103', async () => {
    const bad = await call(createDataset, { pathParameters: { project_id: p.projectId }, headers: auth(), json: { dataset_name: 'bad name!', data_sources: [{ data_path: '/b/in/' }], work_path: '/b/out/' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('ModelArts.0104');
    await newDataset('dup_name');
    const dup = await call(createDataset, { pathParameters: { project_id: p.projectId }, headers: auth(), json: { dataset_name: 'dup_name', data_sources: [{ data_path: '/b/in/' }], work_path: '/b/out/' } });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe('ModelArts.0103');
  });

  it('refuses a work path inside the input path and paths with .. segments', async () => {
    const inside = await call(createDataset, { pathParameters: { project_id: p.projectId }, headers: auth(), json: { dataset_name: 'inside', data_sources: [{ data_path: '/b/in/' }], work_path: '/b/in/out/' } });
    expect(inside.body.error_code).toBe('ModelArts.0104');
    expect(inside.body.error_msg).toMatch(/work_path/);
    const dots = await call(createDataset, { pathParameters: { project_id: p.projectId }, headers: auth(), json: { dataset_name: 'dots', data_sources: [{ data_path: '/b/in/' }], work_path: '/b/../x/' } });
    expect(dots.body.error_code).toBe('ModelArts.0104');
  });

  it('answers 4352 for samples of a dataset that does not exist', async () => {
    const r = await add('nosuchdataset0000000', { samples: [{ name: 'a.jpg', data: jpeg.toString('base64') }] });
    expect(r.status).toBe(404);
    expect(r.body.error_code).toBe('ModelArts.4352');
  });
});

describe('add samples in batches (ModelArts "Adding Samples in Batches")', () => {
  it('stores base64 data under the work path and answers per sample like the documented example', async () => {
    const id = await newDataset('add_basic');
    const r = await add(id, { samples: [{ name: '2.jpg', data: jpeg.toString('base64') }] });
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    expect(r.body.results).toHaveLength(1);
    const [res] = r.body.results;
    expect(res.success).toBe(true);
    expect(res.name).toBe(`/bucket/output/add_basic/dataset-${id}/samples/2.jpg`);
    expect(res.info).toMatch(/^[0-9a-f]{32}$/);
    const stored = await env.stores.objects.get(`data/${p.projectId}${res.name}`);
    expect(stored?.body.equals(jpeg)).toBe(true);
  });

  it('reports a bad sample in its own result and still stores the good ones', async () => {
    const id = await newDataset('add_mixed');
    const r = await add(id, {
      samples: [
        { name: 'good.jpg', data: jpeg.toString('base64'), labels: [classify('cat')] },
        { name: 'bad<name>.jpg', data: jpeg.toString('base64') },
        { name: 'box.jpg', data: jpeg.toString('base64'), labels: [bndbox('dog', [[0, 10], [50, 95]])] },
        { name: 'good2.png', data: png.toString('base64') },
      ],
    });
    expect(r.body.success).toBe(false);
    expect(r.body.results.map((x: { success: boolean }) => x.success)).toEqual([true, false, false, true]);
    expect(r.body.results[1]).toMatchObject({ name: 'bad<name>.jpg', error_code: 'ModelArts.0104' });
    expect(r.body.results[1].error_msg).toMatch(/name/);
    expect(r.body.results[2].error_msg).toMatch(/@modelarts:size/);
    const listed = await list(id);
    expect(listed.body.sample_count).toBe(2);
    expect(listed.body.samples.map((s: { sample_name: string }) => s.sample_name).sort()).toEqual(['good.jpg', 'good2.png']);
  });

  it('does not duplicate samples when the same batch is sent again', async () => {
    const id = await newDataset('add_retry');
    const batch = { samples: [1, 2, 3].map((i) => ({ name: `f${i}.jpg`, data: jpeg.toString('base64'), labels: [classify(i === 1 ? 'cat' : 'dog')] })) };
    const first = await add(id, batch);
    const second = await add(id, batch);
    expect(second.body.results.map((x: { info: string }) => x.info)).toEqual(first.body.results.map((x: { info: string }) => x.info));
    const listed = await list(id, { limit: '100' });
    expect(listed.body.sample_count).toBe(3);
    expect(listed.body.samples).toHaveLength(3);
    expect((await list(id, { label_name: 'dog' })).body.sample_count).toBe(2);
    const shown = await call(showDataset, { method: 'GET', pathParameters: dsPath(id), headers: auth() });
    expect(shown.body.total_sample_count).toBe(3);
    expect(shown.body.annotated_sample_count).toBe(3);
  });

  it('keeps one sample per name and exact counts when the same batch arrives twice at once', async () => {
    const id = await newDataset('add_race');
    const batch = { samples: [1, 2, 3, 4].map((i) => ({ name: `f${i}.jpg`, data: jpeg.toString('base64'), labels: [classify(i % 2 ? 'cat' : 'dog')] })) };
    const both = await Promise.all([add(id, batch), add(id, batch)]);
    for (const r of both) expect(r.body.success).toBe(true);
    const listed = await list(id, { limit: '100' });
    expect(listed.body.samples).toHaveLength(4);
    expect(listed.body.sample_count).toBe(4);
    expect((await list(id, { label_name: 'cat' })).body.sample_count).toBe(2);
  });

  it('validates each shape geometry, label types, property keys and hard metadata', async () => {
    const id = await newDataset('add_rules', 1);
    const size = { '@modelarts:size': [64, 48, 3] };
    const sample = (labels: unknown[], metadata: Record<string, unknown> = size, extra: Record<string, unknown> = {}) => ({
      name: `s${Math.random().toString(36).slice(2)}.jpg`,
      data: jpeg.toString('base64'),
      labels,
      metadata,
      ...extra,
    });
    const shape = (s: string, feature: unknown) => ({ name: 'x', type: 1, property: { '@modelarts:shape': s, '@modelarts:feature': feature } });
    const cases: Array<[unknown, boolean]> = [
      [sample([shape('bndbox', [[0, 10], [50, 95]])]), true],
      [sample([shape('bndbox', [[50, 95], [0, 10]])]), false], // lower-right first
      [sample([shape('bndbox', [[-1, 10], [50, 95]])]), false], // negative coordinate
      [sample([shape('polygon', [[0, 100], [50, 95], [10, 60]])]), true],
      [sample([shape('polygon', [[0, 100], [50, 95]])]), false],
      [sample([shape('circle', [[100, 100], [50]])]), true],
      [sample([shape('circle', [[100, 100]])]), false],
      [sample([shape('line', [[0, 100], [50, 95]])]), true],
      [sample([shape('dashed', [[0, 100]])]), false],
      [sample([shape('point', [[0, 100]])]), true],
      [sample([shape('point', [[0, 100], [1, 1]])]), false],
      [sample([shape('polyline', [[0, 100], [50, 95]])]), true],
      [sample([shape('polyline', [[0, 100]])]), false],
      [sample([shape('ellipse', [[0, 100]])]), false],
      [sample([shape('bndbox', [[0, 10], [50, 95]])], {}), false], // detection without @modelarts:size
      [sample([{ name: 'x', type: 7 }]), false], // unknown label type
      [sample([{ name: 'x', type: 0, property: { '@modelarts:colour': 'red' } }]), false],
      [sample([{ name: 'x', type: 0, property: { '@modelarts:hard_reasons': '3-20-21-19', '@modelarts:hard': 'true', '@modelarts:hard_coefficient': '0.4' } }]), true],
      [sample([{ name: 'x', type: 0, property: { '@modelarts:hard_reasons': '3-31' } }]), false],
      [sample([], { '@modelarts:hard': 1, '@modelarts:hard_coefficient': 0.7, '@modelarts:hard_reasons': [0, 30] }), true],
      [sample([], { '@modelarts:hard': 2 }), false],
      [sample([], { '@modelarts:hard_coefficient': 1.5 }), false],
      [sample([], { '@modelarts:hard_reasons': [31] }), false],
      [sample([], size, { sample_type: 3 }), false],
      [sample([], size, { encoding: 'latin1' }), false],
      [sample([], size, { encoding: 'GBK', sample_type: 9 }), true],
      [sample([{ name: 'x', type: 0, score: 1.2 }]), false],
    ];
    const r = await add(id, { samples: cases.map(([s]) => s) });
    expect(r.body.results.map((x: { success: boolean }) => x.success)).toEqual(cases.map(([, ok]) => ok));
  });

  it('puts labels in the to-be-confirmed state when final_annotation is false (classification and detection only)', async () => {
    const id = await newDataset('add_uncheck');
    const r = await add(id, {
      final_annotation: false,
      samples: [
        { name: 'u1.jpg', data: jpeg.toString('base64'), labels: [classify('cat', 0.6)] },
        { name: 't1.txt', sample_type: 1, data: Buffer.from('hello').toString('base64'), labels: [{ name: 'pos', type: 100 }] },
      ],
    });
    expect(r.body.results.map((x: { success: boolean }) => x.success)).toEqual([true, false]);
    const unchecked = await list(id, { sample_state: '__UNCHECK__' });
    expect(unchecked.body.sample_count).toBe(1);
    expect(unchecked.body.samples[0].sample_status).toBe('__UNCHECK__');
    expect((await list(id, { sample_state: '__ALL__' })).body.sample_count).toBe(0);
  });

  it('imports an existing bucket object with data_source (data_type 0) and refuses other data types per sample', async () => {
    const id = await newDataset('add_source');
    await env.stores.objects.put(`data/${p.projectId}/bucket/input/cats/c1.jpg`, jpeg, { contentType: 'image/jpeg' });
    const r = await add(id, {
      samples: [
        { data_source: { data_type: 0, data_path: '/bucket/input/cats/c1.jpg' }, labels: [classify('cat')] },
        { data_source: { data_type: 1, data_path: 'dws://x' } },
        { data_source: { data_path: '/bucket/input/cats/missing.jpg' } },
      ],
    });
    expect(r.body.results[0]).toMatchObject({ success: true, name: '/bucket/input/cats/c1.jpg' });
    expect(r.body.results[1]).toMatchObject({ success: false, error_code: 'ModelArts.4371' });
    expect(r.body.results[1].error_msg).toMatch(/not supported/);
    expect(r.body.results[2]).toMatchObject({ success: false, error_code: 'ModelArts.4372' });
  });

  it('refuses a batch over 100 samples as a whole', async () => {
    const id = await newDataset('add_too_many');
    const r = await add(id, { samples: Array.from({ length: 101 }, (_, i) => ({ name: `${i}.jpg`, data: 'AA==' })) });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('ModelArts.0104');
  });
});

describe('list, show, update and delete samples', () => {
  let id: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    id = await newDataset('list_main', 1);
    const size = { '@modelarts:size': [64, 48] };
    const r = await add(id, {
      samples: [
        { name: 'a.jpg', data: jpeg.toString('base64'), labels: [classify('cat', 0.9)] },
        { name: 'b.jpg', data: jpeg.toString('base64'), labels: [classify('dog', 0.3)] },
        { name: 'c.jpg', data: jpeg.toString('base64'), labels: [bndbox('cat', [[1, 1], [20, 20]]), bndbox('dog', [[2, 2], [30, 30]])], metadata: size },
        { name: 'd.jpg', data: jpeg.toString('base64'), metadata: { '@modelarts:hard': 1, '@modelarts:hard_reasons': [1, 7] } },
        { name: 'e.jpg', data: jpeg.toString('base64') },
      ],
    });
    for (const x of r.body.results) ids[x.name.split('/').pop()] = x.info;
  });

  const names = (r: { body: { samples: Array<{ sample_name: string }> } }) => r.body.samples.map((s) => s.sample_name);

  it('filters by label name, label type, state, hard and score, with sample_count', async () => {
    const cat = await list(id, { label_name: 'cat', order: 'asc' });
    expect(cat.body.sample_count).toBe(2);
    expect(names(cat)).toEqual(['a.jpg', 'c.jpg']);
    expect(names(await list(id, { label_type: '1' }))).toEqual(['c.jpg']);
    const none = await list(id, { sample_state: '__NONE__', order: 'asc' });
    expect(none.body.sample_count).toBe(2);
    expect(names(none)).toEqual(['d.jpg', 'e.jpg']);
    const hard = await list(id, { only_hard: 'true' });
    expect(names(hard)).toEqual(['d.jpg']);
    expect(hard.body.samples[0].hard_details).toHaveProperty('7');
    const sure = await list(id, { low_score: '0.5', high_score: '1' });
    expect(names(sure)).toEqual(['a.jpg']);
    expect(sure.body.sample_count).toBe(1);
    const combined = await list(id, { label_name: 'dog', sample_state: '__ALL__', low_score: '0', high_score: '0.5' });
    expect(names(combined)).toEqual(['b.jpg']);
    expect(combined.body.sample_count).toBe(1);
    expect((await list(id, { sample_state: '__REJECTED__' })).body.sample_count).toBe(0);
    expect((await list(id, { sample_type: '0' })).body.sample_count).toBe(5);
  });

  it('pages with offset (page index) and limit, in both orders', async () => {
    const asc = [0, 1, 2].map((o) => list(id, { order: 'asc', limit: '2', offset: String(o) }));
    const pages = (await Promise.all(asc)).map(names);
    expect(pages).toEqual([['a.jpg', 'b.jpg'], ['c.jpg', 'd.jpg'], ['e.jpg']]);
    expect(names(await list(id, { order: 'desc', limit: '2' }))).toEqual(['e.jpg', 'd.jpg']);
    const bad = await list(id, { limit: '101' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('ModelArts.0104');
  });

  it('shows a sample with a presigned URL and a thumbnail from process_parameter', async () => {
    const r = await call(showSample, { method: 'GET', pathParameters: { ...dsPath(id), sample_id: ids['a.jpg'] }, headers: auth(), query: { process_parameter: 'image/resize,m_lfit,h_24' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sample_id: ids['a.jpg'], sample_name: 'a.jpg', sample_status: '__ALL__', sample_type: 0 });
    const original = Buffer.from(await (await fetch(r.body.url)).arrayBuffer());
    expect(original.equals(jpeg)).toBe(true);
    const thumb = await sharp(Buffer.from(await (await fetch(r.body.preview)).arrayBuffer())).metadata();
    expect([thumb.width, thumb.height]).toEqual([32, 24]);
    const missing = await call(showSample, { method: 'GET', pathParameters: { ...dsPath(id), sample_id: '0'.repeat(32) }, headers: auth() });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('ModelArts.4360');
    const badParam = await call(showSample, { method: 'GET', pathParameters: { ...dsPath(id), sample_id: ids['a.jpg'] }, headers: auth(), query: { process_parameter: 'image/crop,w_10' } });
    expect(badParam.status).toBe(400);
    expect(badParam.body.error_code).toBe('ModelArts.0104');
  });

  it('updates labels and metadata per sample; an empty label list clears them', async () => {
    const r = await call(updateSamples, {
      method: 'PUT',
      pathParameters: dsPath(id),
      headers: auth(),
      json: {
        samples: [
          { sample_id: ids['e.jpg'], labels: [classify('bird')], sample_usage: 'TRAIN' },
          { sample_id: ids['a.jpg'], labels: [] },
          { sample_id: ids['b.jpg'], labels: [bndbox('dog', [[1, 1], [2, 2]])] }, // no @modelarts:size
          { sample_id: 'f'.repeat(32), labels: [] },
        ],
      },
    });
    expect(r.body.results.map((x: { success: boolean }) => x.success)).toEqual([true, true, false, false]);
    expect(r.body.results[3].error_code).toBe('ModelArts.4360');
    expect(names(await list(id, { label_name: 'bird' }))).toEqual(['e.jpg']);
    expect(names(await list(id, { label_name: 'cat' }))).toEqual(['c.jpg']);
    expect((await list(id, { sample_state: '__NONE__' })).body.sample_count).toBe(2);
  });

  it('deletes samples in batches; delete_source decides whether the object goes too', async () => {
    const keyOf = (n: string) => `data/${p.projectId}/bucket/output/list_main/dataset-${id}/samples/${n}`;
    const r1 = await call(deleteSamples, { pathParameters: dsPath(id), headers: auth(), json: { samples: [ids['d.jpg']], delete_source: false } });
    expect(r1.body.success).toBe(true);
    expect(await env.stores.objects.head(keyOf('d.jpg'))).not.toBeNull();
    const r2 = await call(deleteSamples, { pathParameters: dsPath(id), headers: auth(), json: { samples: [ids['b.jpg'], ids['d.jpg']], delete_source: true } });
    expect(r2.body.results.map((x: { success: boolean }) => x.success)).toEqual([true, false]);
    expect(await env.stores.objects.head(keyOf('b.jpg'))).toBeNull();
    expect((await list(id)).body.sample_count).toBe(3);
    expect((await list(id, { only_hard: '1' })).body.sample_count).toBe(0);
  });

  it('deleting the dataset removes sample items, facets and objects', async () => {
    const del = await call(deleteDataset, { method: 'DELETE', pathParameters: dsPath(id), headers: auth() });
    expect(del.status).toBe(204);
    const left = await env.stores.metadata.query({ pk: datasetKeys.samplePartition(id) });
    expect(left.items).toHaveLength(0);
    expect(await env.stores.objects.list(`data/${p.projectId}/bucket/output/list_main/dataset-${id}/`)).toHaveLength(0);
  });

  it('resumes an interrupted purge when the same DELETE comes again', async () => {
    const other = await newDataset('purge_resume');
    await add(other, { samples: [1, 2].map((i) => ({ name: `${i}.jpg`, data: jpeg.toString('base64'), labels: [classify('cat')] })) });
    expect(await deleteDatasetNow(env.stores, p.projectId, other, -1)).toBe(false); // out of time at once
    expect((await call(showDataset, { method: 'GET', pathParameters: dsPath(other), headers: auth() })).status).toBe(404);
    expect((await env.stores.metadata.query({ pk: datasetKeys.samplePartition(other) })).items.length).toBeGreaterThan(0);
    const again = await call(deleteDataset, { method: 'DELETE', pathParameters: dsPath(other), headers: auth() });
    expect(again.status).toBe(204);
    expect(again.headers['x-iris-purge']).toBe('done');
    expect((await env.stores.metadata.query({ pk: datasetKeys.samplePartition(other) })).items).toHaveLength(0);
    expect(await env.stores.objects.list(`data/${p.projectId}/bucket/output/purge_resume/`)).toHaveLength(0);
    // Once purged, the id is simply unknown.
    expect((await call(deleteDataset, { method: 'DELETE', pathParameters: dsPath(other), headers: auth() })).body.error_code).toBe('ModelArts.4352');
  });
});
