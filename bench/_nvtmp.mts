import sharp from 'sharp';
import { nv21ToRgb, nv21ToJpeg, rgbToNv21 } from '../lib/images/nv21';
const w=1920,h=1080; const rgb=Buffer.alloc(w*h*3); for(let i=0;i<rgb.length;i++) rgb[i]=(i*7)&255;
const f=rgbToNv21(rgb,w,h);
for (let j=0;j<6;j++){ let t=performance.now(); const r=nv21ToRgb(f,w,h); const a=performance.now()-t; t=performance.now(); await sharp(r,{raw:{width:w,height:h,channels:3}}).jpeg({quality:90}).toBuffer(); const b=performance.now()-t; t=performance.now(); await nv21ToJpeg(f,w,h); console.log(a.toFixed(1), b.toFixed(1), (performance.now()-t).toFixed(1)); }
