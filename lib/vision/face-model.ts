/**
 * The face model behind `FaceModel`: @vladmandic/face-api's SSD MobileNetV1 detector, 68-point
 * landmarks and the 128-d (dlib ResNet) descriptor on TensorFlow.js WASM. Loaded once per
 * container; weights ship inside the package (node_modules or the Lambda layer).
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tfReady } from './tf';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DetectedFace {
  /** In the pixel coordinates of the image given to `detect`. */
  box: FaceBox;
  score: number;
  /** 128-d descriptor; same person ⇔ small Euclidean distance (dlib: < 0.6). */
  descriptor: Float32Array;
}

export interface RgbImage {
  data: Buffer | Uint8Array;
  width: number;
  height: number;
}

export interface FaceModel {
  /** Every face found, largest first. */
  detect(image: RgbImage): Promise<DetectedFace[]>;
}

const require = createRequire(import.meta.url);
// The default entry wants tfjs-node; the WASM build uses the @tensorflow/tfjs that tf.ts set up.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FaceApi = any;

const MODEL_NAMES = ['ssd_mobilenetv1_model', 'face_landmark_68_model', 'face_recognition_model'] as const;
const MIN_CONFIDENCE = 0.5;

function modelDir(): string {
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

async function loadNet(faceapi: FaceApi, net: { loadFromWeightMap(map: unknown): void }, name: string): Promise<void> {
  const dir = modelDir();
  const manifest = JSON.parse(await readFile(join(dir, `${name}-weights_manifest.json`), 'utf8')) as Array<{
    paths: string[];
    weights: unknown[];
  }>;
  const specs = manifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(manifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
  const all = Buffer.concat(buffers);
  const ab = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  net.loadFromWeightMap(faceapi.tf.io.decodeWeights(ab, specs));
}

class FaceApiModel implements FaceModel {
  constructor(private readonly faceapi: FaceApi) {}

  async detect(image: RgbImage): Promise<DetectedFace[]> {
    const { faceapi } = this;
    const tf = faceapi.tf;
    const input = tf.tensor3d(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), [image.height, image.width, 3], 'int32');
    try {
      const results = await faceapi
        .detectAllFaces(input, new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE, maxResults: 100 }))
        .withFaceLandmarks()
        .withFaceDescriptors();
      const faces: DetectedFace[] = results.map(
        (r: { detection: { box: FaceBox; score: number }; descriptor: Float32Array }) => ({
          box: { x: r.detection.box.x, y: r.detection.box.y, width: r.detection.box.width, height: r.detection.box.height },
          score: r.detection.score,
          descriptor: r.descriptor,
        }),
      );
      return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    } finally {
      input.dispose();
    }
  }
}

/**
 * One pass of each net on blank input: the WASM backend compiles its kernels on first use
 * (~1 s here), which would otherwise land on the first request rather than in the init phase.
 */
async function warmUp(faceapi: FaceApi): Promise<void> {
  const tf = faceapi.tf;
  const blank = (size: number) => tf.zeros([size, size, 3], 'int32');
  const inputs = [blank(512), blank(112), blank(150)];
  try {
    await faceapi.nets.ssdMobilenetv1.locateFaces(inputs[0], new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE }));
    await faceapi.nets.faceLandmark68Net.detectLandmarks(inputs[1]);
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(inputs[2]);
  } finally {
    for (const t of inputs) t.dispose();
  }
}

let loading: Promise<FaceModel> | undefined;

/** The process-wide face model (first call loads the weights: the cold-start cost). */
export function faceModel(): Promise<FaceModel> {
  loading ??= (async () => {
    await tfReady();
    const faceapi: FaceApi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
    await faceapi.tf.setBackend('wasm');
    await faceapi.tf.ready();
    const nets = [faceapi.nets.ssdMobilenetv1, faceapi.nets.faceLandmark68Net, faceapi.nets.faceRecognitionNet];
    await Promise.all(nets.map((n, i) => loadNet(faceapi, n, MODEL_NAMES[i])));
    await warmUp(faceapi);
    return new FaceApiModel(faceapi);
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
