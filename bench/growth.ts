/**
 * How the size-dependent part of a same-image search grows with the library, on synthetic rows →
 * BENCHMARKS.md "## Same-image search: growth with the library (synthetic)".
 *
 *   npm run bench:growth [-- --sizes 1000,10000,100000]
 *
 * What a same_hq query costs splits in two. Describing the query, verifying at most 2 + 9
 * candidates and joining at most 20 items do not depend on the library's size (bench:scale
 * measures them over HTTP at 1,000 and 10,000 images). What does is the vector table: its size on
 * disk and its searches. This benchmark builds a same_hq library's table as the API and the
 * maintenance job leave it — per image 8 view rows, 1 pHash row and 1 bag-of-words row of 1,280
 * components at the library's precision (lib/search/contract.ts VECTOR_PRECISION), written through
 * the LanceDB adapter in batches, compacted, and given the IVF-PQ index once it passes
 * ANN_INDEX_MIN_ROWS rows (lib/search/maintain.ts) — and times every vector search one query makes,
 * with the API's own options (lib/search/images.ts): the exact probe (pHash rows within a few bits,
 * filtered on the part), the first stage (one vector, 40 rows), the second stage (five vectors) and
 * the five bag-of-words searches (filtered on the part). Random vectors: they cost what a table of
 * that size costs; which image answers is not measured here.
 */
import { execSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ANN_INDEX_MIN_ROWS, ANN_NPROBES, ANN_REFINE_FACTOR, VECTOR_PRECISION } from '../lib/search/contract';
import { ALL_VIEWS, HASH_PART, SAME_HQ, WORDS_PART, hashVector } from '../lib/search/engines/same-image';
import { LanceVectorStore } from '../lib/store/lancedb';
import type { VectorFilter, VectorRow, VectorTable } from '../lib/store/ports';
import { dirBytes, writeBenchmarkSection } from './report';

const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SIZES = (argOf('--sizes') ?? '1000,10000,100000').split(',').map(Number);
const DIM = 1280;
const BATCH_IMAGES = 2_000;
const QUERIES = 25;
const WARMUP = 5;

const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
/** A unit vector with non-negative components, as MobileNetV2's pooled ReLU features and tf-idf bags are. */
function unitVector(nonZero = DIM): number[] {
  const v = new Array<number>(DIM).fill(0);
  let n = 0;
  for (let k = 0; k < nonZero; k++) {
    const i = nonZero === DIM ? k : Math.floor(rand() * DIM);
    v[i] = rand() ** 2;
    n += v[i] * v[i];
  }
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}
const randomHash = () => BigInt.asUintN(64, (BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32)));

function imageRows(n: number): VectorRow[] {
  const id = `img${n}`;
  const write = `w${n.toString(36)}`;
  const row = (part: string, vector: number[]): VectorRow => ({ id: `${id}#${write}#${part}`, item: id, part, tag_a: 0, tag_b: 0, class_1: 0, class_2: 0, added_at: 1, vector });
  return [
    ...ALL_VIEWS.map((view) => row(view, unitVector())),
    row(HASH_PART, hashVector(randomHash(), DIM)),
    // a bag of at most 800 keypoints' words has a few hundred non-zero components
    row(WORDS_PART, unitVector(400)),
  ];
}


async function timed(run: () => Promise<unknown>): Promise<number[]> {
  const ts: number[] = [];
  for (let i = 0; i < QUERIES + WARMUP; i++) {
    const t = performance.now();
    await run();
    if (i >= WARMUP) ts.push(performance.now() - t);
  }
  return ts;
}

interface Measured {
  images: number;
  rows: number;
  load: number;
  maintain: number;
  indexed: boolean;
  bytesPerImage: number;
  probe: number[];
  first: number[];
  second: number[];
  bags: number[];
}

async function measure(table: VectorTable, images: number, dir: string, name: string, load: number): Promise<Measured> {
  const t0 = performance.now();
  await table.optimize?.();
  const indexed = await table.ensureIndex({ minRows: ANN_INDEX_MIN_ROWS, metric: 'cosine' });
  const maintain = performance.now() - t0;
  const opts = { metric: 'cosine' as const, select: ['item', 'part', '_distance'], nprobes: ANN_NPROBES, refineFactor: ANN_REFINE_FACTOR };
  const onPart = (part: string): VectorFilter => ({ eq: { part } });
  const views = () => Array.from({ length: 5 }, () => unitVector());
  const bags = () => Array.from({ length: 5 }, () => unitVector(400));
  const probe = await timed(() => table.search(hashVector(randomHash(), DIM), { ...opts, k: SAME_HQ.verify + 4, where: onPart(HASH_PART) }));
  // k as lib/search/images.ts asks: the engine's candidatePool (40) per query vector
  const first = await timed(() => table.search(unitVector(), { ...opts, k: 40 }));
  const second = await timed(() => Promise.all(views().map((v) => table.search(v, { ...opts, k: 40 }))));
  const bagSearch = await timed(() => Promise.all(bags().map((v) => table.search(v, { ...opts, k: SAME_HQ.wordCandidates + 4, where: onPart(WORDS_PART) }))));
  return {
    images,
    rows: await table.count(),
    load,
    maintain,
    indexed,
    bytesPerImage: dirBytes(join(dir, `${name}.lance`)) / images,
    probe,
    first,
    second,
    bags: bagSearch,
  };
}

/** Writes the section for the sizes measured so far (a run stopped early keeps them). */
function report(results: Measured[], started: number): string {
  const cell = (xs: number[]) => `${ms(quantile(xs, 0.5))} / ${ms(quantile(xs, 0.95))}`;
  const lines = [
    '## Same-image search: growth with the library (synthetic)',
    '',
    `\`npm run bench:growth\` (bench/growth.ts), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, LanceDB on a local folder; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')} at the end; ${((performance.now() - started) / 60000).toFixed(1)} min.`,
    '',
    'A same_hq library\'s vector table as the API and the maintenance job leave it, filled with synthetic images in the engine\'s layout ' +
      `(8 view rows, 1 pHash row, 1 bag-of-words row of ${DIM.toLocaleString('en-US')} components per image, ${VECTOR_PRECISION}), compacted and indexed ` +
      `(IVF-PQ, √rows partitions, once past ${ANN_INDEX_MIN_ROWS.toLocaleString('en-US')} rows), and every vector search one same_hq query makes, with the API's options ` +
      `(nprobes ${ANN_NPROBES}, refine ×${ANN_REFINE_FACTOR}); p50 / p95 over ${QUERIES} queries after ${WARMUP}. The rest of a query (describe, verification, the join) does not grow with the library.`,
    '',
    '| images | rows | ANN index | table on disk per image | exact probe (pHash rows) | first stage (1 vector) | second stage (5 vectors at once) | bags of words (5 at once) | fill + maintenance |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (m) =>
        `| ${m.images.toLocaleString('en-US')} | ${m.rows.toLocaleString('en-US')} | ${m.indexed ? 'IVF-PQ' : 'none (exact scan)'} | ${(m.bytesPerImage / 1024).toFixed(1)} KB | ${cell(m.probe)} | ${cell(m.first)} | ${cell(m.second)} | ${cell(m.bags)} | ${(m.load / 1000).toFixed(0)} s + ${(m.maintain / 1000).toFixed(0)} s |`,
    ),
    '',
  ];
  return writeBenchmarkSection('## Same-image search: growth with the library (synthetic)', lines);
}

async function main() {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'iris-bench-growth-'));
  const store = new LanceVectorStore(dir);
  const name = 'growth_same_hq';
  const results: Measured[] = [];
  try {
    let table: VectorTable | null = null;
    let stored = 0;
    let loadMs = 0;
    for (const size of [...SIZES].sort((a, b) => a - b)) {
      const t = performance.now();
      while (stored < size) {
        const n = Math.min(BATCH_IMAGES, size - stored);
        const rows = Array.from({ length: n }, (_, i) => imageRows(stored + i)).flat();
        table ??= await store.openOrCreate(name, rows.slice(0, 1), { precision: VECTOR_PRECISION });
        await table.upsert(rows);
        stored += n;
      }
      loadMs += performance.now() - t;
      log(`${size} images stored (${(loadMs / 1000).toFixed(0)} s so far)`);
      const m = await measure(table!, size, dir, name, loadMs);
      results.push(m);
      console.log(report(results, started));
      log(`${size}: maintenance ${(m.maintain / 1000).toFixed(0)} s, first stage p50 ${ms(quantile(m.first, 0.5))}, second ${ms(quantile(m.second, 0.5))}, bags ${ms(quantile(m.bags, 0.5))}, probe ${ms(quantile(m.probe, 0.5))}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  log(`done; uptime: ${execSync('uptime').toString().trim()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
