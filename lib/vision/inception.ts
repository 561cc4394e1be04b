/**
 * InceptionV3 from the weights that ship in the nsfwjs package (Keras InceptionV3, 299 px, under
 * nsfwjs's dense head; uint8-quantised, 22 MB of weights), loaded by lib/vision/nsfwjs-models.ts.
 *
 * Unlike the package's MobileNetV2, this backbone is partly fine-tuned: its exported config marks
 * the layers up to mixed5 trainable=false (ImageNet as is) and those from conv2d_56 (inside
 * mixed6) on trainable, i.e. tuned by nsfwjs for its five classes. So its last block (mixed10)
 * describes objects worse than MobileNetV2 does, while the middle blocks describe them better
 * (BENCHMARKS.md "Tuning choices for similar and product search", bench/similar-backbones.ts).
 *
 * Input: RGB scaled to [0, 1] (nsfwjs divides by 255 for every model), not Keras' [-1, 1].
 *
 * The Lambda layer holds the network cut at mixed7 (layers/native/cut-inception.mjs): there, only
 * the embedder's block can be read; the deeper blocks are for the tuning probe, from node_modules.
 */
import { gemPool, type Embedder, type RgbImage } from './embedding';
import { loadNsfwjsModel, nsfwjsModelFiles } from './nsfwjs-models';

export const INCEPTION_INPUT = 299;
const FOLDER = 'inception_v3';

/** Blocks that can be read out, with their map side and depth at 299 px. */
export const INCEPTION_LAYERS = {
  mixed5: { size: 17, channels: 768 },
  mixed7: { size: 17, channels: 768 },
  mixed8: { size: 8, channels: 1280 },
  mixed9: { size: 8, channels: 2048 },
  mixed10: { size: 8, channels: 2048 },
} as const;
export type InceptionLayer = keyof typeof INCEPTION_LAYERS;

/** The model's files in the nsfwjs package (the layer build copies them). */
export const inceptionV3Files = () => nsfwjsModelFiles(FOLDER);

/**
 * The maps of the given blocks (row-major size × size × channels) for a batch of images, in one
 * forward pass that stops at the deepest block asked for: per image, one Float32Array per block.
 */
export async function inceptionV3FeatureMaps(layers: InceptionLayer[] = ['mixed10']): Promise<{
  input: number;
  layers: Array<{ name: InceptionLayer; size: number; channels: number }>;
  maps(images: RgbImage[]): Promise<Array<Record<InceptionLayer, Float32Array>>>;
}> {
  const { tf, full } = await loadNsfwjsModel(FOLDER);
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

/** The block and GeM exponent of inceptionV3GemEmbedder (chosen on the tuning stamps). */
export const INCEPTION_EMBEDDING = { layer: 'mixed7' as InceptionLayer, p: 3 };

/**
 * InceptionV3's mixed7 block (17 × 17 × 768 at 299 px, the last block before the 8 × 8 ones),
 * GeM-pooled: 768-d. On the tuning stamps, as the similar engine's two subject views, it ranked
 * the photographed item first by embedding 49.0 % of the time in context against MobileNetV2's
 * 36.3 %, and category precision@5 32.0 % against 25.1 % — at about 7 times MobileNetV2's compute.
 */
export async function inceptionV3GemEmbedder(): Promise<Embedder> {
  const { layer, p } = INCEPTION_EMBEDDING;
  const fm = await inceptionV3FeatureMaps([layer]);
  const { channels } = INCEPTION_LAYERS[layer];
  const run = async (images: RgbImage[]) => (await fm.maps(images)).map((m) => gemPool(m[layer], channels, p));
  // Warm-up: the first WASM execution compiles kernels.
  await run([{ data: new Uint8Array(INCEPTION_INPUT * INCEPTION_INPUT * 3), width: INCEPTION_INPUT, height: INCEPTION_INPUT }]);
  return {
    name: 'inceptionv3-gem',
    dimension: channels,
    inputSize: INCEPTION_INPUT,
    embed: async (image) => (await run([image]))[0],
    async embedBatch(images) {
      const out: Float32Array[] = [];
      // Small batches keep peak memory bounded on a 1 GB Lambda.
      for (let i = 0; i < images.length; i += 4) out.push(...(await run(images.slice(i, i + 4))));
      return out;
    },
  };
}
