/**
 * The Keras models that ship in the nsfwjs package (MobileNetV2, InceptionV3), loaded from the
 * package's own files: each model folder holds its topology and uint8-quantised weights as UMD
 * modules exporting JSON and base64 strings (requiring them is fast; no conversion step). Located
 * through createRequire, so the same code resolves them from node_modules and from the Lambda
 * layer (/opt/nodejs/node_modules).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

const loaded = new Map<string, Promise<{ tf: Tf; full: KerasModel }>>();

/** The whole Keras model of a folder with its weights, loaded once per container. */
export function loadNsfwjsModel(name: string): Promise<{ tf: Tf; full: KerasModel }> {
  let p = loaded.get(name);
  if (!p) {
    p = (async () => {
      const tf = await tfReady();
      const require = createRequire(import.meta.url);
      const files = nsfwjsModelFiles(name);
      const json = require(files.topology) as ModelJson;
      // The shards are consecutive slices of one weight file: decode and join them in order.
      const weightData = new Uint8Array(Buffer.concat(files.shards.map((f) => Buffer.from(require(f) as string, 'base64')))).buffer;
      const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as Parameters<typeof tf.io.fromMemory>[1];
      const full = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs, weightData }));
      return { tf, full };
    })();
    loaded.set(name, p);
    p.catch(() => loaded.delete(name));
  }
  return p;
}
