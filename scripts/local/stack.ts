/**
 * The local stack: everything `npx osls deploy` creates in AWS, on this machine.
 *
 *   AWS                           local
 *   API Gateway HTTP API + Lambda serverless-offline (HTTP API v2 events) on a loopback port,
 *                                 behind the gate (gate.ts): per-function queues, warm workers
 *   S3 bucket                     s3rver, files under .data/s3
 *   S3 → Lambda notifications     s3rver's object events, matched against serverless.ts's
 *                                 s3 triggers (prefix/suffix) and invoked through
 *                                 serverless-offline's Lambda invoke endpoint
 *   DynamoDB table                dynalite, LevelDB under .data/dynamodb (survives restarts)
 *   LanceDB on s3://…/vectors     LanceDB folder .data/vectors (or IRIS_VECTORS=s3://…)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ensureConsoleBuild } from '../../console/build';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { functions } from '../../functions';
import type { S3Event as S3Trigger } from '../../lib/deploy/types';
import { ensureBucket, ensureTable, honoursConditionalPut } from './emulators';
import { createGate, type Gate, type GateOptions } from './gate';
import { cleanUpPreviousRun, endGroup, removeRecord, writeRecord, type StackRecord } from './record';

export type GateLimits = Pick<GateOptions, 'perFunction' | 'native' | 'maxQueue' | 'maxWaitMs'>;

export interface LocalStackOptions {
  /** HTTP API port (default 3000; 0 picks a free one). */
  port?: number;
  dataDir?: string;
  /** Print serverless-offline's output. */
  verbose?: boolean;
  log?: (line: string) => void;
  /** The gate's limits (default: defaultLimits(), from IRIS_LOCAL_* variables). */
  limits?: Partial<GateLimits>;
}

export interface DevCredentials {
  projectId: string;
  projectName: string;
  apiKey: string;
  secretKey: string;
}

export interface LocalStack {
  url: string;
  s3Endpoint: string;
  dynamodbEndpoint: string;
  bucket: string;
  table: string;
  vectors: string;
  credentials: DevCredentials;
  /** IRIS_ALLOW_PRIVATE_URLS=1: image URLs on private and loopback addresses are fetched. */
  allowPrivateUrls: boolean;
  limits: GateLimits;
  pids: { stack: number; offline: number };
  /** Resolves when every trigger invocation started so far has finished. */
  triggersIdle(): Promise<void>;
  stop(): Promise<void>;
}

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A port for serverless-offline, which binds it itself. Chosen outside the kernel's ephemeral
 * range (32768–60999 on Linux), where outgoing connections and every `listen(0)` of the machine
 * take their ports, so another process is unlikely to take it before serverless-offline binds it.
 */
export async function childPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((res) => {
      const srv = createNetServer();
      srv.once('error', () => res(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
    });
    if (free) return port;
  }
}

/** AWS S3 notification filter semantics: prefix and suffix rules must all match. */
export function matchesTrigger(trigger: S3Trigger['s3'], eventName: string, key: string): boolean {
  const wanted = trigger.event.replace(/^s3:/, '');
  const typeOk = wanted.endsWith('*') ? eventName.startsWith(wanted.slice(0, -1)) : eventName === wanted;
  if (!typeOk) return false;
  return (trigger.rules ?? []).every((r) => (r.prefix === undefined || key.startsWith(r.prefix)) && (r.suffix === undefined || key.endsWith(r.suffix)));
}

/** S3 sends keys URL-encoded with '+' for spaces; s3rver sends them raw. */
const awsEncodeKey = (key: string): string => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

async function waitFor(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`serverless-offline exited with code ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.status < 500 || r.status === 503) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url}: ${String(lastError)}`);
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const dataDir = resolve(opts.dataDir ?? process.env.IRIS_DATA_DIR ?? join(ROOT, '.data'));
  await mkdir(join(dataDir, 's3'), { recursive: true });
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  await mkdir(join(dataDir, 'vectors'), { recursive: true });
  // An unclean stop (SIGKILL, crash) of the previous run leaves its record and maybe its
  // serverless-offline: end exactly those processes, or refuse if that stack still runs.
  await cleanUpPreviousRun(dataDir, log);

  const bucket = 'iris-local-objects';
  const table = 'iris-local';
  const vectors = process.env.IRIS_VECTORS ?? join(dataDir, 'vectors');
  const allowPrivateUrls = process.env.IRIS_ALLOW_PRIVATE_URLS === '1';
  const limits = { ...defaultLimits(), ...opts.limits };
  // The servers of this process listen on port 0 and keep the port the kernel gives them, so no
  // other process can take it between choosing and binding. Only serverless-offline's two ports
  // must be chosen before its process binds them (childPort, and a new pair if it still loses one).
  const record: StackRecord = { url: '', s3Endpoint: '', dynamodbEndpoint: '', bucket, table, vectors, pid: process.pid, ports: [], startedAt: new Date().toISOString() };
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    // Written first, so that even a start killed half-way leaves a record to clean up after.
    await writeRecord(dataDir, record);
    cleanups.push(() => removeRecord(dataDir));

    // DynamoDB
    const ddbServer = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((res, rej) => {
      ddbServer.once('error', rej);
      ddbServer.listen(0, '127.0.0.1', () => res());
    });
    cleanups.push(() => new Promise((res) => ddbServer.close(() => res())));
    const dynamodbEndpoint = `http://127.0.0.1:${(ddbServer.address() as AddressInfo).port}`;
    await ensureTable(dynamodbEndpoint, table);

    // S3
    const s3rver = new S3rver({ port: 0, address: '127.0.0.1', directory: join(dataDir, 's3'), silent: true, allowMismatchedSignatures: true });
    const s3Address = (await s3rver.run()) as AddressInfo;
    cleanups.push(() => s3rver.close());
    const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
    await ensureBucket(s3Endpoint, bucket);

    // LanceDB on S3 keeps concurrent commits apart only where a PUT with If-None-Match fails on
    // an existing key (AWS S3 does); s3rver ignores the header, so commits would overwrite each other.
    if (vectors.startsWith('s3://') && !(await honoursConditionalPut(s3Endpoint, bucket))) {
      throw new Error(
        `IRIS_VECTORS=${vectors} is not supported by the local stack: its S3 emulator (s3rver) ignores If-None-Match, ` +
          'so concurrent LanceDB commits would overwrite each other and acknowledged writes would be lost. ' +
          'Unset IRIS_VECTORS to keep the vector tables in a local folder (.data/vectors).',
      );
    }

    // The gate owns the public port; it forwards to serverless-offline's port, which is chosen
    // below (and chosen again if serverless-offline loses it), so it reads the port when it forwards.
    let offlinePort = 0;
    const gate = createGate({ upstreamPort: () => offlinePort, functions, log, ...limits });
    const httpPort = await gate.listen(opts.port ?? 3000, ['127.0.0.1', '::1']);
    cleanups.push(() => gate.close());
    const url = `http://localhost:${httpPort}`;
    Object.assign(record, { url, s3Endpoint, dynamodbEndpoint, ports: [httpPort, s3Address.port, Number(new URL(dynamodbEndpoint).port)] });
    await writeRecord(dataDir, record);

    // Environment shared by this process (dev credentials) and the functions.
    Object.assign(process.env, {
      IRIS_LOCAL_STACK: '1',
      IRIS_STAGE: 'local',
      IRIS_BUCKET: bucket,
      IRIS_TABLE: table,
      IRIS_VECTORS: vectors,
      IRIS_S3_ENDPOINT: s3Endpoint,
      IRIS_DYNAMODB_ENDPOINT: dynamodbEndpoint,
      IRIS_PUBLIC_URL: url,
      // Fetching image URLs on private or loopback addresses is opt-in, locally as in AWS.
      IRIS_ALLOW_PRIVATE_URLS: allowPrivateUrls ? '1' : '',
      AWS_REGION: 'us-east-1',
    });

    const credentials = await ensureDevCredentials(dataDir);
    // The console function inlines the console's static build: build it (or reuse a fresh one) first.
    await ensureConsoleBuild({ log });
    // What an earlier run's interrupted writes left behind goes now (AWS runs it every hour).
    void sweepAtStart(credentials.projectId, log);

    // API: serverless-offline runs the same serverless.ts, bundled by serverless-esbuild, on a
    // loopback port of its own; the gate in front of it owns the public port.
    let lambdaPort = 0;
    let child: ChildProcess | undefined;
    cleanups.push(async () => {
      if (child && child.exitCode === null && child.signalCode === null) await endGroup(child.pid!);
    });
    for (let attempt = 1; ; attempt++) {
      offlinePort = await childPort();
      lambdaPort = await childPort();
      process.env.IRIS_LAMBDA_PORT = String(lambdaPort);
      const started = spawnOffline(offlinePort, opts.verbose);
      child = started.child;
      record.offlinePid = child.pid;
      record.ports = [...record.ports.slice(0, 3), offlinePort, lambdaPort];
      await writeRecord(dataDir, record);
      try {
        // Bundling every function takes 1–3 minutes on a loaded 2-core machine, sometimes more.
        await waitFor(`http://127.0.0.1:${offlinePort}/health`, Number(process.env.IRIS_LOCAL_START_TIMEOUT_MS ?? 420_000), child);
        break;
      } catch (e) {
        const output = started.output();
        if (attempt < 3 && /EADDRINUSE/.test(output)) {
          log(`serverless-offline lost port ${offlinePort} or ${lambdaPort} to another process; starting it again on others`);
          if (child.exitCode === null && child.signalCode === null) await endGroup(child.pid!);
          continue;
        }
        throw new Error(`${(e as Error).message}\n--- serverless-offline output ---\n${output}`);
      }
    }

    // S3 → Lambda notifications, under the same per-function limits as HTTP requests.
    const triggers = functions.flatMap((fn) =>
      (fn.config.events ?? []).flatMap((ev) => ('s3' in ev ? [{ fn: fn.name, trigger: ev.s3 }] : [])),
    );
    const inflight = new Set<Promise<void>>();
    (s3rver as unknown as import('node:events').EventEmitter).on('event', (event: { Records: Array<{ eventName: string; s3: { bucket: { name: string }; object: { key: string } } }> }) => {
      for (const record of event.Records) {
        const key = record.s3.object.key;
        for (const { fn, trigger } of triggers) {
          if (!matchesTrigger(trigger, record.eventName, key)) continue;
          const payload = { Records: [{ ...record, s3: { ...record.s3, object: { ...record.s3.object, key: awsEncodeKey(key) } } }] };
          const p = invokeWithRetries(lambdaPort, fn, payload, log, gate).finally(() => inflight.delete(p));
          inflight.add(p);
        }
      }
    });

    return {
      url,
      s3Endpoint,
      dynamodbEndpoint,
      bucket,
      table,
      vectors,
      credentials,
      allowPrivateUrls,
      limits,
      pids: { stack: process.pid, offline: child.pid! },
      triggersIdle: async () => {
        while (inflight.size) await Promise.allSettled([...inflight]);
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** serverless-offline on its ports, in a process group of its own; `output` is its last 20,000 characters. */
function spawnOffline(offlinePort: number, verbose?: boolean): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--require', join(import.meta.dirname, 'watchdog.cjs'), join(ROOT, 'node_modules/osls/bin/serverless.js'), 'offline', 'start', '--stage', 'local', '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      IRIS_HTTP_PORT: String(offlinePort),
      IRIS_STACK_PID: String(process.pid),
      SLS_TELEMETRY_DISABLED: '1',
      // The esbuild service (a Go program) outlives the bundling; it keeps no build context
      // (serverless.ts skipRebuild), and a soft memory limit bounds its heap while it bundles.
      GOMEMLIMIT: process.env.GOMEMLIMIT ?? '1GiB',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it also ends the esbuild processes it starts.
    detached: true,
  });
  let output = '';
  const onData = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    if (verbose) process.stdout.write(d);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return { child, output: () => output };
}

/** The gate's defaults: one or two warm workers per function, about one model-heavy request per core. */
export function defaultLimits(env: NodeJS.ProcessEnv = process.env): GateLimits {
  const cores = Math.max(1, availableParallelism());
  const num = (v: string | undefined, d: number) => (v && Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    perFunction: num(env.IRIS_LOCAL_CONCURRENCY, Math.min(2, cores)),
    native: num(env.IRIS_LOCAL_NATIVE_CONCURRENCY, Math.max(2, cores)),
    maxQueue: num(env.IRIS_LOCAL_QUEUE, 64),
    maxWaitMs: num(env.IRIS_LOCAL_QUEUE_WAIT_MS, 120_000),
  };
}

/** Lambda retries failed asynchronous invocations twice; so does the local stack. */
async function invokeWithRetries(lambdaPort: number, fn: string, payload: unknown, log: (l: string) => void, gate: Gate): Promise<void> {
  const functionName = `iris-local-${fn}`;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const { r, text } = await gate.run(fn, async () => {
        const r = await fetch(`http://127.0.0.1:${lambdaPort}/2015-03-31/functions/${functionName}/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
        return { r, text: await r.text() };
      });
      if (r.ok && !r.headers.get('x-amz-function-error')) {
        log(`s3 trigger → ${functionName}: ${text.slice(0, 300)}`);
        return;
      }
      log(`s3 trigger → ${functionName} failed (attempt ${attempt}): ${text.slice(0, 300)}`);
    } catch (e) {
      log(`s3 trigger → ${functionName} failed (attempt ${attempt}): ${(e as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}

/** The stores of this process, configured from the environment the stack has just set. */
async function localStores() {
  const { resetConfig } = await import('../../lib/config');
  const { resetClients } = await import('../../lib/store/aws-clients');
  const { resetStores, stores } = await import('../../lib/store');
  resetConfig();
  resetClients();
  resetStores();
  return stores;
}

/** The upkeep sweep over every project (lib/upkeep/sweep.ts), in the background of the start. */
async function sweepAtStart(devProjectId: string, log: (line: string) => void): Promise<void> {
  try {
    const stores = await localStores();
    const { indexProject } = await import('../../lib/auth/credentials');
    const { sweepAll } = await import('../../lib/upkeep/sweep');
    await indexProject(stores().metadata, devProjectId);
    const report = await sweepAll(stores());
    for (const r of report.removed) log(`sweep: ${r.what} of project ${r.projectId}: removed ${r.rows} vector rows and ${r.objects} objects left by interrupted writes`);
  } catch (e) {
    log(`sweep at start failed: ${(e as Error).message}`);
  }
}

/** Creates the dev project on first start and keeps its keys under the data folder. */
async function ensureDevCredentials(dataDir: string): Promise<DevCredentials> {
  const file = join(dataDir, 'dev-credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as DevCredentials;
  const stores = await localStores();
  const { createProject } = await import('../../lib/auth/credentials');
  const p = await createProject(stores().metadata, 'dev');
  const creds: DevCredentials = { projectId: p.projectId, projectName: p.name, apiKey: p.apiKey, secretKey: p.secretKey };
  await writeFile(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}
