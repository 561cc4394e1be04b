/**
 * Classification end to end on the local stack as `npm start` runs it: the create call returns at
 * once, s3rver delivers the job spec object under `jobs/` to the training function (serverless-offline),
 * the job completes on its own, and the published model answers predict over HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack';
import { SHAPE_LABELS, shapeImage } from '../support/shapes';

let stack: LocalStack;
let dataDir: string;
let token: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'iris-e2e-classify-'));
  process.env.IRIS_ESBUILD_DIR = '.esbuild-e2e-classify';
  stack = await startLocalStack({ port: 0, dataDir, log: () => undefined, verbose: process.env.IRIS_VERBOSE === '1' });
  const c = stack.credentials;
  const r = await fetch(`${stack.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: c.apiKey, password: c.secretKey } } }, scope: { project: { id: c.projectId } } } }),
  });
  token = r.headers.get('x-subject-token')!;
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const api = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${stack.url}${path}`, { method, headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
};

describe('classification on the local stack', () => {
  it('trains asynchronously through the S3 trigger and predicts over HTTP', async () => {
    const project = stack.credentials.projectId;
    const ds = await api('POST', `/v2/${project}/datasets`, { dataset_name: 'e2e_shapes', dataset_type: 0, data_sources: [{ data_path: '/b/in/' }], work_path: '/b/out/' });
    expect(ds.status, JSON.stringify(ds.body)).toBe(200);
    const samples = [];
    for (const label of SHAPE_LABELS) for (let i = 0; i < 5; i++) samples.push({ name: `${label}-${i}.png`, data: (await shapeImage(label, i)).toString('base64'), labels: [{ name: label, type: 0 }] });
    const added = await api('POST', `/v2/${project}/datasets/${ds.body.dataset_id}/data-annotations/samples`, { samples });
    expect(added.body.success, JSON.stringify(added.body)).toBe(true);

    const created = await api('POST', `/v2/${project}/training-jobs`, { job_name: 'e2e', dataset_id: ds.body.dataset_id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('Pending');
    let job: any;
    const until = Date.now() + 240_000;
    do {
      await new Promise((r) => setTimeout(r, 1000));
      job = (await api('GET', `/v2/${project}/training-jobs/${created.body.job_id}`)).body;
    } while (!['Completed', 'Failed', 'Stopped'].includes(job.status) && Date.now() < until);
    expect(job.status, JSON.stringify(job)).toBe('Completed');
    expect(job.metrics.eval_count).toBe(3);

    const sv = await api('POST', `/v1/${project}/services`, { service_name: 'e2e', model_id: job.model_id });
    expect(sv.status, JSON.stringify(sv.body)).toBe(201);
    const url = sv.body.predict_url.startsWith('http') ? sv.body.predict_url : `${stack.url}${sv.body.predict_url}`;
    const r = await fetch(url, { method: 'POST', headers: { 'x-auth-token': token, 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify({ base64: (await shapeImage('triangle', 50, 'jpeg')).toString('base64') }) });
    const answer: any = await r.json();
    expect(answer.code, JSON.stringify(answer)).toBe(10000);
    expect(answer.predictResult.prediction).toBe('triangle');
    const unknown: any = await (await fetch(`${stack.url}/v1/${project}/predict`, { method: 'POST', body: '{}' })).json();
    expect(unknown.code).toBe(1100);
  }, 400_000);
});
