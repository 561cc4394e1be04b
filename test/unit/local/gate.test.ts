/**
 * The local stack's gate (scripts/local/gate.ts) in front of a stand-in for serverless-offline:
 * a real loopback HTTP server that answers the way serverless-offline 14 does (including its
 * HTTP 200 + `LambdaTimeoutError` + stack trace body for a timed-out HTTP API v2 route).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { functions } from '../../../functions';
import type { IrisFunction } from '../../../lib/deploy/types';
import { createGate, Limiter, QueueFull, QueueWaitExpired, routeTable, type Gate } from '../../../scripts/local/gate';

describe('routeTable', () => {
  const routes = routeTable(functions);

  it('maps each route of serverless.ts to its function, the most specific first', () => {
    expect(routes.match('POST', '/v2/p1/face-sets/s1/faces')).toBe('facesAdd');
    expect(routes.match('GET', '/v2/p1/face-sets/s1/faces')).toBe('facesQuery');
    expect(routes.match('DELETE', '/v2/p1/face-sets/s1/faces/batch')).toBe('facesBatchDelete');
    expect(routes.match('POST', '/v2/p1/face-sets/s1/search')).toBe('facesSearch');
    expect(routes.match('POST', '/v2/p1/datasets/d1/data-annotations/samples/delete')).toBe('deleteSamples');
    expect(routes.match('GET', '/v2/p1/datasets/d1/data-annotations/samples/abc')).toBe('showSample');
    expect(routes.match('POST', '/rest/2.0/realtime_search/same_hq/add')).toBe('searchAdd');
    expect(routes.match('POST', '/rest/2.0/image-classify/v1/realtime_search/similar/search')).toBe('searchSearch');
    expect(routes.match('GET', '/health?x=1')).toBe('health');
  });

  it('sends unknown routes and wrong methods to the $default function', () => {
    expect(routes.match('GET', '/nothing/here')).toBe('notFound');
    expect(routes.match('PATCH', '/v2/p1/face-sets/s1/faces')).toBe('notFound');
  });
});

describe('Limiter', () => {
  it('lets `limit` holders in per key, queues the rest in order and refuses past the queue bound', async () => {
    const l = new Limiter(2, 2);
    const a = await l.acquire('f');
    const b = await l.acquire('f');
    const order: string[] = [];
    const c = l.acquire('f').then((r) => (order.push('c'), r));
    const d = l.acquire('f').then((r) => (order.push('d'), r));
    await expect(l.acquire('f')).rejects.toBeInstanceOf(QueueFull);
    expect(l.stats('f')).toEqual({ active: 2, waiting: 2 });
    const other = await l.acquire('g'); // another function has its own lane
    other();
    a();
    (await c)();
    b();
    b(); // releasing twice frees one slot only
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(l.stats('f')).toEqual({ active: 0, waiting: 0 });
  });

  it('withdraws a waiter after its longest wait or when its client is gone', async () => {
    const l = new Limiter(1, 10);
    const held = await l.acquire('f');
    await expect(l.acquire('f', { maxWaitMs: 20 })).rejects.toBeInstanceOf(QueueWaitExpired);
    const gone = new AbortController();
    const w = l.acquire('f', { signal: gone.signal });
    gone.abort();
    await expect(w).rejects.toThrow('withdrawn');
    expect(l.stats('f')).toEqual({ active: 1, waiting: 0 });
    held();
  });
});

// A stand-in for serverless-offline with one slow function.
const fn = (name: string, family: string, method: string, path: string, access: IrisFunction['access'] = {}): IrisFunction =>
  ({
    name,
    folder: name,
    config: { handler: 'x', events: [{ httpApi: { method, path } }] },
    access,
    operation: { kind: 'http', name, family, method, path, access } as unknown as IrisFunction['operation'],
  }) as IrisFunction;
const fns: IrisFunction[] = [
  fn('slow', 'frs', 'POST', '/v2/{project_id}/face-sets/{name}/faces', { nativeLayer: true }),
  fn('boom', 'baidu', 'POST', '/rest/2.0/realtime_search/same_hq/add'),
  fn('datasets', 'modelarts', 'GET', '/v2/{project_id}/datasets'),
  { ...fn('fallback', 'plain', 'GET', '/'), config: { handler: 'x', events: [{ httpApi: '*' }] }, operation: { kind: 'fallback' } as unknown as IrisFunction['operation'] },
];

let upstream: Server | undefined;
let gate: Gate | undefined;
afterEach(async () => {
  await gate?.close();
  await new Promise((r) => (upstream ? upstream.close(r) : r(undefined)));
  upstream = gate = undefined;
});

async function start(handler: (req: IncomingMessage, res: ServerResponse) => void, limits = { perFunction: 2, native: 2, maxQueue: 64, maxWaitMs: 60_000 }) {
  upstream = createServer(handler);
  await new Promise<void>((r) => upstream!.listen(0, '127.0.0.1', () => r()));
  const log: string[] = [];
  gate = createGate({ upstreamPort: (upstream.address() as AddressInfo).port, functions: fns, log: (l) => log.push(l), ...limits });
  const port = await gate.listen(0, ['127.0.0.1']);
  return { url: `http://127.0.0.1:${port}`, log };
}

describe('the gate', () => {
  it('never runs more than the per-function limit at once, and answers every queued request', async () => {
    let running = 0;
    let most = 0;
    const { url } = await start((req, res) => {
      running++;
      most = Math.max(most, running);
      req.resume();
      setTimeout(() => {
        running--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"faces":[]}');
      }, 30);
    });
    const answers = await Promise.all(Array.from({ length: 12 }, () => fetch(`${url}/v2/p/face-sets/s/faces`, { method: 'POST', body: '{}' })));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(await answers[0].json()).toEqual({ faces: [] });
    expect(most).toBe(2);
  });

  it("answers serverless-offline's 200-with-stack-trace as the family's internal error, without the trace", async () => {
    const { url, log } = await start((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorMessage: '[504] - Lambda timeout.', errorType: 'LambdaTimeoutError', stackTrace: ['LambdaTimeoutError: [504] - Lambda timeout.', '    at LambdaFunction.js:291'] }));
    });
    const frs = await fetch(`${url}/v2/p/face-sets/s/faces`, { method: 'POST', body: '{}' });
    const frsText = await frs.text();
    expect(frs.status).toBe(500);
    expect(JSON.parse(frsText)).toMatchObject({ error_code: 'FRS.0018' });
    expect(frsText).not.toMatch(/stackTrace|LambdaTimeoutError|LambdaFunction/);
    const baidu: any = await (await fetch(`${url}/rest/2.0/realtime_search/same_hq/add`, { method: 'POST', body: 'x' })).json();
    expect(baidu).toMatchObject({ error_code: 282000 });
    expect(typeof baidu.log_id).toBe('number');
    expect(log.join('\n')).toMatch(/LambdaTimeoutError/); // the developer still sees it
  });

  it("answers a full queue with the family's rate-limit error", async () => {
    const { url } = await start(
      (req, res) => {
        req.resume();
        setTimeout(() => res.end('{}'), 100);
      },
      { perFunction: 1, native: 1, maxQueue: 1, maxWaitMs: 60_000 },
    );
    const answers = await Promise.all(Array.from({ length: 3 }, () => fetch(`${url}/v2/p/face-sets/s/faces`, { method: 'POST', body: '{}' }).then(async (r) => ({ status: r.status, body: await r.json() }))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429]);
    expect(answers.find((a) => a.status === 429)!.body).toMatchObject({ error_code: 'FRS.0033' });
  });

  it("answers an unreachable serverless-offline with the family's internal error", async () => {
    const { url } = await start((req) => req.socket.destroy());
    const r = await fetch(`${url}/v2/p/datasets`, { method: 'GET' });
    expect(r.status).toBe(500);
    expect(await r.json()).toMatchObject({ error_code: 'ModelArts.0010' });
  });

  it('frees the slot of a client that left before sending its whole body', async () => {
    const { url } = await start(
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('{"faces":[]}')); // answers only once the body is complete
      },
      { perFunction: 1, native: 1, maxQueue: 8, maxWaitMs: 60_000 },
    );
    const { port } = new URL(url);
    const sock = connect(Number(port), '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write('POST /v2/p/face-sets/s/faces HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"half":');
    await new Promise((r) => setTimeout(r, 100));
    sock.destroy();
    const next = await fetch(`${url}/v2/p/face-sets/s/faces`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(10_000) });
    expect(next.status).toBe(200);
  });

  it('passes bodies, headers and statuses through unchanged', async () => {
    const { url } = await start((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/octet-stream', 'x-subject-token': 'tok' });
        res.end(Buffer.concat([Buffer.from(`${req.method} ${req.url} ${req.headers['x-auth-token']} `), ...chunks]));
      });
    });
    const r = await fetch(`${url}/v3/auth/tokens?a=1`, { method: 'POST', headers: { 'x-auth-token': 'abc' }, body: Buffer.from([0, 1, 2, 255]) });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-subject-token')).toBe('tok');
    expect([...Buffer.from(await r.arrayBuffer())]).toEqual([...Buffer.from('POST /v3/auth/tokens?a=1 abc '), 0, 1, 2, 255]);
  });
});
