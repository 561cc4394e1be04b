/**
 * Classification models end to end through the real local services (dynalite, s3rver, LanceDB):
 * dataset → labelled samples → training job (the S3-triggered run, continued across invocations
 * through the feature cache) → metrics → model → service → predict (the predict API's shape and
 * every documented code) → uncertain predictions come back as hard samples (through the ingest
 * trigger, stored once, under the daily quota even when imported concurrently) → confirmed →
 * retrained → a new model version → the service switched to it; models in use cannot be deleted.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as createDataset } from '../../../functions/datasets/create-dataset/handler';
import { main as addSamples } from '../../../functions/datasets/add-samples/handler';
import { main as listSamples } from '../../../functions/datasets/list-samples/handler';
import { main as updateSamples } from '../../../functions/datasets/update-samples/handler';
import { main as createJob } from '../../../functions/training/create-job/handler';
import { main as showJob } from '../../../functions/training/show-job/handler';
import { main as listJobs } from '../../../functions/training/list-jobs/handler';
import { main as stopJob } from '../../../functions/training/stop-job/handler';
import { main as deleteJob } from '../../../functions/training/delete-job/handler';
import { main as runTraining } from '../../../functions/training/run/handler';
import { main as listModels } from '../../../functions/models/list-models/handler';
import { main as showModel } from '../../../functions/models/show-model/handler';
import { main as deleteModel } from '../../../functions/models/delete-model/handler';
import { main as createService } from '../../../functions/services/create-service/handler';
import { main as showService } from '../../../functions/services/show-service/handler';
import { main as listServices } from '../../../functions/services/list-services/handler';
import { main as updateService } from '../../../functions/services/update-service/handler';
import { main as deleteService } from '../../../functions/services/delete-service/handler';
import { main as predictHandler } from '../../../functions/services/predict/handler';
import { main as onObject } from '../../../functions/ingest/on-object/handler';
import { main as createConfig } from '../../../functions/hard-examples/create-config/handler';
import { main as showConfig } from '../../../functions/hard-examples/show-config/handler';
import { main as listConfigs } from '../../../functions/hard-examples/list-configs/handler';
import { main as updateConfig } from '../../../functions/hard-examples/update-config/handler';
import { embedder } from '../../../lib/classify/features';
import { classifyKeys } from '../../../lib/classify/keys';
import { newId } from '../../../lib/classify/contract';
import { sweepModels } from '../../../lib/classify/sweep';
import { runJob } from '../../../lib/classify/runner';
import { failStalledJobs } from '../../../lib/classify/jobs';
import type { Stores } from '../../../lib/store/ports';
import { newWriteId } from '../../../lib/store/write';
import { call, lambdaContext } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';
import { blendImage, SHAPE_LABELS, shapeImage, type ShapeLabel } from '../../support/shapes';
import { ihdr, pngFromChunks } from '../../unit/images/helpers';

let env: TestServices;
let p: Awaited<ReturnType<TestServices['project']>>;
let other: Awaited<ReturnType<TestServices['project']>>;
let datasetId: string;

const auth = (t = p) => ({ 'x-auth-token': t.token });
const at = (extra: Record<string, string> = {}) => ({ project_id: p.projectId, ...extra });

async function newDataset(name: string, type = 0): Promise<string> {
  const r = await call(createDataset, {
    pathParameters: at(),
    headers: auth(),
    json: { dataset_name: name, dataset_type: type, data_sources: [{ data_path: '/bucket/in/' }], work_path: `/bucket/out/${name}/`, labels: SHAPE_LABELS.map((name) => ({ name })) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.dataset_id;
}

async function addShapes(ds: string, per: Partial<Record<ShapeLabel, number>>, offset = 0) {
  const samples = [];
  for (const [label, n] of Object.entries(per) as Array<[ShapeLabel, number]>) {
    for (let i = 0; i < n; i++) samples.push({ name: `${label}-${offset + i}.png`, data: (await shapeImage(label, offset + i)).toString('base64'), labels: [{ name: label, type: 0 }] });
  }
  const r = await call(addSamples, { pathParameters: at({ dataset_id: ds }), headers: auth(), json: { samples } });
  expect(r.body.success, JSON.stringify(r.body)).toBe(true);
}

const startJob = (json: Record<string, unknown>) => call(createJob, { pathParameters: at(), headers: auth(), json });
const job = (id: string) => call(showJob, { method: 'GET', pathParameters: at({ job_id: id }), headers: auth() });
const s3Event = (key: string) => ({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: env.bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), eTag: '', size: 0 } } }] });
const runSpec = async (jobId: string, attempt: number, timeoutMs = 600_000, context = lambdaContext(timeoutMs)) =>
  ((await runTraining(s3Event(`jobs/${p.projectId}/${jobId}/run-${attempt}.json`) as never, context as never)) as { outcomes: Array<{ outcome: string }> }).outcomes[0].outcome;

/**
 * An invocation context whose clock advances by `stepMs` each time the remaining time is asked,
 * not with the wall clock: a hand-over test then behaves the same on a fast machine and a slow one.
 */
const steppedContext = (startMs: number, stepMs: number) => {
  let asked = 0;
  return { ...lambdaContext(startMs), getRemainingTimeInMillis: () => Math.max(0, startMs - stepMs * asked++) };
};

/**
 * Runs attempt 1 of a job with a reserve above the invocation's whole time, so that it claims the
 * job and hands over to attempt 2 at once (every feature is cached by then).
 */
async function handOverAtOnce(jobId: string): Promise<string> {
  process.env.IRIS_TRAIN_RESERVE_MS = '31000';
  try {
    return await runSpec(jobId, 1, 30_000);
  } finally {
    delete process.env.IRIS_TRAIN_RESERVE_MS;
  }
}

/** Runs a job's chain of invocations (each continuation spec it writes) to the end. */
async function trainToEnd(jobId: string, from = 1): Promise<Record<string, any>> {
  for (let attempt = from; attempt < 20; attempt++) {
    const outcome = await runSpec(jobId, attempt);
    if (outcome !== 'continued') break;
  }
  return (await job(jobId)).body;
}

const predict = (serviceId: string, json: unknown, o: { headers?: Record<string, string>; query?: Record<string, string>; rawBody?: string; project?: string } = {}) =>
  call(predictHandler, {
    pathParameters: { project_id: o.project ?? p.projectId, service_id: serviceId },
    headers: o.headers ?? auth(),
    query: o.query,
    ...(o.rawBody !== undefined ? { rawBody: o.rawBody, contentType: 'application/json' } : { json }),
  });

beforeAll(async () => {
  env = await startServices();
  p = await env.project('classify');
  other = await env.project('classify-other');
  await embedder(); // loaded once, as a warm container has it
  datasetId = await newDataset('shapes');
  await addShapes(datasetId, { circle: 8, square: 8, triangle: 8 });
}, 120_000);
afterAll(async () => env?.stop());

describe('training jobs refuse what they cannot train', () => {
  it('answers an unknown dataset, a detection dataset, one label, and a label with one sample with their codes', async () => {
    expect((await startJob({ job_name: 'j', dataset_id: 'nosuchdataset0000000' })).body.error_code).toBe('ModelArts.4352');
    const detection = await newDataset('boxes', 1);
    expect((await startJob({ job_name: 'j', dataset_id: detection })).body).toMatchObject({ error_code: 'ModelArts.2801' });
    const one = await newDataset('one_label');
    await addShapes(one, { circle: 3 });
    const r = await startJob({ job_name: 'j', dataset_id: one });
    expect([r.status, r.body.error_code]).toEqual([400, 'ModelArts.2802']);
    await addShapes(one, { square: 1 });
    const r2 = await startJob({ job_name: 'j', dataset_id: one });
    expect(r2.body.error_code).toBe('ModelArts.2803');
    expect(r2.body.error_msg).toContain('square');
    expect((await startJob({ job_name: 'bad name!', dataset_id: one })).body.error_code).toBe('ModelArts.0104');
    expect((await startJob({ job_name: 'j', dataset_id: one, eval_ratio: 1.5 })).body.error_code).toBe('ModelArts.0104');
    // Nothing was created by any refusal.
    expect((await call(listJobs, { method: 'GET', pathParameters: at(), headers: auth() })).body.total).toBe(0);
  });
});

let firstModel: string;
let firstJob: string;
let serviceId: string;
let configId: string;

describe('the whole loop', () => {
  it('trains asynchronously: the create call returns Pending, the run continues across invocations through the feature cache', async () => {
    const created = await startJob({ job_name: 'shapes_v1', dataset_id: datasetId, model_name: 'shapes' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ job_name: 'shapes_v1', status: 'Pending' });
    firstJob = created.body.job_id;
    expect((await job(firstJob)).body).toMatchObject({ status: 'Pending', progress: 0 });
    expect(await env.stores.objects.head(`jobs/${p.projectId}/${firstJob}/run-1.json`)).not.toBeNull();

    // An invocation that nears its end hands over: it embeds one batch, then writes run-2.
    // Virtual clock, 1.5 s per question: middy asks first (31 s), the runner before the first
    // batch (29.5 s, above the 29 s reserve), again after it (28 s: hand over).
    process.env.IRIS_TRAIN_RESERVE_MS = '29000';
    try {
      expect(await runSpec(firstJob, 1, 31_000, steppedContext(31_000, 1_500))).toBe('continued');
    } finally {
      delete process.env.IRIS_TRAIN_RESERVE_MS;
    }
    const mid = (await job(firstJob)).body;
    expect(mid.status).toBe('Running');
    expect(mid.progress).toBeGreaterThan(0);
    expect(mid.progress).toBeLessThan(100);
    expect(await env.stores.objects.head(`jobs/${p.projectId}/${firstJob}/run-2.json`)).not.toBeNull();
    // A redelivered run-1 finds the attempt taken and does nothing.
    expect(await runSpec(firstJob, 1)).toBe('duplicate');

    const done = await trainToEnd(firstJob, 2);
    expect(done.status, JSON.stringify(done)).toBe('Completed');
    expect(done.progress).toBe(100);
    firstModel = done.model_id;
    const m = done.metrics;
    expect(m.train_count + m.eval_count).toBe(24);
    expect(m.eval_count).toBe(6); // 20 % of 8 per label, rounded: 2 each
    expect(m.confusion_labels).toEqual(['circle', 'square', 'triangle']);
    expect(m.confusion_matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(6);
    expect(m.labels.map((l: { name: string; support: number }) => [l.name, l.support])).toEqual([['circle', 2], ['square', 2], ['triangle', 2]]);
    for (const k of ['accuracy', 'precision', 'recall', 'f1']) expect(m[k]).toBeGreaterThanOrEqual(0.8);

    // The resumed run used the first invocation's features instead of embedding them again.
    const item = await env.stores.metadata.get(classifyKeys.model(p.projectId, firstModel));
    const artefact = JSON.parse((await env.stores.objects.get(String(item!.objectKey)))!.body.toString());
    expect(artefact.training.cached).toBeGreaterThan(0);
    expect(artefact.training.cached + artefact.training.embedded).toBe(24);
  }, 300_000);

  it('registers the model with its version, labels and metrics', async () => {
    const r = await call(showModel, { method: 'GET', pathParameters: at({ model_id: firstModel }), headers: auth() });
    expect(r.body).toMatchObject({ model_id: firstModel, model_name: 'shapes', model_version: '0.0.1', labels: ['circle', 'square', 'triangle'], dataset_id: datasetId, job_id: firstJob });
    expect(r.body.size).toBeGreaterThan(1000);
    const list = await call(listModels, { method: 'GET', pathParameters: at(), headers: auth() });
    expect(list.body.models.map((x: { model_id: string }) => x.model_id)).toEqual([firstModel]);
    // Another project never sees it.
    const foreign = await call(showModel, { method: 'GET', pathParameters: { project_id: other.projectId, model_id: firstModel }, headers: auth(other) });
    expect([foreign.status, foreign.body.error_code]).toEqual([404, 'ModelArts.0102']);
    expect((await call(showModel, { method: 'GET', pathParameters: at({ model_id: firstModel }), headers: auth(other) })).body.error_code).toBe('ModelArts.0107');
  });

  it('publishes a service whose predict_url answers in the predict API\'s shape', async () => {
    const r = await call(createService, {
      pathParameters: at(),
      headers: auth(),
      json: { service_name: 'shapes', model_id: firstModel, hard_examples: { dataset_id: datasetId, confidence_below: 0.6, margin_below: 0.999, daily_quota: 3 } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    serviceId = r.body.service_id;
    expect(r.body).toMatchObject({ service_name: 'shapes', model_id: firstModel, status: 'running', predict_url: `/v1/${p.projectId}/predict/${serviceId}` });
    expect((await call(createService, { pathParameters: at(), headers: auth(), json: { service_name: 'shapes', model_id: firstModel } })).body.error_code).toBe('ModelArts.0103');
    expect((await call(createService, { pathParameters: at(), headers: auth(), json: { service_name: 'x', model_id: 'nosuchmodel' } })).body.error_code).toBe('ModelArts.0102');

    const img = await shapeImage('square', 100, 'jpeg');
    const res = await predict(serviceId, { base64: img.toString('base64') });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['code', 'predictResult']);
    expect(res.body.code).toBe(10000);
    const { prediction, thresholdList } = res.body.predictResult;
    expect(prediction).toBe('square');
    expect(thresholdList.map((t: { name: string }) => t.name)).toEqual(['circle', 'square', 'triangle']);
    expect(thresholdList.reduce((a: number, t: { threshold: number }) => a + t.threshold, 0)).toBeCloseTo(1, 6);
    const best = thresholdList.reduce((a: { threshold: number }, b: { threshold: number }) => (b.threshold > a.threshold ? b : a));
    expect(best.name).toBe(prediction);

    const top = await predict(serviceId, { base64: (await shapeImage('circle', 101)).toString('base64'), top_num: 1 }, { headers: {}, query: { access_token: p.token } });
    expect(top.body.predictResult.thresholdList).toHaveLength(1);
    expect(top.body.predictResult.thresholdList[0].name).toBe('circle');
  }, 60_000);

  it('answers every documented code of the predict API', async () => {
    const good = (await shapeImage('circle', 102)).toString('base64');
    const code = async (json: unknown, o: Parameters<typeof predict>[2] = {}) => {
      const r = await predict(serviceId, json, o);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      expect(typeof r.body.message).toBe('string');
      return r.body.code;
    };
    expect(await code({})).toBe(10310);
    expect(await code({ base64: '' })).toBe(10310);
    expect(await code({ base64: '***not base64***' })).toBe(10311);
    expect(await code({ base64: `data:image/png;base64,${good}` })).toBe(10311);
    expect(await code({ base64: good, extra: 1 })).toBe(10311);
    expect(await code({ base64: 12 })).toBe(10311);
    expect(await code({ base64: good, top_num: 0 })).toBe(10311);
    expect(await code(undefined, { rawBody: '{"base64": ' })).toBe(10311);
    // format, size, pixels, aspect
    expect(await code({ base64: (await sharp(await shapeImage('circle', 1)).gif().toBuffer()).toString('base64') })).toBe(10440);
    const jpeg = await shapeImage('circle', 1, 'jpeg');
    expect(await code({ base64: jpeg.subarray(0, jpeg.length - 200).toString('base64') })).toBe(10440);
    const noise = await sharp(Buffer.from(Array.from({ length: 1300 * 1300 * 3 }, (_, i) => (i * 2654435761) % 251)), { raw: { width: 1300, height: 1300, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    expect(noise.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(await code({ base64: noise.toString('base64') })).toBe(10441);
    expect(await code({ base64: (await sharp({ create: { width: 20, height: 40, channels: 3, background: '#f00' } }).png().toBuffer()).toString('base64') })).toBe(10442);
    const header = ihdr(14000, 14000);
    header[8] = 1;
    header[9] = 0;
    const bomb = pngFromChunks([['IHDR', header], ['IDAT', deflateSync(Buffer.alloc((1 + 1750) * 14000), { level: 9 })], ['IEND', Buffer.alloc(0)]]);
    const bombAnswer = await predict(serviceId, { base64: bomb.toString('base64') });
    expect(bombAnswer.body.code).toBe(10442);
    expect(bombAnswer.body.message).toContain('14000x14000');
    expect(await code({ base64: (await sharp({ create: { width: 400, height: 100, channels: 3, background: '#0f0' } }).png().toBuffer()).toString('base64') })).toBe(10443);
    // credentials
    expect(await code({ base64: good }, { headers: {} })).toBe(2000);
    expect(await code({ base64: good }, { headers: { 'x-auth-token': 'wrong' } })).toBe(2000);
    expect(await code({ base64: good }, { headers: {}, query: { access_token: 'wrong' } })).toBe(2000);
    expect(await code({ base64: good }, { headers: auth(other) })).toBe(2000);
    // another project's service is unknown in that project
    expect(await code({ base64: good }, { headers: auth(other), project: other.projectId })).toBe(10311);
    expect((await predict('nosuchservice', { base64: good })).body.code).toBe(10311);
    expect((await predict('x'.repeat(2000), { base64: good })).body.code).toBe(10311);
  }, 120_000);

  it('sends uncertain predictions back as hard samples: stored once, under the daily quota, even when imported concurrently', async () => {
    const hardPrefix = `ingest/${p.projectId}/classify-hard/${serviceId}/`;
    const before = new Set((await env.stores.objects.list(hardPrefix)).map((o) => o.key));
    // margin_below 0.999: any prediction short of certainty is hard. Five different blends, one of them twice.
    const blends = await Promise.all([0, 1, 2, 3, 4].map((i) => blendImage(SHAPE_LABELS[i % 3], SHAPE_LABELS[(i + 1) % 3], 200 + i)));
    for (const b of [...blends, blends[0]]) expect((await predict(serviceId, { base64: b.toString('base64') })).body.code).toBe(10000);
    const handed = (await env.stores.objects.list(hardPrefix)).map((o) => o.key).filter((k) => !before.has(k));
    const mine = handed.length;
    expect(mine).toBeGreaterThanOrEqual(5);
    // The ingest trigger imports them, all at once.
    const outcomes = await Promise.all((await env.stores.objects.list(hardPrefix)).map((o) => onObject(s3Event(o.key) as never, lambdaContext() as never)));
    expect(outcomes.length).toBeGreaterThan(0);
    const hard = await call(listSamples, { method: 'GET', pathParameters: at({ dataset_id: datasetId }), headers: auth(), query: { only_hard: 'true', limit: '100' } });
    expect(hard.body.sample_count).toBe(3); // the daily quota
    for (const s of hard.body.samples) {
      expect(s.sample_status).toBe('__UNCHECK__');
      expect(s.labels).toHaveLength(1);
      expect(SHAPE_LABELS).toContain(s.labels[0].name);
      expect(s.labels[0].score).toBeGreaterThan(0);
      expect(s.labels[0].score).toBeLessThan(1);
      expect(s.metadata['@modelarts:hard']).toBe(1);
      expect(s.metadata['@modelarts:hard_coefficient']).toBeCloseTo(1 - s.labels[0].score, 3);
      expect(s.metadata['@modelarts:hard_reasons']).toContain(1);
      expect(s.hard_details['1']).toEqual({ reason: 1 });
      expect(s.sample_dir).toContain('/hard_examples/');
    }
    // Redelivered events store nothing more.
    await Promise.all(handed.map((k) => onObject(s3Event(k) as never, lambdaContext() as never)));
    expect((await call(listSamples, { method: 'GET', pathParameters: at({ dataset_id: datasetId }), headers: auth(), query: { only_hard: 'true' } })).body.sample_count).toBe(3);
    // Past the quota, predict stops handing images over (one cheap read, no PUT).
    const n = (await env.stores.objects.list(hardPrefix)).length;
    await predict(serviceId, { base64: (await blendImage('circle', 'triangle', 300)).toString('base64') });
    expect((await env.stores.objects.list(hardPrefix)).length).toBe(n);
  }, 120_000);

  it('stores the same image once', async () => {
    const ds = await newDataset('dedupe');
    const sv = await call(createService, { pathParameters: at(), headers: auth(), json: { service_name: 'dedupe', model_id: firstModel, hard_examples: { dataset_id: ds, confidence_below: 1, daily_quota: 10 } } });
    const img = (await blendImage('circle', 'square', 400)).toString('base64');
    await predict(sv.body.service_id, { base64: img });
    await predict(sv.body.service_id, { base64: img });
    const keys = (await env.stores.objects.list(`ingest/${p.projectId}/classify-hard/${sv.body.service_id}/`)).map((o) => o.key);
    expect(keys).toHaveLength(1);
    await Promise.all([onObject(s3Event(keys[0]) as never, lambdaContext() as never), onObject(s3Event(keys[0]) as never, lambdaContext() as never)]);
    const listed = await call(listSamples, { method: 'GET', pathParameters: at({ dataset_id: ds }), headers: auth(), query: { only_hard: 'true' } });
    expect(listed.body.sample_count).toBe(1);
    expect((await env.stores.metadata.get(classifyKeys.hardQuota(sv.body.service_id, new Date().toISOString().slice(0, 10))))?.n).toBe(1);
    expect((await call(deleteService, { method: 'DELETE', pathParameters: at({ service_id: sv.body.service_id }), headers: auth() })).status).toBe(204);
  }, 60_000);

  it('a HiLens hard-sample config may name the service: devices read the model it predicts with', async () => {
    const body = { dataset_id: datasetId, device_id: 'cam-1', data_count: 10, model_algorithm: 'image_classification' };
    const unknown = await call(createConfig, { pathParameters: at(), headers: auth(), json: { ...body, service_id: 'no-such-service' } });
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'ModelArts.0102']);
    const foreign = await call(createConfig, { pathParameters: { project_id: other.projectId }, headers: auth(other), json: { ...body, service_id: serviceId } });
    // The other project sees neither the dataset nor the service: ModelArts' "dataset does not exist".
    expect([foreign.status, foreign.body.error_code]).toEqual([404, 'ModelArts.4352']);
    const neither = await call(createConfig, { pathParameters: at(), headers: auth(), json: body });
    expect([neither.status, neither.body.error_msg]).toEqual([400, expect.stringMatching(/model_name/)]);
    const made = await call(createConfig, { pathParameters: at(), headers: auth(), json: { ...body, service_id: serviceId } });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    configId = made.body.config_id;
    expect(made.body).toMatchObject({ service_id: serviceId, model_id: firstModel, model_name: 'shapes', model_version: '0.0.1' });
  });

  it('trains on confirmed hard samples: a new model version, the service switched to it, the old one deletable only once unused', async () => {
    const hard = await call(listSamples, { method: 'GET', pathParameters: at({ dataset_id: datasetId }), headers: auth(), query: { only_hard: 'true' } });
    // A reviewer confirms each hard sample with its left half's shape.
    const confirmed = await call(updateSamples, {
      method: 'PUT',
      pathParameters: at({ dataset_id: datasetId }),
      headers: auth(),
      json: { samples: hard.body.samples.map((s: { sample_id: string; labels: Array<{ name: string }> }) => ({ sample_id: s.sample_id, labels: [{ name: s.labels[0].name, type: 0 }] })) },
    });
    expect(confirmed.body.success, JSON.stringify(confirmed.body)).toBe(true);
    const created = await startJob({ job_name: 'shapes_v2', dataset_id: datasetId, model_name: 'shapes' });
    expect(created.status).toBe(201);
    const done = await trainToEnd(created.body.job_id);
    expect(done.status, JSON.stringify(done)).toBe('Completed');
    expect(done.metrics.train_count + done.metrics.eval_count).toBe(27);
    const second = done.model_id;
    const m = await call(showModel, { method: 'GET', pathParameters: at({ model_id: second }), headers: auth() });
    expect(m.body).toMatchObject({ model_name: 'shapes', model_version: '0.0.2' });

    // The old model is in use: refused.
    const refused = await call(deleteModel, { method: 'DELETE', pathParameters: at({ model_id: firstModel }), headers: auth() });
    expect([refused.status, refused.body.error_code]).toEqual([400, 'ModelArts.3502']);
    const switched = await call(updateService, { method: 'PUT', pathParameters: at({ service_id: serviceId }), headers: auth(), json: { model_id: second } });
    expect(switched.body, JSON.stringify(switched.body)).toMatchObject({ model_id: second, model_version: '0.0.2' });
    expect((await call(showService, { method: 'GET', pathParameters: at({ service_id: serviceId }), headers: auth() })).body.model_id).toBe(second);
    expect((await predict(serviceId, { base64: (await shapeImage('triangle', 500)).toString('base64') })).body.predictResult.prediction).toBe('triangle');
    // Now the first model is free; the second is used.
    expect((await call(deleteModel, { method: 'DELETE', pathParameters: at({ model_id: firstModel }), headers: auth() })).status).toBe(204);
    expect((await call(deleteModel, { method: 'DELETE', pathParameters: at({ model_id: second }), headers: auth() })).body.error_code).toBe('ModelArts.3502');
    expect((await call(updateService, { method: 'PUT', pathParameters: at({ service_id: serviceId }), headers: auth(), json: { model_id: firstModel } })).body.error_code).toBe('ModelArts.0102');
    const services = await call(listServices, { method: 'GET', pathParameters: at(), headers: auth() });
    expect(services.body.services.map((s: { service_id: string }) => s.service_id)).toEqual([serviceId]);
    // The HiLens config that names the service follows the switch, in get_hard_sample_config too.
    const shown = await call(showConfig, { method: 'GET', pathParameters: at({ config_id: configId }), headers: auth() });
    expect(shown.body).toMatchObject({ service_id: serviceId, model_id: second, model_version: '0.0.2' });
    const listed = await call(listConfigs, { method: 'GET', pathParameters: at(), headers: auth(), query: { device_id: 'cam-1' } });
    expect(listed.body.hard_sample_setting.map((c: { model_id: string }) => c.model_id)).toEqual([second]);
    // Naming no service any more: the model last stored stays.
    const unlinked = await call(updateConfig, { method: 'PUT', pathParameters: at({ config_id: configId }), headers: auth(), json: { service_id: null, model_name: 'edge-shapes' } });
    expect(unlinked.body.service_id).toBeUndefined();
    expect(unlinked.body).toMatchObject({ model_id: firstModel, model_name: 'edge-shapes' });
  }, 300_000);
});

describe('stop and delete', () => {
  it('a stopped job never leaves a model, whether it was pending or running', async () => {
    const models = async () => (await call(listModels, { method: 'GET', pathParameters: at(), headers: auth() })).body.total_count;
    const count = await models();
    const pending = (await startJob({ job_name: 'stop_pending', dataset_id: datasetId })).body.job_id;
    const stopped = await call(stopJob, { pathParameters: at({ job_id: pending }), headers: auth() });
    expect(stopped.body.status).toBe('Stopped');
    expect(await runSpec(pending, 1)).toBe('duplicate');
    expect((await call(stopJob, { pathParameters: at({ job_id: pending }), headers: auth() })).body.error_code).toBe('ModelArts.2804');

    // Running: the stop request is honoured at the run's next check.
    const running = (await startJob({ job_name: 'stop_running', dataset_id: datasetId })).body.job_id;
    expect(await handOverAtOnce(running)).toBe('continued');
    expect((await call(stopJob, { pathParameters: at({ job_id: running }), headers: auth() })).body.status).toBe('Running');
    expect(await runSpec(running, 2)).toBe('stopped');
    expect((await job(running)).body.status).toBe('Stopped');
    expect(await models()).toBe(count);

    // Deleted while it runs: nothing is stored either.
    const deleted = (await startJob({ job_name: 'deleted', dataset_id: datasetId })).body.job_id;
    expect((await call(deleteJob, { method: 'DELETE', pathParameters: at({ job_id: deleted }), headers: auth() })).status).toBe(204);
    expect(await runSpec(deleted, 1)).toBe('gone');
    expect((await job(deleted)).body.error_code).toBe('ModelArts.0102');
    expect(await models()).toBe(count);
  }, 300_000);

  it('the watchdog fails a job whose every run delivery failed, and a late delivery does nothing', async () => {
    const models = async () => (await call(listModels, { method: 'GET', pathParameters: at(), headers: auth() })).body.total_count;
    const count = await models();
    const never = (await startJob({ job_name: 'never_ran', dataset_id: datasetId })).body.job_id;
    // A run that claimed its job and then died mid-way (its heartbeat stops).
    const died = (await startJob({ job_name: 'died', dataset_id: datasetId })).body.job_id;
    expect(await handOverAtOnce(died)).toBe('continued');
    const fresh = (await startJob({ job_name: 'fresh', dataset_id: datasetId })).body.job_id;
    const start = Date.now();
    // Not yet: 29 minutes of silence is within what a live run with retries can take.
    expect(await failStalledJobs(env.stores, p.projectId, start + 29 * 60_000)).toEqual([]);
    // Past the limit: both stalled jobs fail with the watchdog's code (the fresh one is looked at as of now).
    await env.stores.metadata.update(classifyKeys.job(p.projectId, fresh), { set: { updateTime: start + 40 * 60_000, createTime: start + 40 * 60_000 } });
    expect((await failStalledJobs(env.stores, p.projectId, start + 45 * 60_000)).sort()).toEqual([never, died].sort());
    for (const id of [never, died]) {
      const b = (await job(id)).body;
      expect([b.status, b.error_code]).toEqual(['Failed', 'ModelArts.2806']);
      expect(b.error_msg).toMatch(/no sign of life/);
    }
    expect((await job(fresh)).body.status).toBe('Pending');
    // A delivery that arrives after all: the job stays Failed and no model appears.
    expect(await runSpec(never, 1)).toBe('duplicate');
    expect(await runSpec(died, 2)).toBe('duplicate');
    expect((await job(died)).body.status).toBe('Failed');
    expect(await models()).toBe(count);
    await call(deleteJob, { method: 'DELETE', pathParameters: at({ job_id: fresh }), headers: auth() });
  }, 300_000);
});

describe('the sweep', () => {
  it('removes model artefacts that no committed model names, and keeps the live ones and the feature cache', async () => {
    const prefix = `data/${p.projectId}/models/`;
    const orphan = `${prefix}${newId()}.${newWriteId(Date.now() - 60 * 60 * 1000)}.json`;
    await env.stores.objects.put(orphan, Buffer.from('{}'));
    const before = await env.stores.objects.list(prefix);
    const live = before.filter((o) => !o.key.includes('/.features/') && o.key !== orphan);
    expect(live.length).toBeGreaterThan(0);
    const r = await sweepModels(env.stores, p.projectId, { now: Date.now() + 20 * 60 * 1000 });
    expect(r.objects).toBe(1);
    const after = new Set((await env.stores.objects.list(prefix)).map((o) => o.key));
    expect(after.has(orphan)).toBe(false);
    for (const o of before) if (o.key !== orphan) expect(after.has(o.key), o.key).toBe(true);
  });
});

describe('nothing half-written', () => {
  it('a job whose artefact upload fails leaves no model and no artefact', async () => {
    const models = async () => (await call(listModels, { method: 'GET', pathParameters: at(), headers: auth() })).body.total_count;
    const count = await models();
    const jobId = (await startJob({ job_name: 'upload_fails', dataset_id: datasetId })).body.job_id;
    const failing: Stores = {
      ...env.stores,
      objects: {
        ...env.stores.objects,
        list: env.stores.objects.list.bind(env.stores.objects),
        get: env.stores.objects.get.bind(env.stores.objects),
        head: env.stores.objects.head.bind(env.stores.objects),
        deleteMany: env.stores.objects.deleteMany.bind(env.stores.objects),
        put: async (key, body, o) => {
          if (key.includes('/models/') && !key.includes('/.features/')) throw new Error('S3 unavailable');
          return env.stores.objects.put(key, body, o);
        },
      } as Stores['objects'],
    };
    const artefacts = async () => (await env.stores.objects.list(`data/${p.projectId}/models/`)).filter((o) => !o.key.includes('/.features/')).length;
    const before = await artefacts();
    expect(await runJob(failing, { project_id: p.projectId, job_id: jobId, attempt: 1 }, { remainingMs: () => 600_000 })).toBe('failed');
    expect((await job(jobId)).body).toMatchObject({ status: 'Failed', error_code: 'ModelArts.0010' });
    expect(await models()).toBe(count);
    expect(await artefacts()).toBe(before);
  }, 120_000);

  it('a model deleted while a service is being created on it: exactly one of them wins', async () => {
    const jobId = (await startJob({ job_name: 'race', dataset_id: datasetId, model_name: 'race' })).body.job_id;
    const done = await trainToEnd(jobId);
    expect(done.status).toBe('Completed');
    const [del, created] = await Promise.all([
      call(deleteModel, { method: 'DELETE', pathParameters: at({ model_id: done.model_id }), headers: auth() }),
      call(createService, { pathParameters: at(), headers: auth(), json: { service_name: 'race', model_id: done.model_id } }),
    ]);
    expect([del.status === 204, created.status === 201].filter(Boolean)).toHaveLength(1);
    const model = await call(showModel, { method: 'GET', pathParameters: at({ model_id: done.model_id }), headers: auth() });
    if (created.status === 201) expect(model.body.service_count).toBe(1);
    else expect(model.status).toBe(404);
  }, 120_000);
});
