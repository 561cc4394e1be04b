/**
 * The local stack's front door: a small HTTP proxy on the public port, in front of
 * serverless-offline, that gives each function a bounded queue.
 *
 * Why it exists (serverless-offline 14, read in node_modules/serverless-offline/src/lambda):
 * `LambdaFunctionPool.get()` reuses an IDLE worker thread but starts a new, cold one for every
 * request that finds none idle — there is no option for a maximum per function. A burst of N
 * requests to a model-loading function therefore loads the models N times at once (≈10 s each on
 * 2 cores), runs past the function timeout, and serverless-offline answers the
 * `LambdaTimeoutError` of an HTTP API v2 route as HTTP 200 with the error and its stack trace as
 * the body. `useInProcess` runs every function in serverless-offline's own process instead: one
 * copy of each bundle, but no isolation, no timeout that stops a handler, a shared process.env
 * and still no bound on concurrency. So the gate keeps the worker threads and:
 *
 *  - lets at most `perFunction` requests of one function (and `native` requests of all functions
 *    that load the native layer together) run at once; the rest wait in a FIFO queue of at most
 *    `maxQueue` per function, so serverless-offline never needs more than `perFunction` warm
 *    workers per function and reuses them;
 *  - answers a full queue, or a wait longer than `maxWaitMs`, with the family's rate-limit error;
 *  - never lets a serverless-offline error body (`errorType`/`stackTrace`) or a broken upstream
 *    reach the client: it logs it and answers the family's internal error (`familyOf` +
 *    `errorEnvelope`, the same mapping the functions use).
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { familyOf as familyIn, routeFamilies } from '../../lib/http/routes';
import type { IrisFunction } from '../../lib/deploy/types';
import { IrisError } from '../../lib/errors';
import { errorEnvelope } from '../../lib/http/envelope';
import { newLogId } from '../../lib/http/families/baidu';

// ---------------------------------------------------------------------------------------------
// Routes: which function an HTTP API route key belongs to (API Gateway's most-specific-match).

interface Route {
  fn: string;
  method: string;
  segments: string[];
  greedy: boolean;
  literals: number;
}

export interface RouteTable {
  /** The function that serves `method path`; the `$default` function when no route matches. */
  match(method: string, path: string): string | undefined;
}

export function routeTable(fns: Array<Pick<IrisFunction, 'name' | 'config'>>): RouteTable {
  const routes: Route[] = [];
  let fallback: string | undefined;
  for (const fn of fns) {
    for (const ev of fn.config.events ?? []) {
      if (!('httpApi' in ev)) continue;
      if (ev.httpApi === '*') {
        fallback = fn.name;
        continue;
      }
      const segments = ev.httpApi.path.split('/').filter(Boolean);
      const greedy = /^\{[^}]+\+\}$/.test(segments.at(-1) ?? '');
      routes.push({ fn: fn.name, method: ev.httpApi.method.toUpperCase(), segments, greedy, literals: segments.filter((s) => !s.startsWith('{')).length });
    }
  }
  // Most literal segments first, then exact methods before ANY, then non-greedy before greedy.
  routes.sort((a, b) => b.literals - a.literals || Number(a.method === 'ANY') - Number(b.method === 'ANY') || Number(a.greedy) - Number(b.greedy) || b.segments.length - a.segments.length);
  const matches = (r: Route, parts: string[]) => {
    if (r.greedy ? parts.length < r.segments.length : parts.length !== r.segments.length) return false;
    const n = r.greedy ? r.segments.length - 1 : r.segments.length;
    for (let i = 0; i < n; i++) {
      const s = r.segments[i];
      if (!s.startsWith('{') && s !== parts[i]) return false;
    }
    return true;
  };
  return {
    match(method, path) {
      const parts = path.split('?')[0].split('/').filter(Boolean);
      const m = method.toUpperCase();
      return routes.find((r) => (r.method === m || r.method === 'ANY') && matches(r, parts))?.fn ?? fallback;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Limiter: at most `limit` holders per key, FIFO waiters, bounded queue.

export class QueueFull extends Error {}
export class QueueWaitExpired extends Error {}

interface Lane {
  active: number;
  waiting: Array<{ grant: () => void; reject: (e: Error) => void }>;
}

export class Limiter {
  private lanes = new Map<string, Lane>();
  constructor(
    private readonly limit: number,
    private readonly maxQueue: number,
  ) {}

  /** Waits for a slot of `key`; resolves with its release function. `signal` withdraws a waiter. */
  acquire(key: string, opts: { maxWaitMs?: number; signal?: AbortSignal } = {}): Promise<() => void> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { active: 0, waiting: [] }));
    const l = lane;
    const release = () => {
      const next = l.waiting.shift();
      if (next) next.grant();
      else {
        l.active--;
        if (l.active === 0) this.lanes.delete(key);
      }
    };
    if (l.active < this.limit) {
      l.active++;
      return Promise.resolve(once(release));
    }
    if (l.waiting.length >= this.maxQueue) return Promise.reject(new QueueFull(`${l.waiting.length} requests already waiting`));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const entry = {
        grant: () => {
          cleanup();
          resolve(once(release));
        },
        reject: (e: Error) => {
          cleanup();
          reject(e);
        },
      };
      const withdraw = (e: Error) => {
        const i = l.waiting.indexOf(entry);
        if (i >= 0) l.waiting.splice(i, 1);
        entry.reject(e);
      };
      const onAbort = () => withdraw(new Error('withdrawn'));
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      if (opts.maxWaitMs) timer = setTimeout(() => withdraw(new QueueWaitExpired(`waited ${opts.maxWaitMs} ms`)), opts.maxWaitMs);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      l.waiting.push(entry);
    });
  }

  /** Requests running and waiting for `key`. */
  stats(key: string): { active: number; waiting: number } {
    const l = this.lanes.get(key);
    return { active: l?.active ?? 0, waiting: l?.waiting.length ?? 0 };
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      f();
    }
  };
}

// ---------------------------------------------------------------------------------------------
// The gate.

export interface GateOptions {
  /** serverless-offline's port, read at each request (it may be started again on another). */
  upstreamPort: number | (() => number);
  functions: IrisFunction[];
  /** Requests of one function running at once. */
  perFunction: number;
  /** Requests of native-layer (model-loading) functions running at once, all functions together. */
  native: number;
  /** Requests waiting per function before the family's rate-limit error. */
  maxQueue: number;
  /** Longest wait in the queue before the family's rate-limit error. */
  maxWaitMs: number;
  log: (line: string) => void;
}

export interface Gate {
  listen(port: number, hosts: string[]): Promise<number>;
  /** Runs `task` under the function's limits (the S3 trigger invocations use it too). */
  run<T>(fn: string, task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What serverless-offline makes of a failed invocation: `{errorMessage, errorType, stackTrace}`. */
export function offlineError(body: Buffer, contentType: string | undefined): { errorType: string; errorMessage: string } | undefined {
  if (body.length > 1_000_000 || !/json/i.test(contentType ?? '')) return undefined;
  try {
    const v = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (v && typeof v === 'object' && typeof v.errorType === 'string' && 'stackTrace' in v) return { errorType: v.errorType, errorMessage: String(v.errorMessage ?? '') };
  } catch {
    /* not JSON: a function's own body */
  }
  return undefined;
}

export function createGate(opts: GateOptions): Gate {
  const routes = routeTable(opts.functions);
  // The family of a path, from the declared routes (the same table the `$default` route uses).
  const families = routeFamilies(opts.functions.flatMap((f) => (f.operation ? [f.operation] : [])));
  const familyOf = (path: string) => familyIn(path, families);
  const nativeFns = new Set(opts.functions.filter((f) => f.access.nativeLayer).map((f) => f.name));
  const perFn = new Limiter(opts.perFunction, opts.maxQueue);
  const native = new Limiter(opts.native, Number.MAX_SAFE_INTEGER);
  const servers: Server[] = [];

  async function withSlots<T>(fn: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const deadline = Date.now() + opts.maxWaitMs;
    const releaseFn = await perFn.acquire(fn, { maxWaitMs: opts.maxWaitMs, signal });
    let releaseNative: (() => void) | undefined;
    try {
      if (nativeFns.has(fn)) releaseNative = await native.acquire('native', { maxWaitMs: Math.max(1, deadline - Date.now()), signal });
      return await task();
    } finally {
      releaseNative?.();
      releaseFn();
    }
  }

  const answer = (res: ServerResponse, path: string, err: IrisError) => {
    const env = errorEnvelope(familyOf(path), err, { logId: newLogId(), requestId: randomUUID() });
    if (res.headersSent || res.destroyed) return;
    res.writeHead(env.statusCode ?? 500, env.headers as Record<string, string>);
    res.end(env.body);
  };

  const forward = (req: IncomingMessage): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const up = httpRequest({ host: '127.0.0.1', port: typeof opts.upstreamPort === 'function' ? opts.upstreamPort() : opts.upstreamPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
        r.on('error', reject);
      });
      up.on('error', reject);
      req.pipe(up);
      req.on('error', (e) => up.destroy(e));
      // A client gone before its body arrived: without this, serverless-offline would wait for the
      // rest of the body and the slot would never be released.
      req.on('close', () => {
        if (!req.complete) up.destroy(new Error('client closed the connection'));
      });
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const fn = routes.match(req.method ?? 'GET', path) ?? 'default';
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    try {
      const up = await withSlots(fn, () => forward(req), gone.signal);
      const failure = offlineError(up.body, up.headers['content-type']);
      if (failure || up.status === 502) {
        opts.log(`λ ${fn} failed (${failure?.errorType ?? `HTTP ${up.status}`}): ${failure?.errorMessage ?? up.body.toString('utf8').slice(0, 300)}`);
        return answer(res, path, new IrisError('INTERNAL', 'function failed'));
      }
      const headers = { ...up.headers };
      delete headers['transfer-encoding'];
      delete headers.connection;
      headers['content-length'] = String(up.body.length);
      res.writeHead(up.status, headers);
      res.end(up.body);
    } catch (e) {
      if (gone.signal.aborted) return;
      if (e instanceof QueueFull || e instanceof QueueWaitExpired) {
        opts.log(`λ ${fn} busy: ${(e as Error).message}`);
        return answer(res, path, new IrisError('RATE_LIMIT', 'the local stack is busy, please retry later'));
      }
      opts.log(`λ ${fn} unreachable: ${(e as Error).message}`);
      return answer(res, path, new IrisError('INTERNAL', 'upstream failed'));
    }
  };

  return {
    async listen(port, hosts) {
      let bound = port;
      for (const host of hosts) {
        const srv = createServer((req, res) => void handle(req, res));
        srv.keepAliveTimeout = 5_000;
        srv.requestTimeout = 0; // queued requests may wait longer than Node's default 300 s budget
        try {
          await new Promise<void>((resolve, reject) => {
            srv.once('error', reject);
            srv.listen(bound, host, () => resolve());
          });
        } catch (e) {
          // No IPv6 loopback on this machine: IPv4 alone is enough.
          if (host === '::1' && ['EADDRNOTAVAIL', 'EAFNOSUPPORT'].includes((e as NodeJS.ErrnoException).code ?? '')) continue;
          throw e;
        }
        bound = (srv.address() as AddressInfo).port;
        servers.push(srv);
      }
      return bound;
    },
    run: (fn, task) => withSlots(fn, task),
    async close() {
      await Promise.all(
        servers.splice(0).map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
