/**
 * Calibration of the similar / product engines' same-item check (lib/search/engines/embedding.ts
 * SAME_ITEM) on the TUNING stamps only (test/support/stamps.ts fixed split): every stamp added
 * clean, queried in context and clean (test/support/shopper.ts, as bench/similar.ts does); for
 * each query the engine's own description (views + keypoint sidecar) is ranked by embedding and
 * the nearest `SAME_ITEM.candidates` are matched with the engine's own `inliers`. Prints, per
 * query type, where the right item ranks by embedding, the inlier counts of right and wrong
 * candidates, and "same first" for several inlier thresholds and candidate counts.
 *
 *   npx tsx bench/similar-verify.ts        (tuning side; writes nothing)
 *   BENCH_FEATURES=500 …                   keypoints per picture other than SAME_ITEM.features
 *   BENCH_QUERY_FEATURES=1000 …            a query's keypoints per set, when not the stored pictures' count
 *
 * Also prints where the right item ranks by bags of visual words (lib/vision/visual-words.ts: the
 * query's keypoint sets against each stored picture's), and "same first" when the check also
 * matches the nearest few by words that the embedding's nearest missed.
 */
import { SIMILAR_EMBEDDER } from '../lib/search/engines';
import { EmbeddingEngine, SAME_ITEM } from '../lib/search/engines/embedding';
import { getEmbedder } from '../lib/vision/embedder';
import { centerNet } from '../lib/vision/detector';
import { labelledStamps } from '../test/support/stamps';
import { availablePhotos } from '../test/support/photos';
import { catalogue, cleanQuery, seedOf, shopperPhoto } from '../test/support/shopper';
import { decode } from '../test/support/search-harness';
import { decodeFeatures } from '../lib/vision/local-features';
import { featureBag } from '../lib/vision/visual-words';
import { orbVocabulary } from '../lib/search/engines/same-image';

const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const dotv = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const best = (q: number[][], s: number[][]) => Math.max(...q.flatMap((a) => s.map((b) => dotv(a, b))));

async function main() {
  const stamps = labelledStamps().filter((s) => s.part === 'tuning');
  const backgrounds = availablePhotos().filter((p) => p.category !== 'people').map((p) => p.path);
  const check = { ...SAME_ITEM, features: Number(process.env.BENCH_FEATURES ?? SAME_ITEM.features) };
  const engine = new EmbeddingEngine('similar', await getEmbedder(SIMILAR_EMBEDDER), { subjects: true, detector: centerNet, sameItem: check });
  const queryCheck = { ...check, features: Number(process.env.BENCH_QUERY_FEATURES ?? check.features) };
  const queryEngine = new EmbeddingEngine('similar', await getEmbedder(SIMILAR_EMBEDDER), { subjects: true, detector: centerNet, sameItem: queryCheck });
  console.log(`keypoints per picture: ${check.features} (a query's: ${queryCheck.features})`);
  const K = SAME_ITEM.candidates;
  const stored: Array<{ v: number[][]; sidecar: Buffer | null; bag: number[] }> = [];
  const vocab = orbVocabulary();
  const bagOf = (f: Parameters<typeof featureBag>[1]) => featureBag(vocab, f, engine.dimension);
  const queries: Array<Array<{ kind: string; v: number[][]; sidecar: Buffer }>> = [];
  for (const [i, s] of stamps.entries()) {
    const d = await engine.describe(await decode(await catalogue(s.path)));
    stored.push({ v: d.vectors.map((x) => x.vector), sidecar: d.sidecar ?? null, bag: bagOf(decodeFeatures(d.sidecar!).features) });
    const ctx = (await shopperPhoto(s.path, seedOf(s.name), { backgrounds })).bytes;
    const qs = [];
    for (const [kind, bytes] of [['in context', ctx], ['clean', await cleanQuery(s.path)]] as const) {
      const q = await queryEngine.describeQuery(await decode(bytes));
      qs.push({ kind, v: q.vectors.map((x) => x.vector), sidecar: q.sidecar! });
    }
    queries.push(qs);
    if (i % 25 === 0) log(`${i}/${stamps.length}`);
  }
  for (const kind of ['in context', 'clean']) {
    const rows: Array<{ rank: number; cands: Array<{ same: boolean; inliers: number }> }> = [];
    const times: number[] = [];
    const wordRows: Array<{ wordRank: number; extra: Array<{ same: boolean; inliers: number }> }> = [];
    for (let i = 0; i < stamps.length; i++) {
      const q = queries[i].find((x) => x.kind === kind)!;
      const feats = engine.queryFeatures(q.sidecar);
      const ranked = stored.map((s, j) => ({ j, s: best(q.v, s.v) })).sort((a, b) => b.s - a.s);
      const cands = [];
      const t0 = performance.now();
      for (const c of ranked.slice(0, K)) cands.push({ same: c.j === i, inliers: await engine.inliers(feats, stored[c.j].sidecar) });
      times.push(performance.now() - t0);
      rows.push({ rank: ranked.findIndex((x) => x.j === i), cands });
      // The nearest by words that the embedding's K nearest do not hold, matched as well.
      const bags = feats.map(bagOf);
      const byWords = stored.map((s, j) => ({ j, s: best(bags, [s.bag]) })).sort((a, b) => b.s - a.s);
      const wordRank = byWords.findIndex((x) => x.j === i);
      const taken = new Set(ranked.slice(0, K).map((c) => c.j));
      const extra = [];
      for (const c of byWords.filter((c) => !taken.has(c.j)).slice(0, 10)) extra.push({ same: c.j === i, inliers: await engine.inliers(feats, stored[c.j].sidecar) });
      wordRows.push({ wordRank, extra });
    }
    const wr = (k: number) => ((100 * wordRows.filter((r) => r.wordRank < k).length) / rows.length).toFixed(1);
    const either = (k: number) => ((100 * rows.filter((r, q) => r.rank < K || wordRows[q].wordRank < k).length) / rows.length).toFixed(1);
    console.log(`${kind}: right item within the first 1 / 5 / 10 / 20 by words: ${[1, 5, 10, 20].map(wr).join(' / ')} %; within the embedding's ${K} or the first 3 / 5 / 10 by words: ${[3, 5, 10].map(either).join(' / ')} %`);
    for (const T of [10, 12, 15]) {
      for (const n of [0, 3, 5, 10]) {
        let first = 0;
        let wrongTop = 0;
        for (const [q, r] of rows.entries()) {
          const ver = [...r.cands, ...wordRows[q].extra.slice(0, n)].filter((c) => c.inliers >= T).sort((a, b) => b.inliers - a.inliers);
          const top = ver[0] ?? { same: r.rank === 0 };
          if (top.same) first++;
          if (ver[0] && !ver[0].same) wrongTop++;
        }
        console.log(`words: min inliers ${T}, ${n} word candidates beyond the ${K}: same first ${((100 * first) / rows.length).toFixed(1)} %, wrong verified first ${wrongTop}`);
      }
    }
    const within = (k: number) => ((100 * rows.filter((r) => r.rank < k).length) / rows.length).toFixed(1);
    console.log(`\n${kind} (${rows.length} queries): right item within the first 1 / 5 / 10 / 20 / ${K} by embedding: ${[1, 5, 10, 20, K].map(within).join(' / ')} %`);
    times.sort((a, b) => a - b);
    console.log(`matching the ${K} nearest: p50 ${times[Math.floor(times.length / 2)].toFixed(0)} ms`);
    const wrong = rows.flatMap((r) => r.cands.filter((c) => !c.same).map((c) => c.inliers)).sort((a, b) => b - a);
    const right = rows.flatMap((r) => r.cands.filter((c) => c.same).map((c) => c.inliers)).sort((a, b) => a - b);
    console.log(`highest wrong-item inliers: ${wrong.slice(0, 10).join(', ')}`);
    console.log(`right item's inliers (when among the ${K}): 10th / 25th / 50th percentile ${[0.1, 0.25, 0.5].map((p) => right[Math.floor(p * right.length)]).join(' / ')}`);
    console.log('| min inliers | candidates | same first | queries whose first answer is a wrong verified item |');
    for (const T of [8, 10, 12, 15, 20, 25]) {
      for (const k of [10, 20, K]) {
        let first = 0;
        let wrongTop = 0;
        for (const r of rows) {
          const ver = r.cands.slice(0, k).map((c, idx) => ({ ...c, idx })).filter((c) => c.inliers >= T).sort((a, b) => b.inliers - a.inliers);
          const top = ver[0] ?? { same: r.rank === 0 };
          if (top.same) first++;
          if (ver[0] && !ver[0].same) wrongTop++;
        }
        console.log(`| ${T} | ${k} | ${((100 * first) / rows.length).toFixed(1)} % | ${wrongTop} |`);
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
