/**
 * Tuning-side probe (issue 12): does nsfwjs's InceptionV3 backbone (lib/vision/inception.ts)
 * give better similar-search features than the MobileNetV2 one the engine ships? Same data,
 * query synthesis, subject crops ('det', 'fg') and metrics as bench/similar-explore.ts, on the
 * TUNING stamps only; every variant uses the shipped view pair "GeM (p = 3) max(det, fg pairs)",
 * plus whole-picture rows for reference. Also prints the median embedding time per picture and
 * the weight bytes of each backbone.
 *
 *   npx tsx bench/similar-backbones.ts     (prints a table; writes nothing; ~30 min on 2 cores)
 *
 * The input side (issue 12's speed): InceptionV3 is fully convolutional up to its pooling, so it
 * also takes smaller pictures (lib/vision/inception.ts mapSide). With `--sides 299,256,224
 * --layers mixed7` it compares the shipped block at those input sides instead: same pictures, same
 * crops, and the single views (det alone, fg alone) beside the pair.
 */
import sharp from 'sharp';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { labelledStamps } from '../test/support/stamps';
import { availablePhotos } from '../test/support/photos';
import { catalogue, cleanQuery, seedOf, shopperPhoto } from '../test/support/shopper';
import { mobileNetV2FeatureMaps } from '../lib/vision/mobilenet';
import { INCEPTION_INPUT, inceptionV3FeatureMaps, inceptionV3Files, type InceptionLayer } from '../lib/vision/inception';
import { centerNet } from '../lib/vision/detector';
import { foregroundBox, squareAround, type Rect } from '../lib/vision/subject';
import { cropRgb, resizeRgb } from '../lib/vision/pixels';
import { dot, gemPool, l2normalise, type RgbImage } from '../lib/vision/embedding';

const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

async function rgbOf(bytes: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]?.split(',') : undefined;
};
const LAYERS = (arg('layers') ?? ['mixed5', 'mixed7', 'mixed8', 'mixed9', 'mixed10']) as InceptionLayer[];
const SIDES = (arg('sides') ?? [String(INCEPTION_INPUT)]).map(Number);
/** Input-side mode: the layers' rows are keyed by side too, and single views are reported. */
const BY_SIDE = arg('sides') !== undefined;
const CROPS = ['full', 'det', 'fg'] as const;

const mobile = await mobileNetV2FeatureMaps();
const inceptions = await Promise.all(SIDES.map((side) => inceptionV3FeatureMaps(LAYERS, side)));
const detector = await centerNet();
const timing: Record<string, number[]> = { mobilenetv2: [], ...Object.fromEntries(SIDES.map((side) => [`inceptionv3@${side}`, []])) };
/** The key of an InceptionV3 block's rows. */
const key = (layer: InceptionLayer, side: number) => (BY_SIDE ? `${layer}@${side}` : layer);

/** Views keyed `${backbone}:${crop}`, e.g. `mnv2:det`, `mixed10:fg`, `mnv2+mixed10:det`. */
type Views = Record<string, Float32Array>;

/** The subject crops of bench/similar-explore.ts's describe(), embedded by both backbones. */
async function describe(bytes: Buffer): Promise<Views> {
  const img = await resizeRgb(await rgbOf(bytes), 480, 480, 'inside');
  const small = await resizeRgb(img, 160, 160, 'inside');
  const sx = img.width / small.width;
  const sy = img.height / small.height;
  const up = (r: Rect): Rect => ({ left: r.left * sx, top: r.top * sy, width: r.width * sx, height: r.height * sy });
  const fg = up(foregroundBox(small).box);
  const dets = (await detector.detect(img)).sort((a, b) => b.score - a.score);
  const whole = { left: 0, top: 0, width: img.width, height: img.height };
  const clip = (r: Rect): Rect => {
    const left = Math.max(0, r.left);
    const top = Math.max(0, r.top);
    return { left, top, width: Math.max(8, Math.min(img.width - left, r.width - (left - r.left))), height: Math.max(8, Math.min(img.height - top, r.height - (top - r.top))) };
  };
  const det = dets[0] && dets[0].score > 0.15 ? clip(dets[0].box) : undefined;
  const boxes: Record<(typeof CROPS)[number], Rect> = {
    full: whole,
    det: squareAround(det ?? whole, img.width, img.height, 0.08),
    fg: squareAround(clip(fg), img.width, img.height, 0.08),
  };
  const crops = CROPS.map((n) => cropRgb(img, boxes[n]));
  const views: Views = {};

  const small224 = await Promise.all(crops.map((c) => resizeRgb(c, 224, 224, 'fill')));
  let t = performance.now();
  const m = await mobile.maps(small224);
  timing.mobilenetv2.push((performance.now() - t) / crops.length);
  CROPS.forEach((n, i) => (views[`mnv2:${n}`] = gemPool(m[i], mobile.channels)));

  for (const inception of inceptions) {
    const side = inception.input;
    const sized = await Promise.all(crops.map((c) => resizeRgb(c, side, side, 'fill')));
    t = performance.now();
    const im = await inception.maps(sized);
    timing[`inceptionv3@${side}`].push((performance.now() - t) / crops.length);
    for (const { name, channels } of inception.layers) {
      CROPS.forEach((n, i) => {
        const v = gemPool(im[i][name], channels);
        views[`${key(name, side)}:${n}`] = v;
        if (BY_SIDE) return;
        // Concatenation of the two unit vectors, renormalised.
        const both = new Float32Array(mobile.channels + channels);
        both.set(views[`mnv2:${n}`]);
        both.set(v, mobile.channels);
        views[`mnv2+${name}:${n}`] = l2normalise(both);
      });
    }
  }
  return views;
}

const stamps = labelledStamps().filter((s) => s.part === 'tuning');
const backgrounds = availablePhotos().filter((p) => p.category !== 'people').map((p) => p.path);
log(`${stamps.length} tuning stamps, ${backgrounds.length} backgrounds`);
const stored: Views[] = [];
const inCtx: Views[] = [];
const clean: Views[] = [];
for (const [i, s] of stamps.entries()) {
  stored.push(await describe(await catalogue(s.path)));
  inCtx.push(await describe((await shopperPhoto(s.path, seedOf(s.name), { backgrounds })).bytes));
  clean.push(await describe(await cleanQuery(s.path)));
  if (i % 10 === 0) log(i);
}

type Scorer = (q: Views, s: Views) => number;
/** The shipped view pair: the best of the four det/fg pairings. */
const pairs = (b: string): Scorer => (q, s) => Math.max(...['det', 'fg'].flatMap((a) => ['det', 'fg'].map((c) => dot(q[`${b}:${a}`], s[`${b}:${c}`]))));
const whole = (b: string): Scorer => (q, s) => dot(q[`${b}:full`], s[`${b}:full`]);
const single = (b: string, crop: 'det' | 'fg'): Scorer => (q, s) => dot(q[`${b}:${crop}`], s[`${b}:${crop}`]);

const variants: Record<string, Scorer> = BY_SIDE ? {
  '(a) MobileNetV2 (shipped), 224 px': pairs('mnv2'),
  ...Object.fromEntries(
    LAYERS.flatMap((l) =>
      SIDES.flatMap((side) => [
        [`InceptionV3 ${l}, ${side} px, both views`, pairs(key(l, side))],
        [`InceptionV3 ${l}, ${side} px, detected view only`, single(key(l, side), 'det')],
        [`InceptionV3 ${l}, ${side} px, foreground view only`, single(key(l, side), 'fg')],
      ]),
    ),
  ),
} : {
  '(a) MobileNetV2 (shipped)': pairs('mnv2'),
  ...Object.fromEntries([...LAYERS].reverse().map((l) => [`(b/c) InceptionV3 ${l}`, pairs(l)])),
  ...Object.fromEntries([...LAYERS].reverse().map((l) => [`(d) MobileNetV2 + InceptionV3 ${l}, concatenated`, pairs(`mnv2+${l}`)])),
  '(e) whole picture: MobileNetV2': whole('mnv2'),
  '(e) whole picture: InceptionV3 mixed10': whole('mixed10'),
  '(e) whole picture: InceptionV3 mixed8': whole('mixed8'),
};

function evaluate(queries: Views[], f: Scorer) {
  let first = 0;
  let hits = 0;
  for (let i = 0; i < queries.length; i++) {
    const scores = stored.map((s, j) => ({ j, s: f(queries[i], s) })).sort((a, b) => b.s - a.s);
    if (scores[0].j === i) first++;
    const others = scores.filter((x) => x.j !== i).slice(0, 5);
    hits += others.filter((x) => stamps[x.j].group === stamps[i].group).length;
  }
  return { first: first / queries.length, p5: hits / (queries.length * 5) };
}

console.log(`| variant, GeM p = 3 (tuning, ${stamps.length} items) | in context: same first | p@5 | clean: same first | p@5 |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
for (const [name, f] of Object.entries(variants)) {
  const a = evaluate(inCtx, f);
  const b = evaluate(clean, f);
  console.log(`| ${name} | ${pct(a.first)} | ${pct(a.p5)} | ${pct(b.first)} | ${pct(b.p5)} |`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const require = createRequire(import.meta.url);
const mnv2Dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
const files = {
  mobilenetv2: [join(mnv2Dir, 'model.min.js'), join(mnv2Dir, 'group1-shard1of1.min.js')],
  inceptionv3: [inceptionV3Files().topology, ...inceptionV3Files().shards],
};
const decoded = (shards: string[]) => shards.reduce((n, f) => n + Buffer.from(require(f) as string, 'base64').length, 0);
console.log(`\n| backbone | input | embedding, ms per picture (median; batches of 3 crops; up to ${LAYERS.at(-1)}) | files on disk (JS) | weights decoded |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, ms] of Object.entries(timing)) {
  const [model, side] = name.split('@');
  const fs = files[model as keyof typeof files];
  const onDisk = fs.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`| ${model} | ${side ?? 224} px | ${median(ms).toFixed(0)} | ${(onDisk / 1e6).toFixed(1)} MB | ${(decoded(fs.slice(1)) / 1e6).toFixed(1)} MB |`);
}
