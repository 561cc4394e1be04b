/**
 * Trains the same-image engine's visual-word vocabulary (lib/vision/visual-words.ts) and writes it
 * to lib/vision/orb-vocabulary.ts.
 *
 *   npx tsx bench/train-vocabulary.ts        (npm run build:vocabulary)
 *
 * Training images: the tuning photos and rendered graphics of the same-image benchmark
 * (bench/same-image-photos.ts tuningPool, test/support/photos.ts availableGraphics) — never the
 * held-out photos, so that the held-out figures of BENCHMARKS.md measure a vocabulary that has
 * not seen them. Descriptors are those the engine stores (its `describe` sidecar, 800 ORB
 * keypoints of the 512-px copy). Deterministic: the same photos give the same file.
 */
import { writeFileSync } from 'node:fs';
import { SAME_HQ, SameImageEngine } from '../lib/search/engines/same-image';
import { getEmbedder } from '../lib/vision/embedder';
import { decodeFeatures } from '../lib/vision/local-features';
import { encodeVocabulary, trainVocabulary } from '../lib/vision/visual-words';
import { decode } from '../test/support/search-harness';
import { availableGraphics } from '../test/support/photos';
import { libraryCopy } from '../test/support/transforms';
import { tuningPool } from './same-image-photos';

/** 32 × 40 = 1,280 words: the width of the default embedder's vector table, so a bag fills one row exactly. */
const BRANCHES = 32;
const LEAVES = 40;

async function main() {
  const pool = tuningPool();
  const paths = [...pool.members, ...pool.distractors].map((p) => p.path).concat(availableGraphics());
  if (pool.members.length < 30) throw new Error(`only ${pool.members.length} tuning photos installed: see test/support/photos.ts`);
  const engine = new SameImageEngine('same_hq', await getEmbedder(), { ...SAME_HQ, wordCandidates: 0 });
  const images: Uint8Array[] = [];
  for (const path of paths) {
    const d = await engine.describe(await decode(await libraryCopy(path)));
    images.push(decodeFeatures(d.sidecar!).features.descriptors);
  }
  const vocabulary = trainVocabulary(images, BRANCHES, LEAVES);
  const b64 = encodeVocabulary(vocabulary).toString('base64');
  const lines = b64.match(/.{1,120}/g)!.map((l) => `  '${l}',`);
  writeFileSync(
    'lib/vision/orb-vocabulary.ts',
    [
      '/**',
      ` * The same-image engine's visual-word vocabulary: ${BRANCHES} × ${LEAVES} binary ORB centres and their idf,`,
      ` * trained by bench/train-vocabulary.ts (npm run build:vocabulary) on ${images.length} tuning images. Generated: do not edit.`,
      ' */',
      'export const ORB_VOCABULARY_BASE64 = [',
      ...lines,
      "].join('');",
      '',
    ].join('\n'),
  );
  console.error(`wrote lib/vision/orb-vocabulary.ts: ${images.length} images, ${images.reduce((n, d) => n + d.length / 32, 0)} descriptors`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
