import sharp from 'sharp';
import { faceModel } from './lib/vision/face-model';
let t = Date.now();
const m = await faceModel();
console.log('load', Date.now() - t);
for (let i = 1; i <= 6; i++) {
  for (const w of [1920, 1024, 640]) {
    const { data, info } = await sharp(`node_modules/@vladmandic/face-api/demo/sample${i}.jpg`).resize({ width: w }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    t = Date.now();
    const f = await m.detect({ data, width: info.width, height: info.height });
    console.log(i, w, Date.now() - t, f.length, f.map((x) => Math.round(x.box.width)).join(','));
  }
}
