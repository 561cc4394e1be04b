import { getEmbedder } from '/work/main/lib/vision/embedder';
import sharp from 'sharp';
const t0 = Date.now();
const e = await getEmbedder();
console.log('load ms', Date.now() - t0);
const files = ['sample1','sample2','sample3'].map(s=>`/work/main/node_modules/@vladmandic/face-api/demo/${s}.jpg`);
const vs = [];
for (const f of files) {
  const { data, info } = await sharp(f).resize(224,224,{fit:'fill'}).removeAlpha().raw().toBuffer({resolveWithObject:true});
  const t1 = Date.now();
  const v = await e.embed({ data, width: info.width, height: info.height });
  console.log('embed ms', Date.now()-t1, v.length, v.slice(0,4));
  vs.push(v);
}
const d=(a,b)=>a.reduce((s,x,i)=>s+x*b[i],0);
console.log(d(vs[0],vs[1]), d(vs[0],vs[2]), d(vs[1],vs[2]));
