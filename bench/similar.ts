/**
 * Similar / product search on labelled cut-out objects → BENCHMARKS.md "## Similar and product search".
 *
 *   npm run bench:similar            (npx tsx bench/similar.ts)
 *   BENCH_SIMILAR_LIMIT=40 …         the first 40 stamps of each side (smoke run; writes nothing)
 *
 * Data: Tux Paint's stamps (test/support/stamps.ts, `apt-get install tuxpaint-stamps-default`),
 * the labelled set of `labelledStamps()` (groups of at least 15 stamps), label = `group`, on the
 * FIXED tuning / held-out split of that file. Each side is its own library: every stamp is added
 * clean (flattened on white, test/support/shopper.ts `catalogue`), then queried twice — as a
 * shopper would photograph it (`shopperPhoto`: 40–60 % of the frame, rotated 4–12°, on a
 * wallpaper photo of test/support/photos.ts or a flat colour, a third partly cut off) and clean
 * (`cleanQuery`: 80 % size, JPEG q80).
 *
 * Metrics: "same item first" (the query's own stamp ranks first) and category precision@5
 * among the OTHER items (the query's own stamp removed from the ranking). Methods, on the same
 * pictures in the same run: the colour-histogram baseline (HSV 12×3×3 + 4 grey, Hellinger,
 * whole picture), the engine before issue 12 (MobileNetV2 average-pooled, whole picture), and
 * the similar engine (lib/search/engines: subject views, the same-item check, the class profile,
 * the word candidates) with each of three embedders — the shipped InceptionV3 on 256 px views,
 * the same on 299 px, and the MobileNetV2 it replaced — each step of the engine reported on its own. Measured
 * in-process: the engines' own describe() output, ranked by the best cosine over view pairs —
 * what the API's vector search and bestPerItem compute — without S3 / DynamoDB / LanceDB.
 */
import { cpus, loadavg } from 'node:os';
import { writeBenchmarkSection } from './report';
import { getEngine } from '../lib/search/engines';
import { LEGACY_SIMILAR_EMBEDDER, SIMILAR_EMBEDDER } from '../lib/search/embedders';
import { getEmbedder } from '../lib/vision/embedder';
import { colourHistogram } from '../lib/vision/colour-texture';
import { iou } from '../lib/vision/subject';
import { labelledStamps, STAMPS_PACKAGE, type Stamp, type StampPart } from '../test/support/stamps';
import { availablePhotos } from '../test/support/photos';
import { catalogue, cleanQuery, seedOf, shopperPhoto } from '../test/support/shopper';
import { decode } from '../test/support/search-harness';
import type { DecodedImage } from '../lib/images';
import { WORDS_PART, type Candidate, type Description, type SearchEngine } from '../lib/search/engine';
import { decodeProfile, encodeProfile } from '../lib/search/images';

const LIMIT = Number(process.env.BENCH_SIMILAR_LIMIT ?? 0);
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

/** The embedders the similar engine is measured with, shipped first, then the defaults before it. */
const EMBEDDERS = [
  { name: SIMILAR_EMBEDDER, label: 'InceptionV3 mixed7 GeM, 256 px views (shipped)' },
  { name: 'inceptionv3-gem', label: 'InceptionV3 mixed7 GeM, 299 px views (the default before)' },
  { name: LEGACY_SIMILAR_EMBEDDER, label: 'MobileNetV2 GeM (the default before InceptionV3)' },
];

/** How far through the engine a ranking goes. */
type Step = 'views' | 'checked' | 'profiled' | 'words';
const STEPS: Array<[Step, string]> = [
  ['views', 'subject views only (detector box and foreground box)'],
  ['checked', '+ the same-item check on the 30 nearest (500 keypoints, 12 inliers)'],
  ['profiled', '+ ranked by (1 − w) × embedding cosine + w × class-profile cosine (the embedder\'s w: 0.2 with MobileNetV2, 0 with InceptionV3)'],
  ['words', '+ the 10 nearest by bags of visual words matched when none of the 30 is the item (the whole engine)'],
];

/** One engine's description of a picture. */
interface Described {
  views: number[][];
  /** The stored picture's bag of visual words (its own row), or the query's bags. */
  words: number[][];
  subject?: { left: number; top: number; width: number; height: number };
  description: Description;
  image: DecodedImage;
}

interface Pictured {
  hist: number[][];
  today: number[][];
  /** Per embedder name. */
  by: Map<string, Described>;
}

const dotv = (a: number[], b: number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
/** Best cosine over view pairs (vectors are unit length). */
const score = (q: number[][], s: number[][]) => Math.max(...q.flatMap((a) => s.map((b) => dotv(a, b))));

async function main() {
  const all = labelledStamps();
  if (all.length === 0) {
    console.error(`Stamps missing: apt-get install ${STAMPS_PACKAGE}`);
    process.exit(1);
  }
  const backgrounds = availablePhotos().filter((p) => p.category !== 'people').map((p) => p.path);
  if (backgrounds.length < 20) {
    console.error('Background photos missing: see test/support/photos.ts (apt-get install ukui-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds plasma-workspace-wallpapers)');
    process.exit(1);
  }
  const engines = new Map<string, SearchEngine>();
  for (const e of EMBEDDERS) engines.set(e.name, await getEngine('similar', e.name));
  const old = await getEmbedder('mobilenetv2');
  const times = new Map(EMBEDDERS.map((e) => [e.name, { add: [] as number[], query: [] as number[], rank: [] as number[] }]));

  async function picture(bytes: Buffer, query: boolean): Promise<Pictured> {
    const img = await decode(bytes);
    const hist = colourHistogram(await img.rgb({ width: 256, height: 256, fit: 'inside' }));
    const today = Array.from(await old.embed(await img.rgb({ width: 224, height: 224, fit: 'fill' })));
    const by = new Map<string, Described>();
    for (const [name, engine] of engines) {
      const t0 = performance.now();
      const image = await decode(bytes);
      const d = query ? await engine.describeQuery(image) : await engine.describe(image);
      times.get(name)![query ? 'query' : 'add'].push(performance.now() - t0);
      const own = engine.ownParts ?? [];
      by.set(name, {
        views: d.vectors.filter((v) => !own.includes(v.part)).map((v) => v.vector),
        words: query ? (d.partSearch?.vectors ?? []) : d.vectors.filter((v) => v.part === WORDS_PART).map((v) => v.vector),
        subject: d.subject,
        description: d,
        image,
      });
    }
    return { hist: [hist], today: [today], by };
  }

  const started = performance.now();
  const rows: string[] = [];
  const subjectRows: string[] = [];
  const sides: StampPart[] = ['tuning', 'held-out'];
  const counts: Record<string, string> = {};
  for (const side of sides) {
    let stamps: Stamp[] = all.filter((s) => s.part === side);
    if (LIMIT) stamps = stamps.slice(0, LIMIT);
    const groups = new Set(stamps.map((s) => s.group));
    counts[side] = `${stamps.length} stamps in ${groups.size} groups`;
    log(`${side}: ${counts[side]}`);
    const stored: Pictured[] = [];
    const inContext: Pictured[] = [];
    const clean: Pictured[] = [];
    const boxes: Array<{ left: number; top: number; width: number; height: number }> = [];
    for (const [i, s] of stamps.entries()) {
      stored.push(await picture(await catalogue(s.path), false));
      const q = await shopperPhoto(s.path, seedOf(s.name), { backgrounds });
      inContext.push(await picture(q.bytes, true));
      boxes.push(q.box);
      clean.push(await picture(await cleanQuery(s.path), true));
      if (i % 25 === 0) log(`${side} ${i}/${stamps.length}`);
    }
    for (const e of EMBEDDERS) {
      let iouSum = 0;
      let iouHalf = 0;
      inContext.forEach((q, i) => {
        const found = q.by.get(e.name)!.subject;
        const j = found ? iou(found, boxes[i]) : 0;
        iouSum += j;
        if (j >= 0.5) iouHalf++;
      });
      subjectRows.push(`| ${side} | ${e.label} | ${(iouSum / stamps.length).toFixed(2)} | ${pct(iouHalf / stamps.length)} |`);
    }
    // The engine's own rank over every stored item (distance = 1 - best cosine, as the vector search
    // gives), with the stored sidecars, profiles and word rows: what the API answers, without the stores.
    const engineOrder = async (name: string, q: Described, step: Step): Promise<number[]> => {
      if (step === 'views') return stored.map((s, j) => ({ j, s: score(q.views, s.by.get(name)!.views) })).sort((a, b) => b.s - a.s).map((x) => x.j);
      const candidates: Candidate[] = stored.map((s, j) => {
        const d = s.by.get(name)!;
        const profile = step !== 'checked' && d.description.profile ? decodeProfile(encodeProfile(d.description.profile)) : undefined;
        return { id: String(j), distance: 1 - score(q.views, d.views), part: 'detected', ...(profile ? { profile } : {}) };
      });
      // The API's word search: the stored bags nearest to the query's, as candidates of that part.
      const search = q.description.partSearch;
      const more = async (): Promise<Candidate[]> =>
        stored
          .map((s, j) => {
            const w = s.by.get(name)!.words;
            return { id: String(j), part: WORDS_PART, distance: w.length && q.words.length ? 1 - score(q.words, w) : 2 };
          })
          .sort((a, b) => a.distance - b.distance)
          .slice(0, search?.images ?? 0);
      const t0 = performance.now();
      const matches = await engines.get(name)!.rank(
        { image: q.image, description: q.description },
        candidates,
        async (id) => stored[Number(id)].by.get(name)!.description.sidecar ?? null,
        step === 'words' && search ? more : undefined,
      );
      if (step === 'words') times.get(name)!.rank.push(performance.now() - t0);
      return matches.map((m) => Number(m.id));
    };
    const evaluate = async (queries: Pictured[], order: (q: Pictured, i: number) => Promise<number[]>) => {
      let first = 0;
      let hits = 0;
      for (let i = 0; i < queries.length; i++) {
        const ranked = await order(queries[i], i);
        if (ranked[0] === i) first++;
        hits += ranked.filter((j) => j !== i).slice(0, 5).filter((j) => stamps[j].group === stamps[i].group).length;
      }
      return { first: first / queries.length, p5: hits / (5 * queries.length) };
    };
    const baseline = (key: 'hist' | 'today') => async (q: Pictured) => stored.map((s, j) => ({ j, s: score(q[key], s[key]) })).sort((a, b) => b.s - a.s).map((x) => x.j);
    const methods: Array<[string, (q: Pictured, i: number) => Promise<number[]>]> = [
      ['baseline: colour histogram of the whole picture', baseline('hist')],
      ['baseline: the engine before issue 12 (MobileNetV2 average-pooled, whole picture)', baseline('today')],
      ...EMBEDDERS.flatMap((e) => STEPS.map(([step, label]): [string, (q: Pictured) => Promise<number[]>] => [`${e.label}: ${label}`, (q) => engineOrder(e.name, q.by.get(e.name)!, step)])),
    ];
    // Chance of precision@5: a random other item shares the query's group.
    let chance = 0;
    for (const s of stamps) chance += (stamps.filter((t) => t.group === s.group).length - 1) / (stamps.length - 1);
    chance /= stamps.length;
    for (const [label, order] of methods) {
      const a = await evaluate(inContext, order);
      const b = await evaluate(clean, order);
      rows.push(`| ${side} | ${label} | ${pct(a.first)} | ${pct(a.p5)} | ${pct(b.first)} | ${pct(b.p5)} |`);
    }
    rows.push(`| ${side} | chance | ${pct(1 / stamps.length)} | ${pct(chance)} | ${pct(1 / stamps.length)} | ${pct(chance)} |`);
  }
  const load = loadavg().map((x) => x.toFixed(1)).join(', ');
  const lines = [
    '## Similar and product search',
    '',
    `\`npm run bench:similar\` (bench/similar.ts), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
      `Node ${process.versions.node}, TF.js WASM backend; load average ${load} at the end of the run (the cores are shared with other work). ` +
      `${((performance.now() - started) / 60000).toFixed(1)} min.`,
    '',
    `Data: Tux Paint's cut-out stamps (Debian \`${STAMPS_PACKAGE}\`), the groups of at least 15 stamps (test/support/stamps.ts \`labelledStamps\`), ` +
      `category = \`group\` (e.g. \`animals/birds\`, \`food/fruit\`), on that file's fixed split: tuning ${counts.tuning}, held-out ${counts['held-out']}. ` +
      'Every choice (subject finding, pooling, views, thresholds, the class-profile weight, the word candidates, the embedder) was made on the tuning side (bench/similar-explore.ts, bench/similar-backbones.ts, bench/similar-verify.ts, the probe of "The class profile" above); held-out was run only for this table. ' +
      'Each side is its own library: every stamp added clean (flattened on white, JPEG q90), then queried "as a shopper would photograph it" ' +
      '(pasted at 40–60 % of the frame\'s shorter side into a 640 × 480 frame, rotated 4–12°, onto a random window of one of ' +
      `${backgrounds.length} wallpaper photographs of test/support/photos.ts — or one time in four a flat colour —, a third of them shifted so 15–30 % ` +
      'of the object is cut off; JPEG q85) and clean (80 % size, JPEG q80). "Same first": the query\'s own stamp ranks first; ' +
      'p@5: category precision of the top 5 among the other items (the query\'s own stamp removed). Measured in-process: each method\'s vectors ' +
      'ranked by the best cosine over view pairs, which is what the API\'s vector search gives, and from the same-item check on through the engine\'s own `rank` ' +
      'with the stored keypoint sidecars, class profiles and bags of words (the API\'s word search done in memory); the product engine is the same engine as ' +
      'similar (it adds class-id filters only). The same-item thresholds were chosen with MobileNetV2 and are used unchanged with InceptionV3; the class-profile weight is 0 with InceptionV3 (chosen at 299 px on the tuning rows of an earlier run, lib/search/engines/embedding.ts classProfileFor), and the 256 px input side on the tuning stamps by bench/similar-backbones.ts --sides ("The embedding backbone" above).',
    '',
    '| side | method | in context: same first | in context: p@5 | clean: same first | clean: p@5 |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Goals of issue 12 (in context): same first ≥ 90 %, p@5 ≥ 60 %.',
    '',
    'Subject found in the in-context queries (the `query_subject` the API answers) against the pasted object\'s true box (clipped to the frame):',
    '',
    '| side | engine | mean IoU | IoU ≥ 0.5 |',
    '| --- | --- | ---: | ---: |',
    ...subjectRows,
    '',
    'Describe time (border model, detector, GrabCut for the reported box, two embeddings in one batch, ORB keypoints and their bags of words: ' +
      'the whole picture\'s, and for a query its subject crop\'s too), in-process on this shared machine; the engine\'s rank of a query ' +
      '(the same-item check on the 30 nearest candidates\' sidecars, already in memory here, and the word candidates\' when it runs them):',
    '',
    '| embedder | add p50 | add p95 | query p50 | query p95 | rank p50 | rank p95 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...EMBEDDERS.map((e) => {
      const t = times.get(e.name)!;
      return `| ${e.label} | ${ms(quantile(t.add, 0.5))} | ${ms(quantile(t.add, 0.95))} | ${ms(quantile(t.query, 0.5))} | ${ms(quantile(t.query, 0.95))} | ${ms(quantile(t.rank, 0.5))} | ${ms(quantile(t.rank, 0.95))} |`;
    }),
    '',
  ];
  const section = lines.join('\n');
  if (!LIMIT) writeBenchmarkSection('## Similar and product search', lines);
  console.log(section);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
