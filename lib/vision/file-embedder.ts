/**
 * A deployment's own image encoder (e.g. the image tower of a CLIP-class model), loaded from a
 * folder on local disk: the Lambda layer (`/opt/...`), or `/tmp` after the deployment copied it
 * from its bucket at cold start. It is never fetched from the internet.
 *
 *   IRIS_EMBEDDER=file:/opt/models/my-clip       (a folder; see below)
 *   IRIS_SIMILAR_EMBEDDER=file:/opt/models/…     (only the similar / product engines)
 *
 * The folder holds a TF.js model (`model.json` + the weight shards it names; a Keras "layers
 * model" or a converted "graph-model", e.g. from `tensorflowjs_converter`) and `iris-embedder.json`:
 *
 *   { "name": "my-clip-vit-b32", "inputSize": 224,
 *     "mean": [0.481, 0.458, 0.408], "std": [0.269, 0.261, 0.276],   // on [0, 1] pixels
 *     "output": "image_embeds" }                                      // graph models: output node (optional)
 *
 * The model takes a [n, inputSize, inputSize, 3] float batch (NHWC, RGB) and returns one vector
 * per image (any rank: it is flattened); Iris L2-normalises it. `dimension` is read from the first
 * forward pass. A library's vector table has the dimension of the model it was created with:
 * changing the model of an existing library needs a new library (re-add the images).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tfReady } from './tf';
import { l2normalise, type Embedder, type RgbImage } from './embedding';

export interface FileEmbedderMeta {
  name: string;
  inputSize: number;
  mean?: [number, number, number];
  std?: [number, number, number];
  output?: string;
}

interface ModelJson {
  format?: string;
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
  [k: string]: unknown;
}

export async function fileEmbedder(dir: string): Promise<Embedder> {
  const tf = await tfReady();
  const meta = JSON.parse(readFileSync(join(dir, 'iris-embedder.json'), 'utf8')) as FileEmbedderMeta;
  if (!meta.name || !(meta.inputSize > 0)) throw new Error(`${join(dir, 'iris-embedder.json')}: needs "name" and a positive "inputSize"`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
  const artifacts = {
    ...json,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as Parameters<typeof tf.io.fromMemory>[1],
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  };
  const handler = { load: async () => artifacts as never };
  const graph = json.format === 'graph-model';
  const model = graph ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  const size = meta.inputSize;
  const mean = meta.mean ?? [0, 0, 0];
  const std = meta.std ?? [1, 1, 1];

  const run = async (images: RgbImage[]): Promise<Float32Array[]> => {
    const out = tf.tidy(() => {
      const batch = tf.stack(
        images.map((img) => {
          let t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32').toFloat();
          if (img.width !== size || img.height !== size) t = tf.image.resizeBilinear(t as never, [size, size], true);
          return t.div(255).sub(tf.tensor1d(mean)).div(tf.tensor1d(std));
        }),
      );
      const y = graph
        ? ((model as Awaited<ReturnType<typeof tf.loadGraphModel>>).execute(batch, meta.output) as ReturnType<typeof tf.zeros>)
        : ((model as Awaited<ReturnType<typeof tf.loadLayersModel>>).predict(batch) as ReturnType<typeof tf.zeros>);
      return y.reshape([images.length, -1]);
    });
    const flat = (await out.data()) as Float32Array;
    out.dispose();
    const dim = flat.length / images.length;
    return images.map((_, i) => l2normalise(flat.slice(i * dim, (i + 1) * dim)));
  };
  const probe = await run([{ data: new Uint8Array(size * size * 3), width: size, height: size }]);
  return {
    name: meta.name,
    dimension: probe[0].length,
    inputSize: size,
    embed: async (image) => (await run([image]))[0],
    async embedBatch(images) {
      const out: Float32Array[] = [];
      for (let i = 0; i < images.length; i += 8) out.push(...(await run(images.slice(i, i + 8))));
      return out;
    },
  };
}
