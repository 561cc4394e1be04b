/**
 * InceptionV3 feature maps from the weights that ship in the nsfwjs package (Keras 2.2.4
 * InceptionV3, 299 px, under nsfwjs's dense head; uint8-quantised, ~22 MB of weights). Loaded
 * the way lib/vision/mobilenet.ts loads nsfwjs's MobileNetV2: the topology and the six weight
 * shards are UMD modules exporting JSON and base64 strings, required through createRequire.
 *
 * Unlike the MobileNetV2 backbone, this one is partly fine-tuned: the exported config marks the
 * layers up to mixed5 trainable=false (ImageNet as is) and those from conv2d_56 (inside mixed6)
 * to mixed10 trainable=true, i.e. tuned by nsfwjs for its five classes.
 *
 * Input: RGB scaled to [0, 1] (nsfwjs's core divides by 255 for every model), not Keras'
 * [-1, 1]. Used by the tuning probe bench/similar-backbones.ts; no engine uses it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tfReady } from './tf';
import type { RgbImage } from './embedding';

export const INCEPTION_INPUT = 299;

/** Blocks that can be read out, with their map side and depth at 299 px. */
export const INCEPTION_LAYERS = {
  mixed5: { size: 17, channels: 768 },
  mixed7: { size: 17, channels: 768 },
  mixed8: { size: 8, channels: 1280 },
  mixed9: { size: 8, channels: 2048 },
  mixed10: { size: 8, channels: 2048 },
} as const;
export type InceptionLayer = keyof typeof INCEPTION_LAYERS;

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
}

/** The model's files in the nsfwjs package: the topology module and the weight shards, in order. */
export function inceptionV3Files(): { dir: string; topology: string; shards: string[] } {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'inception_v3');
  const json = require(join(dir, 'model.min.js')) as ModelJson;
  return { dir, topology: join(dir, 'model.min.js'), shards: json.weightsManifest.flatMap((g) => g.paths).map((p) => join(dir, `${p}.min.js`)) };
}

let loaded: Promise<{ tf: Awaited<ReturnType<typeof tfReady>>; full: Awaited<ReturnType<Awaited<ReturnType<typeof tfReady>>['loadLayersModel']>> }> | undefined;

/** The nsfwjs InceptionV3 Keras model with its weights, loaded once. */
function loadFull() {
  loaded ??= (async () => {
    const tf = await tfReady();
    const require = createRequire(import.meta.url);
    const files = inceptionV3Files();
    const json = require(files.topology) as ModelJson;
    // The shards are consecutive slices of one weight file: decode and join them in order.
    const weightData = new Uint8Array(Buffer.concat(files.shards.map((f) => Buffer.from(require(f) as string, 'base64')))).buffer;
    const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as Parameters<typeof tf.io.fromMemory>[1];
    const full = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs, weightData }));
    return { tf, full };
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

/**
 * The maps of the given blocks (default mixed10, the last one before the global pooling:
 * 8 x 8 x 2048 at 299 px) for a batch of images, in one forward pass: per image, one
 * Float32Array per block (row-major size x size x channels). Pooled by the caller.
 */
export async function inceptionV3FeatureMaps(layers: InceptionLayer[] = ['mixed10']): Promise<{
  input: number;
  layers: Array<{ name: InceptionLayer; size: number; channels: number }>;
  maps(images: RgbImage[]): Promise<Array<Record<InceptionLayer, Float32Array>>>;
}> {
  const { tf, full } = await loadFull();
  const backbone = tf.model({ inputs: full.inputs, outputs: layers.map((l) => full.getLayer(l).output as never) });
  return {
    input: INCEPTION_INPUT,
    layers: layers.map((name) => ({ name, ...INCEPTION_LAYERS[name] })),
    async maps(images) {
      const outs = tf.tidy(() => {
        const batch = tf.stack(
          images.map((img) => {
            let t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32').toFloat();
            if (img.width !== INCEPTION_INPUT || img.height !== INCEPTION_INPUT) t = tf.image.resizeBilinear(t as never, [INCEPTION_INPUT, INCEPTION_INPUT], true);
            return t.div(255);
          }),
        );
        const out = backbone.predict(batch);
        return Array.isArray(out) ? out : [out];
      });
      const flats = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
      outs.forEach((o) => o.dispose());
      return images.map((_, i) => {
        const r = {} as Record<InceptionLayer, Float32Array>;
        layers.forEach((l, k) => {
          const per = flats[k].length / images.length;
          r[l] = flats[k].slice(i * per, (i + 1) * per);
        });
        return r;
      });
    },
  };
}
