/**
 * Tuning-side exploration for the similar / product engines (issue 12): many variants of
 * subject finding, pooling and fusion scored on the TUNING stamps only (test/support/stamps.ts),
 * so that the choice shipped in lib/search/engines/embedding.ts never looks at held-out pictures.
 *
 *   npx tsx bench/similar-explore.ts     (prints a table; writes nothing)
 */
import sharp from 'sharp';
import { labelledStamps, type Stamp } from '../test/support/stamps';
import { availablePhotos } from '../test/support/photos';
import { catalogue, cleanQuery, seedOf, shopperPhoto } from '../test/support/shopper';
import { mobileNetV2FeatureMaps } from '../lib/vision/mobilenet';
import { centerNet } from '../lib/vision/detector';
import { colourHistogram } from '../lib/vision/colour-texture';
import { applyMask, borderSpread, foregroundBox, grabCutMask, iou, squareAround, type Rect } from '../lib/vision/subject';
import { cropRgb, resizeRgb } from '../lib/vision/pixels';
import type { RgbImage } from '../lib/vision/embedding';

const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const SIDE = (process.env.EXPLORE_SIDE ?? 'tuning') as Stamp['part'];

async function rgbOf(bytes: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

function pool(map: Float32Array, channels: number, p: number): Float32Array {
  const cells = map.length / channels;
  const out = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let i = 0; i < cells; i++) {
      const v = Math.max(1e-6, map[i * channels + c]);
      s += p === 1 ? v : v ** p;
    }
    out[c] = p === 1 ? s / cells : (s / cells) ** (1 / p);
  }
  return unit(out);
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

interface Views {
  [k: string]: Float32Array | number[];
}

interface Described {
  views: Views;
  det?: Rect;
  fg: Rect;
  subject: Rect;
  cut: Rect;
  work: number;
}

const maps = await mobileNetV2FeatureMaps();
const detector = await centerNet();

async function describe(bytes: Buffer): Promise<Described> {
  const img = await resizeRgb(await rgbOf(bytes), 480, 480, 'inside');
  const small = await resizeRgb(img, 160, 160, 'inside');
  const sx = img.width / small.width;
  const sy = img.height / small.height;
  const up = (r: Rect): Rect => ({ left: r.left * sx, top: r.top * sy, width: r.width * sx, height: r.height * sy });
  const down = (r: Rect): Rect => ({ left: r.left / sx, top: r.top / sy, width: r.width / sx, height: r.height / sy });
  const fg = up(foregroundBox(small).box);
  const spread = borderSpread(small);
  const dets = (await detector.detect(img)).sort((a, b) => b.score - a.score);
  const whole = { left: 0, top: 0, width: img.width, height: img.height };
  const clip = (r: Rect): Rect => {
    const left = Math.max(0, r.left);
    const top = Math.max(0, r.top);
    return { left, top, width: Math.max(8, Math.min(img.width - left, r.width - (left - r.left))), height: Math.max(8, Math.min(img.height - top, r.height - (top - r.top))) };
  };
  const det = dets[0] && dets[0].score > 0.15 ? clip(dets[0].box) : undefined;
  const subject = spread < SPREAD ? clip(fg) : (det ?? clip(fg));
  const grow = (r: Rect, f: number): Rect => clip({ left: r.left - r.width * f, top: r.top - r.height * f, width: r.width * (1 + 2 * f), height: r.height * (1 + 2 * f) });
  const gc = await grabCutMask(small, down(grow(subject, 0.05)));
  let cutImg = img;
  let cutBox = subject;
  if (gc) {
    const mask = new Uint8Array(img.width * img.height);
    for (let y = 0; y < img.height; y++) {
      const yy = Math.min(small.height - 1, Math.floor(y / sy));
      for (let x = 0; x < img.width; x++) mask[y * img.width + x] = gc.mask[yy * small.width + Math.min(small.width - 1, Math.floor(x / sx))];
    }
    cutImg = applyMask(img, mask);
    cutBox = up(gc.box);
  }
  const crops: Record<string, [RgbImage, Rect]> = {
    full: [img, whole],
    det: [img, squareAround(det ?? whole, img.width, img.height, 0.08)],
    fg: [img, squareAround(clip(fg), img.width, img.height, 0.08)],
    box: [img, squareAround(subject, img.width, img.height, 0.08)],
    cut: [cutImg, squareAround(cutBox, img.width, img.height, 0.08)],
    cutSubj: [cutImg, squareAround(subject, img.width, img.height, 0.08)],
  };
  const names = Object.keys(crops);
  const pics = await Promise.all(names.map((n) => resizeRgb(cropRgb(crops[n][0], crops[n][1]), 224, 224, 'fill')));
  const m = await maps.maps(pics);
  const views: Views = {};
  names.forEach((n, i) => {
    views[`${n}:avg`] = pool(m[i], maps.channels, 1);
    views[`${n}:gem3`] = pool(m[i], maps.channels, 3);
    views[`${n}:hist`] = colourHistogram(pics[i]);
  });
  const scale = (r: Rect): Rect => ({ left: r.left * SCALE_BACK, top: r.top * SCALE_BACK, width: r.width * SCALE_BACK, height: r.height * SCALE_BACK });
  SCALE_BACK = 1;
  return { views, det: det ? scale(det) : undefined, fg: scale(fg), subject: scale(subject), cut: scale(cutBox), work: img.width };
}
let SCALE_BACK = 1;
const SPREAD = Number(process.env.EXPLORE_SPREAD ?? 12);

const stamps = labelledStamps().filter((s) => s.part === SIDE);
const backgrounds = availablePhotos().filter((p) => p.category !== 'people').map((p) => p.path);
log(`${stamps.length} ${SIDE} stamps, ${backgrounds.length} backgrounds`);
const stored: Described[] = [];
const inCtx: Described[] = [];
const clean: Described[] = [];
let iouDet = 0;
let iouFg = 0;
let detFound = 0;
let iouSubj = 0;
let iouCut = 0;
for (const [i, s] of stamps.entries()) {
  stored.push(await describe(await catalogue(s.path)));
  const q = await shopperPhoto(s.path, seedOf(s.name), { backgrounds });
  const d = await describe(q.bytes);
  inCtx.push(d);
  if (d.det) detFound++;
  const f = 640 / d.work;
  const sc = (r: Rect): Rect => ({ left: r.left * f, top: r.top * f, width: r.width * f, height: r.height * f });
  iouDet += d.det ? iou(sc(d.det), q.box) : 0;
  iouFg += iou(sc(d.fg), q.box);
  iouSubj += iou(sc(d.subject), q.box);
  iouCut += iou(sc(d.cut), q.box);
  clean.push(await describe(await cleanQuery(s.path)));
  if (i % 20 === 0) log(i);
}
console.log(`subject box IoU with the pasted object (in context): detector ${(iouDet / stamps.length).toFixed(3)} (found ${detFound}/${stamps.length}), foreground ${(iouFg / stamps.length).toFixed(3)}, chosen ${(iouSubj / stamps.length).toFixed(3)}, grabcut ${(iouCut / stamps.length).toFixed(3)}`);

type Scorer = (q: Described, s: Described) => number;
const v = (d: Described, k: string) => d.views[k];
const sim = (k: string, l = k): Scorer => (q, s) => dot(v(q, k), v(s, l));
const maxOf = (...fs: Scorer[]): Scorer => (q, s) => Math.max(...fs.map((f) => f(q, s)));
const mix = (...ws: Array<[number, Scorer]>): Scorer => (q, s) => ws.reduce((a, [w, f]) => a + w * f(q, s), 0);

const variants: Record<string, Scorer> = {
  'hist full': sim('full:hist'),
  'avg full (today)': sim('full:avg'),
  'gem3 full': sim('full:gem3'),
  'gem3 det': sim('det:gem3'),
  'gem3 fg': sim('fg:gem3'),
  'gem3 box': sim('box:gem3'),
  'avg box': sim('box:avg'),
  'gem3 cut': sim('cut:gem3'),
  'avg cut': sim('cut:avg'),
  'gem3 cutSubj': sim('cutSubj:gem3'),
  'gem3 max(cut,box pairs)': maxOf(sim('cut:gem3'), sim('box:gem3'), sim('cut:gem3', 'box:gem3'), sim('box:gem3', 'cut:gem3')),
  'gem3 max(cut,full pairs)': maxOf(sim('cut:gem3'), sim('full:gem3'), sim('cut:gem3', 'full:gem3'), sim('full:gem3', 'cut:gem3')),
  'gem3 max(box,full pairs)': maxOf(sim('box:gem3'), sim('full:gem3'), sim('box:gem3', 'full:gem3'), sim('full:gem3', 'box:gem3')),
  'gem3 max(det,fg pairs)': maxOf(sim('det:gem3'), sim('fg:gem3'), sim('det:gem3', 'fg:gem3'), sim('fg:gem3', 'det:gem3')),
  'gem3 max(det,fg,full pairs)': (q, t) => Math.max(...['det', 'fg', 'full'].flatMap((a) => ['det', 'fg', 'full'].map((b) => dot(v(q, `${a}:gem3`), v(t, `${b}:gem3`))))),
  'gem3 max(det,fg,box pairs)': (q, t) => Math.max(...['det', 'fg', 'box'].flatMap((a) => ['det', 'fg', 'box'].map((b) => dot(v(q, `${a}:gem3`), v(t, `${b}:gem3`))))),
  'gem3 max(det,fg pairs) stored, +full query': (q, t) => Math.max(...['det', 'fg', 'full'].flatMap((a) => ['det', 'fg'].map((b) => dot(v(q, `${a}:gem3`), v(t, `${b}:gem3`))))),
  'gem3 cut + 0.15 hist cut': mix([0.85, sim('cut:gem3')], [0.15, sim('cut:hist')]),
  'gem3 cut + 0.3 hist cut': mix([0.7, sim('cut:gem3')], [0.3, sim('cut:hist')]),
  'gem3 cut + box': mix([0.5, sim('cut:gem3')], [0.5, sim('box:gem3')]),
};

function evaluate(queries: Described[], f: Scorer) {
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

console.log(`| variant (${SIDE}, ${stamps.length} items) | in context: same first | p@5 | clean: same first | p@5 |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, f] of Object.entries(variants)) {
  const a = evaluate(inCtx, f);
  const b = evaluate(clean, f);
  const p = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`| ${name} | ${p(a.first)} | ${p(a.p5)} | ${p(b.first)} | ${p(b.p5)} |`);
}
