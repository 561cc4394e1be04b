import { getEngine } from '../lib/search/engines';
import { photo } from '../test/support/photos';
import { decode } from '../test/support/search-harness';
import { libraryCopy, transform } from '../test/support/transforms';
import { decodeFeatures, matchFeatures, fitSimilarity } from '../lib/vision/local-features';
import { hamming64 } from '../lib/vision/phash';
const e = await getEngine('same_hq');
for (const [n, t] of [['wood','brightness-1.4'],['green-meadow','greyscale'],['people-4','greyscale'],['by-the-water','rotate-10']] as const) {
  const c = await libraryCopy(photo(n).path);
  const q = await transform(c, t);
  const a = await e.describe(await decode(c)); const b = await e.describeQuery(await decode(q));
  const A = decodeFeatures(a.sidecar!), B = decodeFeatures(b.sidecar!);
  const m = await matchFeatures(B.features, A.features);
  const f = fitSimilarity(B.features, A.features, m);
  const d = 1 - a.vectors[0].vector.reduce((s,x,i)=>s+x*b.vectors[0].vector[i],0);
  console.log(n, t, 'kp', A.features.points.length/2, B.features.points.length/2, 'matches', m.length, 'inl', f.inliers, 'emb', d.toFixed(3), 'hash', hamming64(A.extra.readBigUInt64LE(0), B.extra.readBigUInt64LE(0)));
}
