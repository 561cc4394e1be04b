import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { startServices } from '/work/main/test/support/services';
import { createLibrary } from '/work/main/lib/search/library';
import { addOperation, searchOperation } from '/work/main/lib/search/api';
import { engineFor } from '/work/main/lib/search/provider';
import { testImage } from '/work/main/test/support/search-test-engine';

const env = await startServices();
const p = await env.project('real');
for (const kind of (process.env.KINDS ?? 'same_hq').split(',') as Array<'same_hq'>) {
  try {
    await createLibrary(env.stores.metadata, p.projectId, kind);
    const t0 = performance.now();
    const engine = await engineFor(kind);
    const tLoad = performance.now() - t0;
    const imgs = await Promise.all([1, 2, 3, 4].map((s) => testImage(s, { width: 400, height: 400 })));
    const signs = [];
    const ta = performance.now();
    for (const [i, img] of imgs.entries()) signs.push((await addOperation(env.stores, engine, p.projectId, kind, { image: img.toString('base64'), brief: `b${i}`, tags: '1' })).cont_sign);
    const tAdd = (performance.now() - ta) / imgs.length;
    const q = await sharp(imgs[0]).resize(300, 300).jpeg({ quality: 40 }).toBuffer();
    const ts = performance.now();
    const r = await searchOperation(env.stores, engine, p.projectId, kind, { image: q.toString('base64'), tags: '1' });
    const tSearch = performance.now() - ts;
    console.log(kind, { load: Math.round(tLoad), addMs: Math.round(tAdd), searchMs: Math.round(tSearch), top: r.result[0], expected: signs[0], n: r.result_num });
  } catch (e) {
    console.log(kind, 'FAILED', e);
  }
}
await env.stop();
