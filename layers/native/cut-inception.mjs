// Cuts nsfwjs's InceptionV3 in a layer tree down to what Iris runs: `node cut-inception.mjs <dir containing node_modules/>`.
//
// The similar / product embedder (lib/vision/inception.ts) reads the `mixed7` block only, and the
// blocks after it (mixed8–mixed10 and nsfwjs's dense head) hold about 60 % of the weights. This
// rewrites dist/models/inception_v3 in the same form the package ships (a UMD-free CommonJS module
// exporting the model JSON, one exporting the base64 weights), with the layers mixed7 depends on
// and their weights only, and output `mixed7`; lib/vision/nsfwjs-models.ts loads it unchanged.
// Before replacing the files it loads both models and checks that the cut one gives the full one's
// mixed7 on a test picture. After the cut, `nsfwjs.load('InceptionV3')` (its classifier) no longer works.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const base = resolve(process.argv[2] ?? '');
const nm = join(base, 'node_modules');
const dir = join(nm, 'nsfwjs', 'dist', 'models', 'inception_v3');
if (!fs.existsSync(join(dir, 'model.min.js'))) {
  console.error(`cut-inception: ${dir}/model.min.js not found`);
  process.exit(2);
}
const OUTPUT = 'mixed7';
const req = createRequire(join(nm, 'cut-anchor.cjs'));
const json = req(join(dir, 'model.min.js'));
const shardFiles = json.weightsManifest.flatMap((g) => g.paths).map((p) => join(dir, `${p}.min.js`));
const data = Buffer.concat(shardFiles.map((f) => Buffer.from(req(f), 'base64')));
const specs = json.weightsManifest.flatMap((g) => g.weights);

// The layers `mixed7` depends on (Keras functional config: each layer names its inbound layers).
const config = json.modelTopology.model_config.config;
const byName = new Map(config.layers.map((l) => [l.name, l]));
const keep = new Set();
const visit = (name) => {
  if (keep.has(name)) return;
  const layer = byName.get(name);
  if (!layer) throw new Error(`cut-inception: no layer ${name}`);
  keep.add(name);
  for (const node of layer.inbound_nodes ?? []) for (const [inbound] of node) visit(inbound);
};
visit(OUTPUT);

// Their weights, in the file's order (each spec's bytes: its element count × the stored dtype's size).
const BYTES = { uint8: 1, uint16: 2, float16: 2, float32: 4, int32: 4 };
const kept = [];
const parts = [];
let offset = 0;
for (const w of specs) {
  const size = w.shape.reduce((a, b) => a * b, 1) * BYTES[w.quantization?.dtype ?? w.dtype];
  if (!size && size !== 0) throw new Error(`cut-inception: unknown dtype of ${w.name}`);
  if (keep.has(w.name.split('/')[0])) {
    kept.push(w);
    parts.push(data.subarray(offset, offset + size));
  }
  offset += size;
}
if (offset !== data.length) throw new Error(`cut-inception: the weight specs cover ${offset} bytes of ${data.length}`);
const weights = Buffer.concat(parts);
const cut = {
  ...json,
  modelTopology: {
    ...json.modelTopology,
    model_config: { ...json.modelTopology.model_config, config: { ...config, layers: config.layers.filter((l) => keep.has(l.name)), output_layers: [[OUTPUT, 0, 0]] } },
  },
  weightsManifest: [{ paths: ['group1-shard1of1'], weights: kept }],
};

// The cut model must give the full model's mixed7.
const tf = req('@tensorflow/tfjs');
req('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm');
const load = (m, bytes) => tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology, weightSpecs: m.weightsManifest.flatMap((g) => g.weights), weightData: new Uint8Array(bytes).buffer }));
const full = await load(json, data);
const small = await load(cut, weights);
const input = tf.tidy(() => tf.linspace(0, 1, 299 * 299 * 3).reshape([1, 299, 299, 3]));
const want = tf.model({ inputs: full.inputs, outputs: full.getLayer(OUTPUT).output }).predict(input);
const got = small.predict(input);
const diff = (await tf.max(tf.abs(tf.sub(want, got))).data())[0];
if (want.shape.join('x') !== got.shape.join('x') || !(diff < 1e-4)) throw new Error(`cut-inception: the cut model differs (shape ${got.shape}, max difference ${diff})`);

for (const f of shardFiles) fs.rmSync(f);
fs.writeFileSync(join(dir, 'model.min.js'), `module.exports=${JSON.stringify(cut)};\n`);
fs.writeFileSync(join(dir, 'group1-shard1of1.min.js'), `module.exports=${JSON.stringify(weights.toString('base64'))};\n`);
console.log(
  `cut-inception: ${keep.size} of ${config.layers.length} layers, ${kept.length} of ${specs.length} weight tensors, ` +
    `${weights.length} of ${data.length} weight bytes; output ${OUTPUT} ${got.shape.join('x')} (max difference ${diff})`,
);
