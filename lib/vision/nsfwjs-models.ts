/**
 * The Keras models that ship in the nsfwjs package (MobileNetV2, InceptionV3), loaded from the
 * package's own files: each model folder holds its topology and uint8-quantised weights as UMD
 * modules exporting JSON and base64 strings (requiring them is fast; no conversion step). Located
 * through createRequire, so the same code resolves them from node_modules and from the Lambda
 * layer (/opt/nodejs/node_modules).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RgbImage } from './embedding';
import { tfReady } from './tf';

type Tf = Awaited<ReturnType<typeof tfReady>>;
export type KerasModel = Awaited<ReturnType<Tf['loadLayersModel']>>;

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
}

/** A model folder of the package (dist/models/{name}): its topology module and weight shards, in order. */
export function nsfwjsModelFiles(name: string): { dir: string; topology: string; shards: string[] } {
  const require = createRequire(import.meta.url);
  // nsfwjs's exports map hides package.json; its main is dist/cjs/index.js.
  const dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', name);
  const json = require(join(dir, 'model.min.js')) as ModelJson;
  return { dir, topology: join(dir, 'model.min.js'), shards: json.weightsManifest.flatMap((g) => g.paths).map((p) => join(dir, `${p}.min.js`)) };
}

const loaded = new Map<string, Promise<{ tf: Tf; model: KerasModel }>>();

interface LoadOptions {
  /**
   * Accept pictures of any side, keeping the network up to this layer: the input layer's height
   * and width are left free (the convolutions and pools before it take any size; the head's
   * Flatten, dropped, would not).
   */
  anySizeUpTo?: string;
}

interface Topology {
  model_config: {
    config: {
      layers: Array<{ name: string; class_name: string; config: { batch_input_shape?: unknown[] }; inbound_nodes?: Array<Array<[string, ...unknown[]]>> }>;
      output_layers: unknown[];
    };
  };
}

/** A copy of the topology cut at `upTo` (that layer and what it reads), with free input height and width. */
function anySizeTopology(topology: unknown, upTo: string): object {
  const t = structuredClone(topology) as Topology;
  const config = t.model_config.config;
  const byName = new Map(config.layers.map((l) => [l.name, l]));
  if (!byName.has(upTo)) throw new Error(`no layer ${upTo} in the model`);
  const keep = new Set<string>();
  const visit = (name: string) => {
    if (keep.has(name)) return;
    keep.add(name);
    for (const node of byName.get(name)?.inbound_nodes ?? []) for (const [inbound] of node) visit(inbound);
  };
  visit(upTo);
  config.layers = config.layers.filter((l) => keep.has(l.name));
  config.output_layers = [[upTo, 0, 0]];
  for (const layer of config.layers) {
    const shape = layer.class_name === 'InputLayer' ? layer.config.batch_input_shape : undefined;
    if (shape?.length === 4) layer.config.batch_input_shape = [shape[0], null, null, shape[3]];
  }
  return t;
}

/** The Keras model of a folder with its weights (whole, or cut by `anySizeUpTo`), loaded once per container. */
export function loadNsfwjsModel(name: string, options: LoadOptions = {}): Promise<{ tf: Tf; model: KerasModel }> {
  const key = options.anySizeUpTo ? `${name}:any-size:${options.anySizeUpTo}` : name;
  let p = loaded.get(key);
  if (!p) {
    p = (async () => {
      const tf = await tfReady();
      const require = createRequire(import.meta.url);
      const files = nsfwjsModelFiles(name);
      const json = require(files.topology) as ModelJson;
      // The shards are consecutive slices of one weight file: decode and join them in order.
      const weightData = new Uint8Array(Buffer.concat(files.shards.map((f) => Buffer.from(require(f) as string, 'base64')))).buffer;
      const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as Parameters<typeof tf.io.fromMemory>[1];
      const cut = options.anySizeUpTo;
      const modelTopology = cut ? anySizeTopology(json.modelTopology, cut) : (json.modelTopology as object);
      // A cut model leaves the weights of the dropped layers unused (strict: false allows that).
      const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }), { strict: !cut });
      return { tf, model };
    })();
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

/**
 * The outputs of a model (or a model cut from one) for a batch of pictures, as the nsfwjs models
 * take them: RGB scaled to [0, 1] (not Keras' [-1, 1]; nsfwjs divides by 255 for every model),
 * resized (bilinear) to side × side where a picture is not already. Per picture, one flat
 * Float32Array per output, in the model's output order.
 */
export async function predictBatch(tf: Tf, model: KerasModel, images: RgbImage[], side: number): Promise<Float32Array[][]> {
  const outs = tf.tidy(() => {
    const batch = tf.stack(
      images.map((img) => {
        let t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32').toFloat();
        if (img.width !== side || img.height !== side) t = tf.image.resizeBilinear(t as never, [side, side], true);
        return t.div(255);
      }),
    );
    const out = model.predict(batch);
    return Array.isArray(out) ? out : [out];
  });
  const flats = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
  outs.forEach((o) => o.dispose());
  return images.map((_, i) =>
    flats.map((flat) => {
      const per = flat.length / images.length;
      return flat.slice(i * per, (i + 1) * per);
    }),
  );
}
