/**
 * Same-image benchmark on a tuning pool and a held-out pool → BENCHMARKS.md "## Same-image search".
 *
 *   npx tsx bench/same-image.ts            (npm run bench:same-image)
 *   BENCH_SAME_QUICK=1 …                   a few photos and one distractor variant (smoke run)
 *   BENCH_SAME_SIDE=tuning …               only the tuning side (what tuning runs look at)
 *   BENCH_SAME_RECORDS=file.json …         re-analyse saved per-query records without recomputing
 *   BENCH_SAME_RANKS=1 BENCH_SAME_SIDE=tuning …  where the source ranks among the candidates (embedding, words)
 *   BENCH_SAME_LIBRARY_SIDE=512 …          smaller stored copies (see LIBRARY_SIDE)
 *
 * Pools (bench/same-image-photos.ts): tuning = the photos the repository's tests already use,
 * held-out = photos of two Debian packages nothing else here uses, split once by hash into indexed
 * members and never-indexed distractors. Each side's library holds its members plus the 22
 * rendered wallpapers of test/support/photos.ts as filler. Queries: every member under each of
 * the 13 edits (test/support/edits.ts; top-1 must be the source), and every distractor under the
 * 13 edits in several variants (≥ 1,000 queries per side; any answer is a false match; a wrong
 * image returned for a member query is one too).
 *
 * Thresholds are calibrated on the tuning side only — the smallest score threshold (and the largest
 * pHash distance, for the exact path and for the baseline) with 0 false matches there — and the
 * held-out side is reported with those fixed values. Quality is measured through the engine
 * in-process (test/support/search-harness.ts: the API's describe → nearest rows → rank flow on an
 * in-memory vector list), not over HTTP.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { getEngine } from '../lib/search/engines';
import { HASH_PART, SAME_HQ, SAME_THRESHOLD, SameImageEngine as SameImageEngineClass, WORDS_PART, type SameImageEngine } from '../lib/search/engines/same-image';
import { getEmbedder } from '../lib/vision/embedder';
import { hamming64 } from '../lib/vision/phash';
import { availableGraphics } from '../test/support/photos';
import { EDITS, GEOMETRIC, PHOTOMETRIC, edit, type EditName } from '../test/support/edits';
import { libraryCopy } from '../test/support/transforms';
import { MemoryLibrary, decode } from '../test/support/search-harness';
import { heldOutPool, tuningPool, type Pool } from './same-image-photos';
import { writeBenchmarkSection } from './report';
import { VECTOR_PRECISION } from '../lib/search/contract';

const QUICK = process.env.BENCH_SAME_QUICK === '1';
const SIDE = process.env.BENCH_SAME_SIDE;
const RECORDS = process.env.BENCH_SAME_RECORDS;
/** Distractor queries per side (≥ 500 each, ≥ 1,000 in all). */
const MIN_DISTRACTOR_QUERIES = QUICK ? 0 : Number(process.env.BENCH_SAME_DISTRACTORS ?? 500);
/** Only where the truth ranks among the embedding candidates (member queries, no verification): for choosing `verify`. */
const RANKS_ONLY = process.env.BENCH_SAME_RANKS === '1';
/**
 * Longest side of the stored copies (larger photos are shrunk to it). BENCH_SAME_LIBRARY_SIDE=512
 * on the tuning side stands in for small photos (the tuning photos are 1,280–6,028 px on their long side,
 * the held-out ones 384–1,411, most 512–640) without
 * looking at the held-out results.
 */
const LIBRARY_SIDE = Number(process.env.BENCH_SAME_LIBRARY_SIDE ?? 1280);

type Side = 'tuning' | 'held-out';

interface Rec {
  side: Side;
  edit: EditName;
  /** The source photo when it is in the library; '' for a distractor. */
  truth: string;
  /** pHash distance to the truth's stored hash (65 if none) and to the nearest other stored image. */
  dTruth: number;
  dWrong: number;
  /** Nearest stored hash overall (the baseline's answer). */
  nearest: string;
  dNearest: number;
  /** Full path (embedding candidates + verification), unthresholded: the truth's score and the best other. */
  sTruth: number;
  sWrong: number;
  truthFirst: boolean;
  /** Where the truth stands among the verified candidates by embedding distance (-1: not a candidate). */
  candidateRank: number;
  /** ms of the full path and of the hash probe, in process. */
  msFull: number;
  msProbe: number;
  /** Whether the query's next stage ran (its first stage found no same picture). */
  staged?: boolean;
}

const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function measureSide(side: Side, pool: Pool, engine: SameImageEngine): Promise<Rec[]> {
  let members = pool.members;
  let distractors = pool.distractors;
  let graphics = availableGraphics();
  if (QUICK) {
    members = members.slice(0, 8);
    distractors = distractors.slice(0, 4);
    graphics = graphics.slice(0, 4);
  }
  const lib = new MemoryLibrary(engine);
  const copies = new Map<string, Buffer>();
  const hashes = new Map<string, bigint>();
  for (const [id, path] of [...members.map((p) => [p.name, p.path]), ...graphics.map((g, i) => [`graphic-${i}`, g])]) {
    const bytes = await libraryCopy(path, LIBRARY_SIDE);
    copies.set(id, bytes);
    await lib.add(id, bytes);
    hashes.set(id, await engine.queryHash(await decode(bytes)));
  }
  const outsiders = new Map<string, Buffer>();
  for (const p of distractors) outsiders.set(p.name, await libraryCopy(p.path, LIBRARY_SIDE));
  const fillersFor = (name: string, k: number) => {
    const others = [...outsiders.keys()].filter((n) => n !== name);
    return [0, 1, 2].map((j) => outsiders.get(others[(k + j) % others.length])!).filter(Boolean);
  };
  const variants = Math.max(1, Math.ceil(MIN_DISTRACTOR_QUERIES / Math.max(1, distractors.length * EDITS.length)));
  log(`${side}: library ${lib.size} (${members.length} photos + ${graphics.length} graphics), ${distractors.length} distractors × ${variants} variants`);

  const only = process.env.BENCH_SAME_EDITS?.split(',');
  const jobs: Array<{ truth: string; source: Buffer; e: EditName; variant: number; name: string }> = [];
  const edits = only ? EDITS.filter((e) => only.includes(e)) : EDITS;
  members.forEach((p, i) => edits.forEach((e) => jobs.push({ truth: p.name, source: copies.get(p.name)!, e, variant: i, name: p.name })));
  if (RANKS_ONLY) {
    // Per edit: the source's rank among the embedding candidates, and whether it is among the
    // `verify` nearest by embedding or the first k found only by the bags of words.
    const ranks = new Map<EditName, number[]>();
    const wordRanks = new Map<EditName, number[]>();
    for (const job of jobs) {
      const prepared = await lib.prepareQuery(await edit(job.source, job.e, job.variant, fillersFor(job.name, job.variant)));
      const order = [...new Map(prepared.candidates.filter((c) => c.part !== HASH_PART && c.part !== WORDS_PART).map((c) => [c.id, c])).values()].sort((a, b) => a.distance - b.distance);
      const r = order.findIndex((c) => c.id === job.truth);
      const taken = new Set(order.slice(0, engine.options.verify).map((c) => c.id));
      const words = prepared.candidates.filter((c) => c.part === WORDS_PART && !taken.has(c.id)).sort((a, b) => a.distance - b.distance);
      ranks.set(job.e, [...(ranks.get(job.e) ?? []), r]);
      wordRanks.set(job.e, [...(wordRanks.get(job.e) ?? []), r >= 0 && r < engine.options.verify ? -2 : words.findIndex((c) => c.id === job.truth)]);
    }
    for (const [e, r] of ranks) {
      const w = wordRanks.get(e)!;
      const within = (k: number) => w.filter((x) => x === -2 || (x >= 0 && x < k)).length;
      console.log(`${e}: embedding ranks ${[...r].sort((a, b) => a - b).join(' ')}; among ${engine.options.verify} by embedding ${within(0)}, + k by words: ${[1, 2, 3].map((k) => `k=${k} ${within(k)}`).join(', ')} of ${r.length} (words candidates asked: ${engine.options.wordCandidates})`);
    }
    return [];
  }
  distractors.forEach((p, i) => {
    for (let v = 0; v < variants; v++) edits.forEach((e) => jobs.push({ truth: '', source: outsiders.get(p.name)!, e, variant: i + v, name: p.name }));
  });

  // A deterministic interleaving, so that a run stopped early is still a fair sample of every edit.
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
  }
  const partial = process.env.BENCH_SAME_PARTIAL; // records written as they come (a run may be stopped)
  const recs: Rec[] = [];
  for (const [n, job] of jobs.entries()) {
    const q = await edit(job.source, job.e, job.variant, fillersFor(job.name, job.variant));
    const t0 = performance.now();
    const image = await decode(q);
    const qh = await engine.queryHash(image);
    const msProbe = performance.now() - t0;
    let dTruth = 65;
    let dWrong = 65;
    let nearest = '';
    let dNearest = 65;
    for (const [id, h] of hashes) {
      const d = hamming64(qh, h);
      if (id === job.truth) dTruth = d;
      else dWrong = Math.min(dWrong, d);
      if (d < dNearest) [nearest, dNearest] = [id, d];
    }
    const t1 = performance.now();
    // The API's staged flow (the next stage only when the first answers nothing), every candidate of a stage scored.
    const prepared = await lib.prepareQuery(q, { staged: true });
    let staged = false;
    const more = prepared.more && (() => ((staged = true), prepared.more!()));
    const all = await engine.verifyAll(prepared, prepared.first, prepared.sidecar, { more });
    const msFull = performance.now() - t1 + msProbe;
    const order = [...new Map([...prepared.first, ...(staged ? await prepared.more!() : [])].filter((c) => c.part !== HASH_PART && c.part !== WORDS_PART).map((c) => [c.id, c])).values()].sort((a, b) => a.distance - b.distance);
    const candidateRank = order.findIndex((c) => c.id === job.truth);
    const sTruth = all.find((m) => m.id === job.truth)?.score ?? 0;
    const sWrong = all.find((m) => m.id !== job.truth)?.score ?? 0;
    recs.push({ side, edit: job.e, truth: job.truth, dTruth, dWrong, nearest, dNearest, sTruth, sWrong, truthFirst: all[0]?.id === job.truth, candidateRank, msFull, msProbe, staged });
    if (n % 25 === 24) {
      log(`${side}: ${n + 1} / ${jobs.length} queries`);
      if (partial) writeFileSync(partial, JSON.stringify(recs));
    }
  }
  return recs;
}

/** What a configuration answers for one query. */
interface Outcome {
  correct: boolean;
  falseMatch: boolean;
}

/** The engine: the exact path when a stored hash lies within `e` bits, else the verified full path with threshold `t`. */
function engineOutcome(r: Rec, e: number, t: number): Outcome & { exact: boolean } {
  if (Math.min(r.dTruth, r.dWrong) <= e) {
    return { exact: true, correct: r.truth !== '' && r.dTruth <= e && r.dTruth <= r.dWrong, falseMatch: r.dWrong <= e };
  }
  return { exact: false, correct: r.truth !== '' && r.truthFirst && r.sTruth >= t, falseMatch: r.sWrong >= t };
}

/** The baseline: the nearest stored pHash, "same" within `d` bits. */
function phashOutcome(r: Rec, d: number): Outcome {
  const answered = r.dNearest <= d;
  return { correct: answered && r.truth !== '' && r.nearest === r.truth, falseMatch: answered && r.nearest !== r.truth };
}

/** Largest pHash distance with no false match on these records. */
function calibrateHash(recs: Rec[]): number {
  let best = -1;
  for (let d = 0; d <= 32; d++) {
    if (recs.some((r) => phashOutcome(r, d).falseMatch)) break;
    best = d;
  }
  return best;
}

/** Smallest score threshold (≥ the engine's own) with no false match when the exact path runs at `e`. */
function calibrateScore(recs: Rec[], e: number): number {
  let worst = 0;
  for (const r of recs) if (Math.min(r.dTruth, r.dWrong) > e) worst = Math.max(worst, r.sWrong);
  return Math.max(SAME_THRESHOLD, Math.ceil((worst + 1e-6) * 1000) / 1000);
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : 'n/a');

function report(recs: Rec[], sides: Side[], exactHash = SAME_HQ.exactHash): string[] {
  const tuning = recs.filter((r) => r.side === 'tuning');
  const hashT = calibrateHash(tuning);
  const exactE = Math.min(hashT, exactHash);
  const scoreT = calibrateScore(tuning, exactE);
  const lines: string[] = [];
  const head = sides.map((s) => `${s} Iris | ${s} pHash`).join(' | ');
  lines.push(
    `Calibrated on the tuning side for 0 false matches: pHash baseline "same" within **${hashT}** bits; Iris's exact path within ` +
      `**${exactE}** bits (its setting is ${exactHash}), verified score threshold **${scoreT.toFixed(3)}** (shipped: ${SAME_THRESHOLD}). ` +
      'The held-out side is measured with these values, not re-calibrated.',
    '',
    `| edit | ${head} |`,
    `| --- | ${sides.map(() => '---: | ---:').join(' | ')} |`,
  );
  const cell = (rs: Rec[]) => {
    const m = rs.filter((r) => r.truth !== '');
    return `${pct(m.filter((r) => engineOutcome(r, exactE, scoreT).correct).length, m.length)} | ${pct(m.filter((r) => phashOutcome(r, hashT).correct).length, m.length)}`;
  };
  const bySide = (s: Side) => recs.filter((r) => r.side === s);
  for (const e of EDITS) lines.push(`| ${e} | ${sides.map((s) => cell(bySide(s).filter((r) => r.edit === e))).join(' | ')} |`);
  lines.push(`| **photometric** | ${sides.map((s) => cell(bySide(s).filter((r) => PHOTOMETRIC.includes(r.edit)))).join(' | ')} |`);
  lines.push(`| **geometric** | ${sides.map((s) => cell(bySide(s).filter((r) => GEOMETRIC.includes(r.edit)))).join(' | ')} |`);
  lines.push(`| **all edits** | ${sides.map((s) => cell(bySide(s))).join(' | ')} |`);
  const falseCell = (rs: Rec[], onlyDistractors: boolean) => {
    const q = rs.filter((r) => (onlyDistractors ? r.truth === '' : r.truth !== ''));
    return `${q.filter((r) => engineOutcome(r, exactE, scoreT).falseMatch).length} / ${q.length} | ${q.filter((r) => phashOutcome(r, hashT).falseMatch).length} / ${q.length}`;
  };
  lines.push(`| distractor queries with any answer | ${sides.map((s) => falseCell(bySide(s), true)).join(' | ')} |`);
  lines.push(`| member queries answered with a wrong image | ${sides.map((s) => falseCell(bySide(s), false)).join(' | ')} |`);
  lines.push('');
  for (const s of sides) {
    const rs = bySide(s);
    const exact = rs.filter((r) => engineOutcome(r, exactE, scoreT).exact);
    const full = rs.filter((r) => !engineOutcome(r, exactE, scoreT).exact);
    const worstFalse = Math.max(0, ...rs.filter((r) => Math.min(r.dTruth, r.dWrong) > exactE).map((r) => r.sWrong));
    const ms = (xs: Rec[]) => `p50 ${quantile(xs.map((r) => r.msFull), 0.5).toFixed(0)} ms, p95 ${quantile(xs.map((r) => r.msFull), 0.95).toFixed(0)} ms`;
    const firstStage = full.filter((r) => r.staged === false);
    lines.push(
      `${s}: ${rs.length} queries (${rs.filter((r) => r.truth !== '').length} member, ${rs.filter((r) => r.truth === '').length} distractor); ` +
        `${exact.length} answered by the exact path (hash probe p50 ${quantile(exact.map((r) => r.msProbe), 0.5).toFixed(0)} ms in process), ` +
        `the others verified (${ms(full)} in process, in-memory vectors` +
        (full.some((r) => r.staged !== undefined)
          ? `; ${firstStage.length} of them ended in the first stage, ${ms(firstStage)}, the ${full.length - firstStage.length} others ${ms(full.filter((r) => r.staged))}` +
            `; member queries ${ms(full.filter((r) => r.truth !== ''))}, distractors ${ms(full.filter((r) => r.truth === ''))}`
          : '') +
        `); highest score of a wrong image ${worstFalse.toFixed(3)}.`,
    );
    const misses = rs
      .filter((r) => r.truth !== '' && !engineOutcome(r, exactE, scoreT).correct)
      .map((r) => `${r.edit}:${r.truth}(${r.sTruth.toFixed(2)})`);
    if (misses.length) lines.push('', `${s} misses: ${misses.slice(0, 60).join(', ')}${misses.length > 60 ? ' …' : ''}`);
    lines.push('');
  }
  return lines;
}

async function main() {
  const started = performance.now();
  let recs: Rec[];
  let exactHash = SAME_HQ.exactHash;
  const sides: Side[] = SIDE === 'tuning' ? ['tuning'] : SIDE === 'held-out' ? ['held-out'] : ['tuning', 'held-out'];
  const minutes = process.env.BENCH_SAME_MINUTES; // wall time of a run measured in parts
  // Several files (comma-separated) merge, e.g. the two sides measured by two processes.
  if (RECORDS) recs = RECORDS.split(',').flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as Rec[]);
  else {
    // BENCH_SAME_OPTIONS='{"verify": 10}' tries other engine options (on the tuning side).
    const base = (await getEngine('same_hq')) as SameImageEngine;
    const overrides = process.env.BENCH_SAME_OPTIONS ? (JSON.parse(process.env.BENCH_SAME_OPTIONS) as Partial<typeof SAME_HQ>) : null;
    const engine = overrides ? new SameImageEngineClass('same_hq', await getEmbedder(), { ...SAME_HQ, ...overrides }) : base;
    if (overrides) log('engine options', JSON.stringify(engine.options));
    exactHash = engine.options.exactHash;
    recs = [];
    const held = heldOutPool();
    if (sides.includes('held-out') && held.missing.length) throw new Error(`held-out photos missing: apt-get install opencv-doc python3-skimage (${held.missing[0]} …)`);
    for (const s of sides) recs.push(...(await measureSide(s, s === 'tuning' ? tuningPool() : held, engine)));
    const out = `/tmp/iris-same-image-records-${Date.now()}.json`;
    writeFileSync(out, JSON.stringify(recs));
    log(`records: ${out}`);
  }
  const load = execSync('uptime').toString().trim();
  const lines = [
    '## Same-image search',
    '',
    `Machine: ${execSync('uname -m').toString().trim()}, ${execSync('nproc').toString().trim()} cores shared with other work, Node ${process.versions.node}; ` +
      `${new Date().toISOString().slice(0, 10)}; \`uptime\` at the end: ${load.replace(/^.*load/, 'load')}. Measured by \`npm run bench:same-image\`${QUICK ? ' (QUICK mode: reduced sets)' : ''} ` +
      `in ${minutes ?? ((performance.now() - started) / 60000).toFixed(0)} min, through the engine in process (describe → nearest rows → verification, as the API runs it, on in-memory vectors).`,
    '',
    'Pools (bench/same-image-photos.ts, decided once): **tuning** = the photos the tests and bench/search.ts use (mate-backgrounds, lomiri-wallpapers, ' +
      'plasma-workspace-wallpapers, face-api demo photos), its 12 distractors those of bench/search.ts; **held-out** = photographs of the Debian packages ' +
      '`opencv-doc` and `python3-skimage`, which nothing else in the repository uses, split by a hash of the name into indexed photos and distractors. ' +
      'Top-1 = the source photo is the first answer (and the answer is above the threshold). The pHash baseline answers the nearest stored 64-bit DCT pHash when within its calibrated distance.',
    '',
    ...(process.env.BENCH_SAME_NOTE ? [process.env.BENCH_SAME_NOTE, ''] : []),
    ...report(recs, sides, exactHash),
    `Stored per image: 8 embedding rows, 1 pHash row and 1 bag-of-visual-words row of 1,280 components in the vector table, at ${VECTOR_PRECISION} (10 × ${VECTOR_PRECISION === 'float16' ? '2.5 KB = 25.6 KB' : '5 KB = 51 KB'}; the pHash row uses ` +
      '64 of its components — a separate 64-d table would store it in 256 bytes; the bag has at most 800 non-zero components of 1,280) and the ORB sidecar in S3 (800 keypoints × 40 B ≈ 32 KB). ' +
      (VECTOR_PRECISION === 'float16'
        ? 'This benchmark keeps its vectors in memory at float32; the API stores them at half precision, which moves a cosine distance by about 1e-4 (test/integration/foundation/stores.test.ts). '
        : 'Half precision would halve the rows (2.5 KB each) at a cost in distance of about 1e-4, but LanceDB trains its IVF-PQ index on float16 rows about 8 times slower (lib/search/contract.ts VECTOR_PRECISION), so libraries stay float32. ') +
      `A query embeds its whole picture and verifies up to ${SAME_HQ.quickVerify} of its nearest images with its whole keypoints (first stage); only when none is the same picture does it embed ${SAME_HQ.quadrantViews ? '5 more views' : '1 more view'}, ` +
      `search ${SAME_HQ.quadrantFeatures > 0 ? 5 : 1} bags of words among the stored bags and verify at most ${SAME_HQ.verify} + ${SAME_HQ.wordCandidates} candidates (nearest by embedding over every view, then by words), whatever the library size.`,
    '',
  ];
  if (QUICK || SIDE || (RECORDS && process.env.BENCH_SAME_WRITE !== '1')) console.log(lines.join('\n'));
  else console.log(writeBenchmarkSection('## Same-image search', lines));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
