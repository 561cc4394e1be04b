/**
 * The local stack under a small team's load → BENCHMARKS.md "## Local stack under load".
 *
 *   npm run bench:load [-- --quick]
 *
 * Starts the local stack exactly as `npm start` does (temporary data folder, free loopback ports),
 * then for each operation — image search add / search (same_hq), face add / search, dataset
 * sample add / list — sends a bounded number of requests from 1, 4 and 16 concurrent clients and
 * records requests/s, p50/p95 latency and every answer that is not a success (by envelope; a body
 * with a stack trace is counted separately). One burst of 20 concurrent adds of large (1920×1080)
 * images follows, as in the issue's report. The RSS of the whole process tree (this process —
 * emulators, gate and the load generator — plus serverless-offline and its worker threads) is
 * sampled every 250 ms. Everything stays on loopback; the script stops the stack and exits.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startLocalStack, type LocalStack } from '../scripts/local/stack';
import { writeBenchmarkSection } from './report';

const QUICK = process.argv.includes('--quick');
const LEVELS = [1, 4, 16];
/** Requests per (operation, concurrency level): bounded, and at least two per client. */
const requestsAt = (c: number) => (QUICK ? Math.max(2, c) : Math.max(8, 2 * c));

// ---------------------------------------------------------------------------------------------
// Memory: RSS of a process tree, from /proc.

function treeRss(root: number): { total: number; offline: number } {
  const kids = new Map<number, number[]>();
  const rss = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(d);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * 4096);
      cmd.set(pid, readFileSync(`/proc/${d}/cmdline`, 'utf8'));
      kids.set(ppid, [...(kids.get(ppid) ?? []), pid]);
    } catch {
      /* gone */
    }
  }
  let total = 0;
  let offline = 0;
  const walk = (pid: number, inOffline: boolean) => {
    const mine = inOffline || /offline/.test(cmd.get(pid) ?? '');
    total += rss.get(pid) ?? 0;
    if (mine) offline += rss.get(pid) ?? 0;
    for (const k of kids.get(pid) ?? []) walk(k, mine);
  };
  walk(root, false);
  return { total, offline };
}

// ---------------------------------------------------------------------------------------------

interface Answer {
  ms: number;
  ok: boolean;
  leak: boolean;
  what: string;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GB`;

async function timed(send: () => Promise<Response>, success: (status: number, body: any) => boolean): Promise<Answer> {
  const t0 = performance.now();
  try {
    const r = await send();
    const text = await r.text();
    const ms = performance.now() - t0;
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const leak = /stackTrace|LambdaTimeoutError|\n\s+at /.test(text);
    const ok = !leak && success(r.status, body);
    return { ms, ok, leak, what: ok ? 'ok' : `${r.status} ${String(body?.error_code ?? text.slice(0, 60))}` };
  } catch (e) {
    return { ms: performance.now() - t0, ok: false, leak: false, what: `network: ${(e as Error).message}` };
  }
}

/** `n` requests from `c` clients; each client sends its next request when the previous answered. */
async function run(c: number, n: number, one: (i: number) => Promise<Answer>): Promise<{ answers: Answer[]; wallMs: number }> {
  let next = 0;
  const answers: Answer[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) answers.push(await one(next++));
    }),
  );
  return { answers, wallMs: performance.now() - t0 };
}

async function picture(seed: number, width = 480, height = 360): Promise<Buffer> {
  const hue = (seed * 47) % 256;
  const circles = Array.from({ length: 6 }, (_, k) => {
    const x = (seed * 131 + k * 71) % width;
    const y = (seed * 97 + k * 53) % height;
    return `<circle cx="${x}" cy="${y}" r="${20 + ((seed + k * 13) % 60)}" fill="rgb(${(hue + k * 40) % 256},${(seed * 7 + k * 90) % 256},${(255 - hue + k * 30) % 256})"/>`;
  }).join('');
  return sharp({ create: { width, height, channels: 3, background: { r: hue, g: 255 - hue, b: (seed * 13) % 256 } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}">${circles}</svg>`) }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function largePicture(seed: number): Promise<Buffer> {
  const width = 1920;
  const height = 1080;
  const noise = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    noise[i] = x >>> 24;
  }
  return sharp(noise, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'iris-bench-load-'));
  process.env.IRIS_ESBUILD_DIR ??= '.esbuild-bench';
  const gateLog: string[] = [];
  const startT = performance.now();
  const stack: LocalStack = await startLocalStack({ port: 0, dataDir, log: (l) => gateLog.push(l) });
  const startMs = performance.now() - startT;
  let peak = { total: 0, offline: 0 };
  const baseline = treeRss(process.pid);
  const sampler = setInterval(() => {
    const now = treeRss(process.pid);
    if (now.total > peak.total) peak = now;
  }, 250);

  const rows: string[] = [];
  const coldRows: string[] = [];
  let leaks = 0;
  let failures = 0;
  let burstRow = '';
  try {
    const u = stack.url;
    const pid = stack.credentials.projectId;
    const iam = await fetch(`${u}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: stack.credentials.apiKey, password: stack.credentials.secretKey } } },
          scope: { project: { id: pid } },
        },
      }),
    });
    const iamToken = iam.headers.get('x-subject-token')!;
    const oauth: any = await (await fetch(`${u}/oauth/2.0/token?grant_type=client_credentials&client_id=${stack.credentials.apiKey}&client_secret=${stack.credentials.secretKey}`, { method: 'POST' })).json();
    const baiduToken = oauth.access_token as string;
    const hw = { 'content-type': 'application/json', 'x-auth-token': iamToken };
    const post = (path: string, body: unknown) => fetch(`${u}${path}`, { method: 'POST', headers: hw, body: JSON.stringify(body) });

    const lib = await post(`/v1/${pid}/image-libraries`, { kind: 'same_hq' });
    if (lib.status !== 201) throw new Error(`library: ${lib.status} ${await lib.text()}`);
    const set = await post(`/v2/${pid}/face-sets`, { face_set_name: 'bench' });
    if (set.status !== 200) throw new Error(`face set: ${set.status} ${await set.text()}`);
    const ds: any = await (await post(`/v2/${pid}/datasets`, { dataset_name: 'bench', dataset_type: 0, data_sources: [{ data_type: 0, data_path: '/bench/in/' }], work_path: '/bench/out/', labels: [{ name: 'cat' }] })).json();
    if (!ds.dataset_id) throw new Error(`dataset: ${JSON.stringify(ds)}`);

    const faceDir = join(process.cwd(), 'node_modules/@vladmandic/face-api/demo');
    // face-api's group photos as they are (1920 px wide): smaller copies lose the faces of some.
    const faces = [1, 2, 3, 4, 5, 6].map((n) => readFileSync(join(faceDir, `sample${n}.jpg`)));
    const faceB64 = faces.map((f) => f.toString('base64'));
    const total = LEVELS.reduce((a, c) => a + requestsAt(c), 0) + 8;
    const imagesB64 = await Promise.all(Array.from({ length: total }, (_, i) => picture(i).then((b) => b.toString('base64'))));
    const sampleB64 = (await picture(10_000, 256, 192)).toString('base64');

    const baiduOk = (s: number, b: any) => s === 200 && b && b.error_code === undefined;
    const huaweiOk = (s: number, b: any) => s === 200 && b && b.error_code === undefined;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    let addSeq = 0;
    let faceSeq = 0;
    let sampleSeq = 0;
    const ops: Array<{ family: string; op: string; one: () => Promise<Answer> }> = [
      {
        family: 'image search (Baidu same_hq)',
        op: 'add',
        one: () => {
          const i = addSeq++ % imagesB64.length;
          return timed(
            () => fetch(`${u}/rest/2.0/realtime_search/same_hq/add?access_token=${baiduToken}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ image: imagesB64[i], brief: `{"n":${i}}` }) }),
            baiduOk,
          );
        },
      },
      {
        family: 'image search (Baidu same_hq)',
        op: 'search',
        one: () => timed(() => fetch(`${u}/rest/2.0/realtime_search/same_hq/search?access_token=${baiduToken}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ image: imagesB64[0] }) }), baiduOk),
      },
      {
        family: 'face sets (FRS)',
        op: 'add faces',
        one: () => {
          const i = faceSeq++;
          return timed(() => post(`/v2/${pid}/face-sets/bench/faces`, { image_base64: faceB64[i % faceB64.length], external_image_id: `img-${i}` }), huaweiOk);
        },
      },
      { family: 'face sets (FRS)', op: 'search', one: () => timed(() => post(`/v2/${pid}/face-sets/bench/search`, { image_base64: faceB64[0], top_n: 5 }), huaweiOk) },
      {
        family: 'datasets (ModelArts)',
        op: 'add sample',
        one: () => {
          const i = sampleSeq++;
          return timed(() => post(`/v2/${pid}/datasets/${ds.dataset_id}/data-annotations/samples`, { samples: [{ name: `s${i}.jpg`, data: sampleB64, labels: [{ name: 'cat', type: 0 }] }] }), huaweiOk);
        },
      },
      { family: 'datasets (ModelArts)', op: 'list samples', one: () => timed(() => fetch(`${u}/v2/${pid}/datasets/${ds.dataset_id}/data-annotations/samples?limit=10`, { headers: hw }), huaweiOk) },
    ];

    for (const o of ops) {
      // The first request of each function pays the cold start (bundle + models): measured apart.
      const cold = await o.one();
      coldRows.push(`| ${o.family} | ${o.op} | ${cold.ms.toFixed(0)} ms | ${cold.ok ? 'ok' : cold.what} |`);
      if (!cold.ok) failures++;
      if (cold.leak) leaks++;
      // Then warm every worker the gate allows for the function, so the levels below measure warm workers.
      const warm = await run(stack.limits.perFunction, stack.limits.perFunction, () => o.one());
      failures += warm.answers.filter((a) => !a.ok).length;
      leaks += warm.answers.filter((a) => a.leak).length;
      for (const c of LEVELS) {
        const n = requestsAt(c);
        const { answers, wallMs } = await run(c, n, () => o.one());
        const ms = answers.map((a) => a.ms);
        const bad = answers.filter((a) => !a.ok);
        failures += bad.length;
        leaks += answers.filter((a) => a.leak).length;
        const kinds = [...new Set(bad.map((a) => a.what))].slice(0, 3).join('; ');
        rows.push(`| ${o.family} | ${o.op} | ${c} | ${n} | ${((n / wallMs) * 1000).toFixed(2)} | ${pct(ms, 50).toFixed(0)} ms | ${pct(ms, 95).toFixed(0)} ms | ${bad.length}${kinds ? ` (${kinds})` : ''} |`);
        console.log(rows.at(-1));
      }
    }

    // The issue's burst: 20 concurrent adds of large images.
    const large = await Promise.all(Array.from({ length: 20 }, (_, i) => largePicture(i + 1).then((b) => b.toString('base64'))));
    const burstPeakBefore = peak.total;
    const burst = await run(20, 20, (i) =>
      timed(() => fetch(`${u}/rest/2.0/realtime_search/same_hq/add?access_token=${baiduToken}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ image: large[i], brief: `{"large":${i}}` }) }), baiduOk),
    );
    const burstBad = burst.answers.filter((a) => !a.ok);
    failures += burstBad.length;
    leaks += burst.answers.filter((a) => a.leak).length;
    const burstMs = burst.answers.map((a) => a.ms);
    burstRow = `| 20 concurrent same_hq adds of 1920×1080 JPEGs (${(large[0].length / 1024 / 1.37).toFixed(0)} KB each) | ${(burst.wallMs / 1000).toFixed(1)} s | ${pct(burstMs, 95).toFixed(0)} ms | ${burstBad.length}${burstBad.length ? ` (${[...new Set(burstBad.map((a) => a.what))].slice(0, 3).join('; ')})` : ''} | ${gb(Math.max(peak.total, burstPeakBefore))} |`;
    console.log(burstRow);
  } finally {
    clearInterval(sampler);
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const l = stack.limits;
  const section = writeBenchmarkSection('## Local stack under load', [
    '## Local stack under load',
    '',
    `Machine: ${process.arch}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${gb(totalmem())} RAM, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${loadavg()[0].toFixed(1)} at the end (the machine is shared with other work).`,
    `Measured by \`npm run bench:load\`${QUICK ? ' (--quick)' : ''} (bench/load.ts): the stack exactly as \`npm start\` runs it (serverless-offline worker threads behind the gate of scripts/local/gate.ts, s3rver, dynalite, LanceDB folder), over loopback HTTP.`,
    `Gate limits: ${l.perFunction} requests per function at once, ${l.native} for the model-loading functions together, ${l.maxQueue} waiting per function, ${l.maxWaitMs / 1000} s longest wait; idle workers kept 900 s. Stack start (bundling included): ${(startMs / 1000).toFixed(1)} s.`,
    '',
    'First request of each function (cold worker: bundle, TF.js, models); then one request per allowed worker warms the others, unmeasured:',
    '',
    '| family | operation | latency | answer |',
    '| --- | --- | ---: | --- |',
    ...coldRows,
    '',
    'Warm, each client sending its next request when the previous one answered:',
    '',
    '| family | operation | clients | requests | requests/s | p50 | p95 | not a success |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    '| burst | wall time | p95 | not a success | RSS peak so far |',
    '| --- | ---: | ---: | --- | ---: |',
    burstRow,
    '',
    `Memory (RSS of the whole process tree, sampled every 250 ms): ${gb(baseline.total)} after start, peak ${gb(peak.total)} (of which serverless-offline and its workers ${gb(peak.offline)}). Answers with a stack trace: ${leaks}. Answers that were not a success: ${failures}.`,
    '',
    `Reading it: the model-loading operations are bound by the CPU (${cpus().length} cores, shared with other work during the run), so more clients add waiting in the gate's queue to p95, not timeouts or errors; each function keeps at most ${l.perFunction} warm workers. The esbuild process that serverless-esbuild keeps for rebuilds (one build context per function, under GOMEMLIMIT) is a large part of the memory after start.`,
  ]);
  console.log(`\n${section}`);
  const trouble = gateLog.filter((l) => /^λ .* (failed|busy|unreachable)/.test(l));
  if (trouble.length) console.log(`\nWhat the gate logged about the answers that were not a success:\n${trouble.map((l) => l.slice(0, 400)).join('\n')}`);
  process.exit(leaks || failures ? 1 : 0);
}

await main();
