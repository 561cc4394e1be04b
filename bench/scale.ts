/**
 * Image-search latency as a library grows → BENCHMARKS.md "## Image search at 1,000 and 10,000 images".
 *
 *   npm run bench:scale [-- --quick] [-- --sizes 1000,10000] [-- --kinds same_hq,similar]
 *   (--kinds: the other kinds' run line, rows and notes — paragraphs that begin with the kind's
 *   name — are kept from the section as it stands)
 *
 * Starts the local stack exactly as `npm start` does (temporary data folder, free loopback ports)
 * and, for each library kind:
 *
 * 1. adds REAL photographs over HTTP with the Baidu form body (add p50 / p95, the first add apart:
 *    it pays the function's cold start);
 * 2. fills the library up to each size with SYNTHETIC images: tiny unique pictures whose vectors
 *    are random, in the engine's own layout (the same parts, lengths and value shapes as a real
 *    description), stored as committed adds leave them (lib/search/images.ts addRecord: rows under
 *    a write id, the committed item, the library count), in batches of 500 and without their
 *    objects (no search reads a synthetic image's objects: it has no sidecar). Random vectors are
 *    never near a real query, so they cost what the table size costs (the vector scan, the ANN
 *    index, the join to items) without changing which real photo answers;
 * 3. runs the maintenance job as its schedule would (lib/search/maintain.ts: compaction, and the
 *    ANN index once a table passes ANN_INDEX_MIN_ROWS rows);
 * 4. searches over HTTP with edited copies of the real photos (same_hq: a 65 % crop, which takes
 *    the full path, and the unchanged photo, which the exact path answers; similar: a 40 % resize),
 *    warm, one client: p50 / p95, and whether the photo's own entry came first;
 * 5. measures what is stored per image: the library's vector table on disk divided by its images,
 *    and the objects (image, sidecar) of the real photos.
 *
 * The 1,000,000-image figures in BENCHMARKS.md are extrapolated from these and from the
 * synthetic vector-search rows of bench/search.ts, and say so.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { connect } from '@lancedb/lancedb';
import sharp from 'sharp';
import { startLocalStack, type LocalStack } from '../scripts/local/stack';
import { imageLimits, ANN_INDEX_MIN_ROWS, KIND_PATHS } from '../lib/search/contract';
import type { Description, LibraryKind, SearchEngine } from '../lib/search/engine';
import { engineFor } from '../lib/search/provider';
import { addRecord, searchImages, signImage } from '../lib/search/images';
import { SAME_ITEM_SCORE } from '../lib/search/engines/embedding';
import { imageIdOf } from '../lib/search/params';
import { libraryKeys } from '../lib/store/keys';
import { newWriteId } from '../lib/store/write';
import { getLibrary, libraryObjectPrefix, libraryTable } from '../lib/search/library';
import { maintainLibrary } from '../lib/search/maintain';
import { intakeImage } from '../lib/images';
import { stores } from '../lib/store';
import { availablePhotos } from '../test/support/photos';
import { edit } from '../test/support/edits';
import { dirBytes, sectionLines, writeBenchmarkSection } from './report';

const QUICK = process.argv.includes('--quick');
const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SIZES = (argOf('--sizes') ?? (QUICK ? '100,300' : '1000,10000')).split(',').map(Number);
const ALL_KINDS: LibraryKind[] = ['same_hq', 'similar'];
const KINDS = (argOf('--kinds') ?? ALL_KINDS.join(',')).split(',') as LibraryKind[];
const HEADING = '## Image search at 1,000 and 10,000 images';

/**
 * What a run of some kinds keeps of the section it replaces: the other kinds' run line
 * (`**kind** rows: …`), table rows (`| kind |`, told apart by their number of cells) and notes
 * (paragraphs that begin with the kind's name, then a space or a colon).
 */
function keptOfOtherKinds(): { runs: string[]; rows: (cells: number) => string[]; notes: string[] } {
  const others = ALL_KINDS.filter((k) => !KINDS.includes(k));
  const old = sectionLines(HEADING);
  const cellsOf = (line: string) => line.split('|').length - 2;
  return {
    runs: old.filter((l) => others.some((k) => l.startsWith(`**${k}** rows:`))),
    rows: (cells) => old.filter((l) => others.some((k) => l.startsWith(`| ${k} |`)) && cellsOf(l) === cells),
    notes: old.filter((l) => others.some((k) => l.startsWith(`${k} `) || l.startsWith(`${k}:`))),
  };
}
const REAL = QUICK ? 6 : 24;
/** Synthetic images per fill batch. */
const FILL_BATCH = 500;

const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const ms = (x: number) => `${Math.round(x)} ms`;


/** A random vector shaped like `v`: the same length and norm; ±c entries stay ±c (hash rows). */
function randomLike(v: number[]): number[] {
  const c = Math.abs(v[0]);
  if (v.every((x) => Math.abs(Math.abs(x) - c) < 1e-6)) return v.map(() => (Math.random() < 0.5 ? -c : c));
  const norm = Math.hypot(...v);
  const g = v.map(() => {
    const u = 1 - Math.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
  });
  const n = Math.hypot(...g) || 1;
  return g.map((x) => (x / n) * norm);
}

/** The engine with describe replaced by random vectors in the layout of `template`. */
function syntheticEngine(real: SearchEngine, template: Description): SearchEngine {
  const describe = async (): Promise<Description> => ({ vectors: template.vectors.map((v) => ({ part: v.part, vector: randomLike(v.vector) })) });
  return {
    kind: real.kind,
    dimension: real.dimension,
    metric: real.metric,
    candidatePool: real.candidatePool,
    candidateImages: real.candidateImages,
    ownParts: real.ownParts,
    describe,
    describeQuery: describe,
    rank: (q, c, l) => real.rank(q, c, l),
  };
}

/** A unique small picture (the seed decides its pixels, so its cont_sign). */
async function tinyPicture(seed: number, side: number): Promise<Buffer> {
  const px = Buffer.alloc(side * side * 3);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < px.length; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    px[i] = x >>> 24;
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
}

interface KindResult {
  kind: LibraryKind;
  addCold: number;
  add: number[];
  objectsPerImage: number;
  sizes: Array<{
    size: number;
    rows: number;
    indexed: boolean;
    fillMin: number;
    maintainS: number;
    vectorBytesPerImage: number;
    onDiskPerImage: number;
    search: number[];
    /** same_hq: searches for photos not in the library (both stages run). */
    miss: number[];
    missInProcess: number[];
    exact: number[];
    inProcess: number[];
    describeOnly: number[];
    firstOk: number;
    firstTotal: number;
    searchCold?: number;
  }>;
}

async function main(): Promise<void> {
  const started = performance.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'iris-bench-scale-'));
  process.env.IRIS_ESBUILD_DIR ??= '.esbuild-bench';
  const stack: LocalStack = await startLocalStack({ port: 0, dataDir, log: () => {} });
  // This process writes the synthetic fill through the same stores as the functions.
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  const s = stores();
  const results: KindResult[] = [];
  try {
    const u = stack.url;
    const pid = stack.credentials.projectId;
    const iam = await fetch(`${u}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: { identity: { methods: ['password'], password: { user: { name: stack.credentials.apiKey, password: stack.credentials.secretKey } } }, scope: { project: { id: pid } } },
      }),
    });
    const iamToken = iam.headers.get('x-subject-token')!;
    const oauth: any = await (await fetch(`${u}/oauth/2.0/token?grant_type=client_credentials&client_id=${stack.credentials.apiKey}&client_secret=${stack.credentials.secretKey}`, { method: 'POST' })).json();
    const token = oauth.access_token as string;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const baidu = async (kind: LibraryKind, op: string, fields: Record<string, string>) => {
      const path = `${KIND_PATHS[kind]}/${op}`;
      const t0 = performance.now();
      const r = await fetch(`${u}${path}?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) });
      const body: any = await r.json();
      const took = performance.now() - t0;
      if (r.status !== 200 || body.error_code !== undefined) throw new Error(`${kind} ${op}: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { body, took };
    };

    const photos = availablePhotos().slice(0, REAL);
    if (photos.length < REAL) throw new Error(`needs ${REAL} photos of test/support/photos.ts (install the packages .ci/run names)`);
    const originals = await Promise.all(photos.map((p) => sharp(p.path).resize(1024, 1024, { fit: 'inside' }).jpeg({ quality: 88 }).toBuffer()));
    // Photos never added: a same_hq search for one finds nothing after both of its stages.
    const outsiders = await Promise.all(
      availablePhotos()
        .slice(REAL, 2 * REAL)
        .map(async (p, i) => edit(await sharp(p.path).resize(1024, 1024, { fit: 'inside' }).jpeg({ quality: 88 }).toBuffer(), 'crop-65', i)),
    );

    for (const kind of KINDS) {
      log(`${kind}: library`);
      const made = await fetch(`${u}/v1/${pid}/image-libraries`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': iamToken }, body: JSON.stringify({ kind }) });
      if (made.status !== 201) throw new Error(`library ${kind}: ${made.status} ${await made.text()}`);
      const res: KindResult = { kind, addCold: 0, add: [], objectsPerImage: 0, sizes: [] };
      const signs: string[] = [];
      for (let i = 0; i < originals.length; i++) {
        const { body, took } = await baidu(kind, 'add', { image: originals[i].toString('base64'), brief: JSON.stringify({ n: i }), ...(kind === 'product' ? { class_id1: '1' } : {}) });
        signs.push(String(body.cont_sign));
        if (i === 0) res.addCold = took;
        else res.add.push(took);
      }
      const objectBytes = (await s.objects.list(libraryObjectPrefix(await getLibrary(s.metadata, pid, kind)))).reduce((a, o) => a + o.size, 0);
      res.objectsPerImage = objectBytes / originals.length;
      log(`${kind}: ${originals.length} real adds, p50 ${ms(quantile(res.add, 0.5))}`);

      const queries = await Promise.all(originals.map((b, i) => edit(b, kind === 'same_hq' ? 'crop-65' : 'resize-0.4', i)));
      const real = await engineFor(await getLibrary(s.metadata, pid, kind));
      const template = await real.describe(await intakeImage(originals[0], imageLimits(kind, 'add')));
      const synthetic = syntheticEngine(real, template);
      let filled = originals.length;
      for (const size of SIZES) {
        const t0 = performance.now();
        // In batches: each batch's rows in one table write, then its items and the library count
        // (what a batch of committed adds leaves; the fill itself is not what is measured).
        for (let from = filled; from < size; from += FILL_BATCH) {
          const lib = await getLibrary(s.metadata, pid, kind);
          const limits = imageLimits(kind, 'add');
          const records = await Promise.all(
            Array.from({ length: Math.min(FILL_BATCH, size - from) }, async (_, j) => {
              const image = await intakeImage(await tinyPicture(from + j + (kind === 'same_hq' ? 0 : 1_000_000), Math.max(64, limits.minSide ?? 0)), limits);
              const contSign = await signImage(image);
              return addRecord(lib, {
                imageId: imageIdOf(contSign),
                contSign,
                writeId: newWriteId(),
                image,
                description: await synthetic.describe(image),
                brief: `synthetic ${from + j}`,
                labels: kind === 'product' ? { classId1: 2 } : { tags: [] },
                now: new Date(),
              });
            }),
          );
          const table = await s.vectors.openOrCreate(libraryTable(lib), records[0].rows);
          await table.upsert(records.flatMap((r) => r.rows));
          for (let k = 0; k < records.length; k += 16) await Promise.all(records.slice(k, k + 16).map((r) => s.metadata.put(r.item, { ifNotExists: true })));
          await s.metadata.update(libraryKeys.library(pid, kind), { add: { count: records.length } });
          log(`${kind}: filled ${from + records.length}`);
        }
        filled = size;
        const fillMin = (performance.now() - t0) / 60_000;
        const t1 = performance.now();
        const lib = await getLibrary(s.metadata, pid, kind);
        const m = await maintainLibrary(s, lib);
        const maintainS = (performance.now() - t1) / 1000;
        const tableBytes = () => readdirSync(stack.vectors).filter((d) => d.startsWith(libraryTable(lib))).reduce((a, d) => a + dirBytes(join(stack.vectors, d)), 0);
        const onDisk = tableBytes();
        // The maintenance job keeps LanceDB's old versions for 7 days (its default); what the
        // live data costs is measured after dropping them, on this copy only.
        const raw = await (await connect(stack.vectors)).openTable(libraryTable(lib));
        await raw.optimize({ cleanupOlderThan: new Date(), deleteUnverified: true });
        const vectorBytesPerImage = tableBytes() / size;
        log(`${kind} @ ${size}: ${m.rows} rows, indexed ${m.indexed}, fill ${fillMin.toFixed(1)} min, maintain ${maintainS.toFixed(0)} s`);

        const search: number[] = [];
        const exact: number[] = [];
        const miss: number[] = [];
        const missInProcess: number[] = [];
        let firstOk = 0;
        let cold: number | undefined;
        // One warm-up query per size (the table reopened after maintenance).
        const warm = await baidu(kind, 'search', { image: queries[0].toString('base64') });
        if (results.length === 0 && res.sizes.length === 0) cold = warm.took;
        // The same searches in this process, through the same stores and engine: engine + tables
        // without HTTP, serverless-offline or the function's worker (and describe alone).
        const inProcess: number[] = [];
        const describeOnly: number[] = [];
        for (const q of queries) {
          const image = await intakeImage(q, imageLimits(kind, 'search'));
          let t = performance.now();
          await real.describeQuery(image);
          describeOnly.push(performance.now() - t);
          t = performance.now();
          await searchImages(s, real, lib, { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 300 } });
          inProcess.push(performance.now() - t);
        }
        for (let i = 0; i < queries.length; i++) {
          const { body, took } = await baidu(kind, 'search', { image: queries[i].toString('base64') });
          search.push(took);
          if (body.result?.[0]?.cont_sign === signs[i]) firstOk++;
          if (kind === 'same_hq') exact.push((await baidu(kind, 'search', { image: originals[i].toString('base64') })).took);
        }
        {
          // A photo never added: same_hq answers nothing after both stages; similar ranks the
          // library, but none of it as the same item (score ≥ 0.9), after its word search.
          for (const q of outsiders) {
            const { body, took } = await baidu(kind, 'search', { image: q.toString('base64') });
            const wrong = kind === 'same_hq' ? body.result_num !== 0 : (body.result?.[0]?.score ?? 0) >= SAME_ITEM_SCORE;
            if (wrong) throw new Error(`a photo not in the library was answered: ${JSON.stringify(body).slice(0, 200)}`);
            miss.push(took);
            const image = await intakeImage(q, imageLimits(kind, 'search'));
            const t = performance.now();
            await searchImages(s, real, lib, { image, filter: { tags: [], logic: 'and' }, window: { start: 0, end: 300 } });
            missInProcess.push(performance.now() - t);
          }
        }
        res.sizes.push({ size, rows: m.rows, indexed: m.indexed, fillMin, maintainS, vectorBytesPerImage, onDiskPerImage: onDisk / size, search, miss, missInProcess, exact, inProcess, describeOnly, firstOk, firstTotal: queries.length, searchCold: cold });
        log(`${kind} @ ${size}: search p50 ${ms(quantile(search, 0.5))}, p95 ${ms(quantile(search, 0.95))}${exact.length ? `, exact p50 ${ms(quantile(exact, 0.5))}` : ''}${miss.length ? `, miss p50 ${ms(quantile(miss, 0.5))}` : ''}, first ${firstOk}/${queries.length}`);
      }
      results.push(res);
    }
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const minutes = (performance.now() - started) / 60_000;
  const load = loadavg().map((x) => x.toFixed(1)).join(', ');
  const kept = keptOfOtherKinds();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const lines = [
    HEADING,
    '',
    `${KINDS.map((k) => `**${k}**`).join(', ')} rows: \`npm run bench:scale${QUICK ? ' -- --quick' : ''}${KINDS.length < ALL_KINDS.length ? ` -- --kinds ${KINDS.join(',')}` : ''}\` (bench/scale.ts), ${new Date().toISOString().slice(0, 10)}, on commit ${commit}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load} at the end (the cores are shared with other work). ${minutes.toFixed(1)} min.`,
    ...kept.runs.flatMap((l) => ['', l]),
    '',
    `The local stack as \`npm start\` runs it (serverless-offline behind the gate, s3rver, dynalite, LanceDB on a local folder), over loopback HTTP with the Baidu form body, one client, warm. Each library holds ${REAL} real photographs (test/support/photos.ts, 1,024 px JPEG q88), added over HTTP, and is filled to the size with synthetic images stored as committed adds leave them (lib/search/images.ts addRecord: rows under a write id, the item, the library count; in batches of 500, without objects), whose vectors are random in the engine's own layout: they cost what the table size costs and never answer a real query. After each fill the maintenance job runs as its schedule would (compaction; the IVF-PQ index once a table passes ${ANN_INDEX_MIN_ROWS.toLocaleString('en')} rows). Queries: same_hq a 65 % crop of each real photo (the verified path; such a crop is answered in the query's first stage: the whole picture's embedding, its nearest rows, the verification of its first candidates), the unchanged photo (the exact path), and a 65 % crop of each of ${REAL} photos never added ("miss": both stages run — six embeddings, the bags of words, every candidate verified — and nothing may be answered); similar a 40 % resize, and the same 24 outsider crops as "miss" (no stored item passes the same-item check, so the word search and the matching of its candidates run too; none may be answered as the same item). "First" = the photo's own entry came first.`,
    '',
    '| kind | images | vector rows | ANN index | search p50 (HTTP) | search p95 (HTTP) | exact path p50 (HTTP) | miss p50 / p95 (HTTP) | in process p50 | of which describe p50 | miss in process p50 | own entry first | vector table per image (live / with 7 days of versions) |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.flatMap((r) =>
      r.sizes.map(
        (z) =>
          `| ${r.kind} | ${z.size.toLocaleString('en')} | ${z.rows.toLocaleString('en')} | ${z.indexed ? 'IVF-PQ' : 'none (exact scan)'} | ${ms(quantile(z.search, 0.5))} | ${ms(quantile(z.search, 0.95))} | ${z.exact.length ? ms(quantile(z.exact, 0.5)) : '—'} | ${z.miss.length ? `${ms(quantile(z.miss, 0.5))} / ${ms(quantile(z.miss, 0.95))}` : '—'} | ${ms(quantile(z.inProcess, 0.5))} | ${ms(quantile(z.describeOnly, 0.5))} | ${z.missInProcess.length ? ms(quantile(z.missInProcess, 0.5)) : '—'} | ${z.firstOk} / ${z.firstTotal} | ${(z.vectorBytesPerImage / 1024).toFixed(1)} KB / ${(z.onDiskPerImage / 1024).toFixed(1)} KB |`,
      ),
    ),
    ...kept.rows(13),
    '',
    '| kind | add p50 (real photo, warm) | add p95 | first add (cold) | first search (cold) | objects per image (image, sidecar, thumbnail) | fill + maintenance |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.kind} | ${ms(quantile(r.add, 0.5))} | ${ms(quantile(r.add, 0.95))} | ${ms(r.addCold)} | ${r.sizes[0]?.searchCold !== undefined ? ms(r.sizes[0].searchCold) : '—'} | ${(r.objectsPerImage / 1024).toFixed(0)} KB | ${r.sizes.map((z) => `${z.size.toLocaleString('en')}: ${z.fillMin.toFixed(1)} min + ${z.maintainS.toFixed(0)} s`).join('; ')} |`,
    ),
    ...kept.rows(7),
    '',
    ...results.map((r) => {
      const z = r.sizes[r.sizes.length - 1];
      const inProc = quantile(z.inProcess, 0.5);
      const describe = quantile(z.describeOnly, 0.5);
      return `${r.kind} at ${z.size.toLocaleString('en')}: of the ${ms(quantile(z.search, 0.5))} over HTTP, ${ms(describe)} is describing the query, ${ms(Math.max(0, inProc - describe))} the tables and ranking${r.kind === 'same_hq' ? ' (mostly the verification of its candidates; describe here is the first stage\'s)' : ''}, ${ms(Math.max(0, quantile(z.search, 0.5) - inProc))} the rest (HTTP, the gate, serverless-offline's worker thread, the function's own decode and stores).`;
    }),
    ...kept.notes.flatMap((l) => ['', l]),
    '',
    'Towards 1,000,000 images: what a query costs beyond its vector searches (describe, the verification of at most 2 + 9 candidates, the join of at most 20 items for same_hq, about one item per answered result for similar) does not depend on the library size; the vector table and its searches do, and `npm run bench:growth` (next section) measures them on synthetic tables up to 100,000 images.',
  ];
  const section = writeBenchmarkSection(HEADING, lines);
  console.log(section);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
