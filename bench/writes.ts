/**
 * Concurrent adds into one vector table: how many image adds per second one LanceDB table takes
 * when many writers commit to it at once (as many Lambda containers do in AWS), and whether any
 * id is stored twice. Each "add" is one merge-insert of 8 rows of 1,280 floats (the same-image
 * engine's rows per image), with a fresh write id as the other writers' are.
 *
 *   npm run bench:writes            # writes the "Vector table writes" section of BENCHMARKS.md
 *
 * Writers are in-process (one connection shared, as one container) or separate processes (one
 * connection each, as separate containers). Local folder only: S3's conditional PUT is the
 * commit primitive in AWS, and its latency (tens of ms per commit) is not measured here.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { LanceVectorStore } from '../lib/store/lancedb';
import { newWriteId } from '../lib/store/write';
import { writeBenchmarkSection } from './report';

const DIM = 1280;
const PARTS = 8;

function rowsOf(writeId: string, seed: number) {
  let s = seed + 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 0x1_0000_0000) - 0.5;
  return Array.from({ length: PARTS }, (_, p) => ({
    id: `img${seed}#${writeId}#p${p}`,
    vector: Array.from({ length: DIM }, rnd),
    item: `img${seed}`,
    part: `p${p}`,
    tag_a: 0,
    added_at: Date.now(),
  }));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** One writer: `adds` adds with `concurrency` in flight; prints its latencies as JSON. */
async function writer(uri: string, adds: number, concurrency: number, offset: number): Promise<number[]> {
  const table = (await new LanceVectorStore(uri).open('t'))!;
  const lat: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < adds) {
        const i = next++;
        const t0 = performance.now();
        await table.upsert(rowsOf(newWriteId(), offset + i));
        lat.push(performance.now() - t0);
      }
    }),
  );
  return lat;
}

async function run(label: string, processes: number, concurrency: number, addsPerProcess: number) {
  const dir = mkdtempSync(join(tmpdir(), 'iris-bench-writes-'));
  const uri = join(dir, 'v');
  await new LanceVectorStore(uri).openOrCreate('t', rowsOf('w0', 0));
  const t0 = performance.now();
  let lat: number[];
  if (processes === 1) lat = await writer(uri, addsPerProcess, concurrency, 0);
  else {
    const outs = await Promise.all(
      Array.from({ length: processes }, (_, p) =>
        new Promise<number[]>((res, rej) => {
          const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, 'writer', uri, String(addsPerProcess), String(concurrency), String((p + 1) * 100_000)], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('exit', (code) => (code === 0 ? res(JSON.parse(out)) : rej(new Error(`writer exited ${code}`))));
        }),
      ),
    );
    lat = outs.flat();
  }
  const seconds = (performance.now() - t0) / 1000;
  const table = (await new LanceVectorStore(uri).open('t'))!;
  const ids = (await table.scan({ select: ['id'] })).map((r) => String(r.id));
  const distinct = new Set(ids).size;
  rmSync(dir, { recursive: true, force: true });
  const adds = processes * addsPerProcess;
  const row = `| ${label} | ${processes} × ${concurrency} | ${adds} | ${(adds / seconds).toFixed(1)} | ${pct(lat, 50).toFixed(0)} / ${pct(lat, 95).toFixed(0)} | ${ids.length - distinct} |`;
  console.log(row);
  return row;
}

if (process.argv[2] === 'writer') {
  const [uri, adds, concurrency, offset] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(await writer(uri, Number(adds), Number(concurrency), Number(offset))));
} else {
  const rows = [
    await run('one writer', 1, 1, 60),
    await run('one container, 4 at once', 1, 4, 80),
    await run('one container, 16 at once', 1, 16, 96),
    await run('4 containers, 4 at once each', 4, 4, 30),
  ];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  writeBenchmarkSection('## Vector table writes', [
    '## Vector table writes',
    '',
    `\`npm run bench:writes\` — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, LanceDB on a local folder.`,
    'Concurrent image adds into one table: each add is one merge-insert of 8 rows × 1,280 floats under a fresh write id.',
    '"Duplicates" counts ids stored more than once (the table\'s `id` is Lance\'s unenforced primary key, so concurrent',
    'merges of one id conflict and retry instead of both inserting it).',
    '',
    '| writers | processes × in flight | adds | adds/s | latency p50 / p95 (ms) | duplicates |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `LanceDB ${JSON.parse(readFileSync(join(import.meta.dirname, '..', 'node_modules', '@lancedb', 'lancedb', 'package.json'), 'utf8')).version}; the machine was shared with other work while this ran (${loadavg()[0].toFixed(1)} load at the end).`,
    'Each commit of a table is serialised (a new manifest version); concurrent committers that lose the race',
    're-read and retry, so adds/s falls as writers are added. One image add spends far longer in its models',
    '(hundreds of ms) than in this commit, which is why adds commit their own rows (see README, "Concurrent writers").',
  ]);
}
