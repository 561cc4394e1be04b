/**
 * End to end: starts the local stack exactly as `npm start` does (serverless-offline, s3rver
 * with triggers, dynalite on disk, LanceDB folder) and talks to it over HTTP and S3.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack';
import committedOpenApi from '../../clients/iris/openapi.json';
import { createIrisClient, iamToken as signIn } from '../../clients/iris';

let stack: LocalStack;
let dataDir: string;
let iamToken: string;

const iamBody = (s: LocalStack) => ({
  auth: {
    identity: { methods: ['password'], password: { user: { name: s.credentials.apiKey, password: s.credentials.secretKey } } },
    scope: { project: { id: s.credentials.projectId } },
  },
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'iris-e2e-'));
  process.env.IRIS_ESBUILD_DIR = '.esbuild-e2e';
  stack = await startLocalStack({ port: 0, dataDir, log: () => undefined, verbose: process.env.IRIS_VERBOSE === '1' });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local stack', () => {
  it('answers /health with every backing service up', async () => {
    const r = await fetch(`${stack.url}/health`);
    expect(r.status).toBe(200);
    const body: any = await r.json();
    expect(body.status).toBe('ok');
    expect(Object.values(body.services).every((s: any) => s.ok)).toBe(true);
  });

  it('issues a Baidu token for the printed dev credentials and refuses a wrong secret', async () => {
    const c = stack.credentials;
    const ok = await fetch(`${stack.url}/oauth/2.0/token?grant_type=client_credentials&client_id=${c.apiKey}&client_secret=${c.secretKey}`, { method: 'POST' });
    expect(((await ok.json()) as any).scope).toContain('brain_all_scope');
    const bad = await fetch(`${stack.url}/oauth/2.0/token?grant_type=client_credentials&client_id=${c.apiKey}&client_secret=nope`, { method: 'POST' });
    expect(bad.status).toBe(401);
  });

  it('issues a Huawei X-Subject-Token', async () => {
    const r = await fetch(`${stack.url}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(iamBody(stack)) });
    expect(r.status).toBe(201);
    iamToken = r.headers.get('x-subject-token')!;
    expect(iamToken).toBeTruthy();
  });

  it('serves the official baidu-aip-sdk, unmodified, over HTTP (similar library, real engine)', async () => {
    const created = await fetch(`${stack.url}/v1/${stack.credentials.projectId}/image-libraries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': iamToken },
      body: JSON.stringify({ kind: 'similar' }),
    });
    expect(created.status).toBe(201);
    const sdk = createRequire(import.meta.url)('baidu-aip-sdk');
    sdk.HttpClient.setRequestInterceptor((o: Record<string, unknown>) => ({ ...o, url: String(o.url).replace(/^https?:\/\/aip\.baidubce\.com/, stack.url) }));
    try {
      const client = new sdk.imageSearch('iris-e2e', stack.credentials.apiKey, stack.credentials.secretKey);
      const picture = (hue: number) =>
        sharp({ create: { width: 256, height: 192, channels: 3, background: { r: hue, g: 255 - hue, b: 90 } } })
          .composite([{ input: Buffer.from(`<svg width="256" height="192"><circle cx="${60 + hue / 3}" cy="96" r="50" fill="#203060"/></svg>`) }])
          .jpeg()
          .toBuffer();
      const red = (await picture(220)).toString('base64');
      const green = (await picture(20)).toString('base64');
      const added = await client.similarAdd(red, { brief: '{"name":"red"}', tags: '1,2' });
      expect(added.cont_sign).toMatch(/^\d+,\d+$/);
      await client.similarAdd(green, { brief: '{"name":"green"}', tags: '1' });
      const again = await client.similarAdd(red, { brief: 'dup' });
      expect(again.error_code).toBe(216681);
      const found = await client.similarSearch(red, { tags: '2', tag_logic: '0' });
      expect(found.result.map((r: { brief: string }) => r.brief)).toEqual(['{"name":"red"}']);
      const all = await client.similarSearch(red);
      expect(all.result[0].brief).toBe('{"name":"red"}');
      expect(all.result[0].score).toBeGreaterThan(all.result[1].score);
    } finally {
      sdk.HttpClient.setRequestInterceptor(null);
    }
  }, 120_000);

  it('answers unknown routes in the dialect of the path', async () => {
    const baidu: any = await (await fetch(`${stack.url}/rest/2.0/nothing/here`, { method: 'POST' })).json();
    expect(baidu).toMatchObject({ error_code: 3 });
    const frs = await fetch(`${stack.url}/v2/${stack.credentials.projectId}/face-sets-typo`);
    expect(frs.status).toBe(404);
  });

  it('refuses another project in the path with the family code', async () => {
    const r = await fetch(`${stack.url}/v1/${'0'.repeat(32)}/ingest/records`, { headers: { 'x-auth-token': iamToken } });
    expect(r.status).toBe(403);
  });

  it('delivers an S3 upload under the trigger prefix to its function, which records the outcome', async () => {
    const s3 = new S3Client({ endpoint: stack.s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const key = `ingest/${stack.credentials.projectId}/no-such-importer/frame 1.jpg`;
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: Buffer.from('not really an image') }));
    // Outside the trigger prefix: no invocation.
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: `data/${stack.credentials.projectId}/x.jpg`, Body: Buffer.from('x') }));
    s3.destroy();
    await stack.triggersIdle();
    const r = await fetch(`${stack.url}/v1/${stack.credentials.projectId}/ingest/records?status=failed`, { headers: { 'x-auth-token': iamToken } });
    const body: any = await r.json();
    expect(r.status).toBe(200);
    expect(body.records.map((x: any) => x.key)).toEqual([key]);
    expect(body.records[0].error.message).toMatch(/no importer named "no-such-importer"/);
  });

  it('serves a console where a user signs in and sees the services and the failed upload', async () => {
    const executablePath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${stack.url}/console`);
      await page.waitForSelector('#health tr[data-service="metadata"]');
      expect(await page.locator('#health .ok').count()).toBe(3);
      await page.fill('#apiKey', stack.credentials.apiKey);
      await page.fill('#secretKey', 'wrong');
      await page.click('button[type=submit]');
      await page.waitForSelector('#signin-status.bad');
      await page.fill('#secretKey', stack.credentials.secretKey);
      await page.click('button[type=submit]');
      await page.waitForSelector('#project-section:not([hidden])');
      await page.waitForFunction(() => (globalThis as any).document.querySelector('#ingest tbody')?.textContent?.includes('no-such-importer'));
      expect(await page.textContent('#project-id')).toBe(stack.credentials.projectId);
      if (process.env.IRIS_SCREENSHOT) await page.screenshot({ path: process.env.IRIS_SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('is driven by the typed client (clients/iris): libraries, face sets, datasets, hard-sample configs', async () => {
    const project_id = stack.credentials.projectId;
    const iris = createIrisClient({ baseUrl: stack.url, token: await signIn(stack.url, stack.credentials) });
    const path = { project_id };
    const created = await iris.POST('/v1/{project_id}/image-libraries', { params: { path }, body: { kind: 'product', capacity: 1000 } });
    expect(created.response.status).toBe(201);
    expect(created.data?.library).toMatchObject({ kind: 'product', capacity: 1000, image_count: 0 });
    const listed = await iris.GET('/v1/{project_id}/image-libraries', { params: { path } });
    expect(listed.data?.libraries.map((l) => l.kind)).toEqual(expect.arrayContaining(['product', 'similar']));
    const set = await iris.POST('/v2/{project_id}/face-sets', { params: { path }, body: { face_set_name: 'client_e2e' } });
    expect(set.response.status).toBe(200);
    const shown = await iris.GET('/v2/{project_id}/face-sets/{face_set_name}', { params: { path: { project_id, face_set_name: 'client_e2e' } } });
    expect(JSON.stringify(shown.data)).toContain('client_e2e');
    const ds = await iris.POST('/v2/{project_id}/datasets', {
      params: { path },
      body: { dataset_name: 'client_e2e', data_sources: [{ data_path: '/bucket/in/' }], work_path: '/bucket/out/' },
    });
    const dataset_id = ds.data!.dataset_id;
    expect(dataset_id).toBeTruthy();
    const cfg = await iris.POST('/v1/{project_id}/hard-sample-configs', {
      params: { path },
      body: { dataset_id, device_id: 'camera-1', data_count: 10, model_algorithm: 'object_detection', model_name: 'detector' },
    });
    expect(cfg.response.status).toBe(200);
    const configs = await iris.GET('/v1/{project_id}/hard-sample-configs', { params: { path, query: { device_id: 'camera-1' } } });
    expect(JSON.stringify(configs.data)).toContain(dataset_id);
    // Errors come back in the family's envelope, typed as such.
    const missing = await iris.GET('/v2/{project_id}/datasets/{dataset_id}', { params: { path: { project_id, dataset_id: 'no-such-dataset' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error_code).toBe('ModelArts.4352');
  }, 120_000);

  it('serves /openapi.json as committed and an unknown hard-sample-config sub-route in the ModelArts envelope', async () => {
    const doc = await fetch(`${stack.url}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(await doc.json()).toEqual(committedOpenApi);
    const unknown = await fetch(`${stack.url}/v1/${stack.credentials.projectId}/hard-sample-configs/x/no-such-route`, { headers: { 'x-auth-token': iamToken } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error_code).toBe('APIG.0101');
  });

  it('renders the API description at /docs from its own bundle, with no outside request', async () => {
    const executablePath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const outside: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(stack.url) && !r.url().startsWith('data:')) outside.push(r.url());
      });
      // Reached from the console, as a person would.
      await page.goto(`${stack.url}/console`);
      await page.click('#api-docs');
      await page.waitForURL(/\/docs$/);
      await page.waitForSelector('.opblock-summary-path');
      expect(await page.locator('.opblock-summary-path', { hasText: '/v1/{project_id}/image-libraries' }).count()).toBeGreaterThan(0);
      expect(outside).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('keeps data and credentials across a restart', async () => {
    const before = stack.credentials;
    await stack.stop();
    stack = await startLocalStack({ port: 0, dataDir, log: () => undefined });
    expect(stack.credentials).toEqual(before);
    const r = await fetch(`${stack.url}/oauth/2.0/token?grant_type=client_credentials&client_id=${before.apiKey}&client_secret=${before.secretKey}`, { method: 'POST' });
    expect(r.status).toBe(200);
    const records = await fetch(`${stack.url}/v1/${before.projectId}/ingest/records?status=failed`, { headers: { 'x-auth-token': iamToken } });
    expect(((await records.json()) as any).records).toHaveLength(1);
  }, 300_000);
});
