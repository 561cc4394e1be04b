/**
 * Cold start of the similar / product engine in a fresh process (what a new Lambda container pays
 * before its first search): TF.js WASM init, the shipped embedder (SIMILAR_EMBEDDER), the CenterNet detector,
 * OpenCV (GrabCut), then the first and the next describe of a shopper's photo. Prints; writes nothing.
 *
 *   npx tsx bench/similar-cold.ts
 */
import { loadavg } from 'node:os';
import { tfReady } from '../lib/vision/tf';
import { getEmbedder } from '../lib/vision/embedder';
import { centerNet } from '../lib/vision/detector';
import { cvReady } from '../lib/vision/opencv';
import { getEngine } from '../lib/search/engines';
import { SIMILAR_EMBEDDER } from '../lib/search/embedders';
import { labelledStamps } from '../test/support/stamps';
import { availablePhotos } from '../test/support/photos';
import { seedOf, shopperPhoto } from '../test/support/shopper';
import { decode } from '../test/support/search-harness';

const t = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const r = await f();
  console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return r;
};

const stamp = labelledStamps().find((s) => s.part === 'tuning');
if (!stamp) throw new Error('apt-get install tuxpaint-stamps-default');
const q = await shopperPhoto(stamp.path, seedOf(stamp.name), { backgrounds: availablePhotos().filter((p) => p.category !== 'people').map((p) => p.path) });
const t0 = performance.now();
await t('tfjs wasm ready', () => tfReady());
await t(`embedder ${SIMILAR_EMBEDDER} (load + warm-up)`, () => getEmbedder(SIMILAR_EMBEDDER));
await t('detector centernet (load + warm-up)', () => centerNet());
await t('opencv ready', () => cvReady());
const engine = await t('engine', () => getEngine('similar'));
await t('first describe (query)', async () => engine.describeQuery(await decode(q.bytes)));
console.log(`cold start to first described query: ${(performance.now() - t0).toFixed(0)} ms`);
const times: number[] = [];
for (let i = 0; i < 10; i++) {
  const t1 = performance.now();
  await engine.describeQuery(await decode(q.bytes));
  times.push(performance.now() - t1);
}
times.sort((a, b) => a - b);
console.log(`warm describe (query) p50 ${times[5].toFixed(0)} ms, max ${times[9].toFixed(0)} ms; load average ${loadavg().map((x) => x.toFixed(1)).join(', ')}`);
