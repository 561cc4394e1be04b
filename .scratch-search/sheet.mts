import sharp from 'sharp';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const files: string[] = readFileSync('/tmp/photos.txt','utf8').trim().split('\n').filter(f => !/Elephants_|MATE-Stripes|Ubuntu-Mate|Float-into|Arc-Colors|Stripes.png/.test(f));
for (const d of readdirSync('/usr/share/wallpapers')) {
  const imgs = readdirSync(`/usr/share/wallpapers/${d}/contents/images`);
  const pick = imgs.find(f => f.startsWith('1920x1080')) ?? imgs.find(f=>f.startsWith('2560')) ?? imgs.find(f=>f.startsWith('3840')) ?? imgs[imgs.length-1];
  files.push(`/usr/share/wallpapers/${d}/contents/images/${pick}`);
}
for (let i=1;i<=6;i++) files.push(`/work/main/node_modules/@vladmandic/face-api/demo/sample${i}.jpg`);
writeFileSync('/tmp/allphotos.txt', files.join('\n'));
const W=200,H=130, cols=8;
const tiles = await Promise.all(files.map(async (f,i) => {
  const img = await sharp(f).resize(W,H,{fit:'fill'}).png().toBuffer();
  const label = Buffer.from(`<svg width="${W}" height="${H}"><rect x="0" y="0" width="34" height="22" fill="black"/><text x="3" y="17" font-size="18" fill="yellow">${i}</text></svg>`);
  return { input: await sharp(img).composite([{input:label,left:0,top:0}]).png().toBuffer(), left:(i%cols)*W, top: Math.floor(i/cols)*H };
}));
const rows = Math.ceil(files.length/cols);
await sharp({create:{width:cols*W,height:rows*H,channels:3,background:'white'}}).composite(tiles).png().toFile('/tmp/sheet.png');
console.log(files.length);
