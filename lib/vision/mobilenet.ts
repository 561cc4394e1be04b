/**
 * MobileNetV2 feature extractor from the weights that ship in the nsfwjs package: the
 * ImageNet-pretrained Keras MobileNetV2 backbone (alpha 1.0, 224 px; its layers are marked
 * trainable=false in the exported config) under nsfwjs's dense head. We cut the model at the
 * 7x7 average pooling: 1280-d output.
 *
 * Input scaling is nsfwjs's own [0, 1], not Keras' [-1, 1]: on the labelled photo set of
 * bench/search.ts, precision@5 is 41 % with [0, 1] and 26 % with [-1, 1] — the weights as
 * shipped expect what nsfwjs feeds them.
 *
 * Loading: the package embeds model topology and uint8-quantised weights in two JS files
 * (UMD modules exporting the JSON and a base64 string); requiring them takes ~50 ms, so no
 * conversion step is needed. Located through createRequire so the same code resolves them
 * from node_modules and from the Lambda layer (/opt/nodejs/node_modules).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tfReady } from './tf';
import { l2normalise, type Embedder, type RgbImage } from './embedding';

const INPUT = 224;
const FEATURE_LAYER = 'average_pooling2d_1';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
}

export async function mobileNetV2Embedder(): Promise<Embedder> {
  const tf = await tfReady();
  const require = createRequire(import.meta.url);
  // nsfwjs's exports map hides package.json; its main is dist/cjs/index.js.
  const dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
  const json = require(join(dir, 'model.min.js')) as ModelJson;
  const shard = require(join(dir, 'group1-shard1of1.min.js')) as string;
  const weightData = new Uint8Array(Buffer.from(shard, 'base64')).buffer;
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as Parameters<typeof tf.io.fromMemory>[1];
  const full = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs, weightData }),
  );
  const backbone = tf.model({ inputs: full.inputs, outputs: full.getLayer(FEATURE_LAYER).output });

  const run = async (images: RgbImage[]): Promise<Float32Array[]> => {
    const out = tf.tidy(() => {
      const batch = tf.stack(
        images.map((img) => {
          let t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32').toFloat();
          if (img.width !== INPUT || img.height !== INPUT) t = tf.image.resizeBilinear(t as never, [INPUT, INPUT], true);
          // [0, 255] -> [0, 1], as nsfwjs feeds the model (see above).
          return t.div(255);
        }),
      );
      return (backbone.predict(batch) as ReturnType<typeof tf.zeros>).reshape([images.length, -1]);
    });
    const flat = (await out.data()) as Float32Array;
    out.dispose();
    const dim = flat.length / images.length;
    return images.map((_, i) => l2normalise(flat.slice(i * dim, (i + 1) * dim)));
  };
  // Warm-up: the first WASM execution compiles kernels.
  await run([{ data: new Uint8Array(INPUT * INPUT * 3), width: INPUT, height: INPUT }]);

  return {
    name: 'mobilenetv2',
    dimension: 1280,
    inputSize: INPUT,
    embed: async (image) => (await run([image]))[0],
    async embedBatch(images) {
      const out: Float32Array[] = [];
      // Small batches keep peak memory bounded on a 1 GB Lambda.
      for (let i = 0; i < images.length; i += 8) out.push(...(await run(images.slice(i, i + 8))));
      return out;
    },
  };
}
