/**
 * End to end, on the local stack as `npm start` runs it: a burst of concurrent requests to a
 * model-loading function is queued onto warm workers instead of starting a cold worker (and
 * loading the models) per request — every request answers in the family's envelope, none with
 * serverless-offline's stack trace — and image URLs on private or loopback addresses are refused
 * unless IRIS_ALLOW_PRIVATE_URLS=1 is set.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack';

let stack: LocalStack;
let dataDir: string;
let token: string;
let pictures: Server;
let hits = 0;
/** Set once the stack refused a loopback URL: only then is a private-range URL ever sent to it. */
let loopbackRefused = false;
const savedPrivate = process.env.IRIS_ALLOW_PRIVATE_URLS;
const face = readFileSync(join(process.cwd(), 'node_modules/@vladmandic/face-api/demo/sample1.jpg'));

beforeAll(async () => {
  delete process.env.IRIS_ALLOW_PRIVATE_URLS; // the default a developer gets
  dataDir = await mkdtemp(join(tmpdir(), 'iris-e2e-load-'));
  process.env.IRIS_ESBUILD_DIR = '.esbuild-e2e-load';
  stack = await startLocalStack({ port: 0, dataDir, log: () => undefined });
  const r = await fetch(`${stack.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: stack.credentials.apiKey, password: stack.credentials.secretKey } } },
        scope: { project: { id: stack.credentials.projectId } },
      },
    }),
  });
  token = r.headers.get('x-subject-token')!;
  // A picture server on loopback that counts every request it gets.
  pictures = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(face);
  });
  await new Promise<void>((res) => pictures.listen(0, '127.0.0.1', () => res()));
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => pictures?.close(r));
  await rm(dataDir, { recursive: true, force: true });
  if (savedPrivate === undefined) delete process.env.IRIS_ALLOW_PRIVATE_URLS;
  else process.env.IRIS_ALLOW_PRIVATE_URLS = savedPrivate;
});

const frs = (path: string, body: unknown) =>
  fetch(`${stack.url}/v2/${stack.credentials.projectId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify(body) });

describe('the local stack under a burst', () => {
  it('answers 8 concurrent face adds to a cold function, each in the FRS envelope, none with a stack trace', async () => {
    expect((await frs('/face-sets', { face_set_name: 'burst' })).status).toBe(200);
    const image_base64 = face.toString('base64');
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const r = await frs('/face-sets/burst/faces', { image_base64, external_image_id: `burst-${i}` });
        return { status: r.status, text: await r.text() };
      }),
    );
    for (const a of answers) {
      expect(a.text).not.toMatch(/stackTrace|errorType|LambdaTimeoutError/);
      expect(a.status, a.text.slice(0, 200)).toBe(200);
      expect(JSON.parse(a.text).faces.length).toBeGreaterThan(0);
    }
    const ids = new Set(answers.map((a) => JSON.parse(a.text).faces[0].external_image_id));
    expect(ids.size).toBe(8);
  }, 240_000);
});

describe('image URLs on private addresses (safe by default)', () => {
  it('is off unless IRIS_ALLOW_PRIVATE_URLS=1 is set', () => {
    expect(stack.allowPrivateUrls).toBe(false);
  });

  it('refuses a loopback picture server before connecting to it', async () => {
    const { port } = pictures.address() as AddressInfo;
    const r = await frs('/face-sets/burst/faces', { image_url: `http://127.0.0.1:${port}/face.jpg` });
    const body: any = await r.json();
    expect(r.status).toBe(400);
    expect(body.error_code).toBe('FRS.0022');
    expect(body.error_msg).toMatch(/non-public address/);
    expect(hits).toBe(0);
    loopbackRefused = true;
  }, 120_000);

  it('refuses a private-range address (checked before any connection is made)', async () => {
    // A stack that fetched the loopback URL would also connect to 10.0.0.1: never let it.
    expect(loopbackRefused, 'the loopback URL was not refused; not sending a private-range URL').toBe(true);
    const r = await frs('/face-sets/burst/search', { image_url: 'http://10.0.0.1/face.jpg' });
    const body: any = await r.json();
    expect(r.status).toBe(400);
    expect(body).toMatchObject({ error_code: 'FRS.0022' });
    expect(body.error_msg).toMatch(/non-public address/);
  }, 120_000);
});
