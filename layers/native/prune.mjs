// Slims an installed layer tree: `node prune.mjs <dir containing node_modules/>`.
// Removes what Lambda never loads and prints the bytes each rule freed (PRUNE_VERBOSE=1: every path).
// Every rule here is checked by smoke.mjs, which loads and exercises each package afterwards.
import { existsSync, lstatSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

const base = process.argv[2];
if (!base || !existsSync(join(base, 'node_modules'))) {
  console.error('usage: node prune.mjs <dir containing package.json and node_modules/>');
  process.exit(2);
}
const NM = join(base, 'node_modules');

// Dependency edges that are never followed at run time (checked by reading what each entry file requires).
const SKIP_ANY = [/^@types\//, /^@webgpu\/types$/]; // type declarations only
const SKIP_EDGES = {
  // opencv.js requires only fs/path/crypto; mirada is used by its .d.ts files only.
  '@techstark/opencv-js': ['mirada'],
  // dist/tf.node.js requires tfjs-core/-layers/-converter/-data/-backend-cpu/-backend-webgl and long only;
  // these serve the dist/tools CLI and the browser polyfill entry (index_with_polyfills).
  '@tensorflow/tfjs': ['argparse', 'chalk', 'core-js', 'regenerator-runtime', 'yargs'],
  // command-line-*: only bin/arrow2csv uses them; no file requires or imports @swc/helpers.
  'apache-arrow': ['command-line-args', 'command-line-usage', '@swc/helpers'],
  // require("buffer") always yields Node's built-in module; the npm package is for browsers.
  nsfwjs: ['buffer'],
};

// Packages reduced to an allow-list (paths relative to the package; package.json, licences and nested
// node_modules are always kept). The tfjs packages have no "exports" map, so Node only ever loads "main".
const tfMain = (dir) => [join('dist', basename(readJson(join(dir, 'package.json')).main))];
const faceModels = ['ssd_mobilenetv1_model', 'face_landmark_68_model', 'face_recognition_model'];
const KEEP = {
  '@tensorflow/tfjs': tfMain,
  '@tensorflow/tfjs-core': tfMain,
  '@tensorflow/tfjs-layers': tfMain,
  '@tensorflow/tfjs-converter': tfMain,
  '@tensorflow/tfjs-data': tfMain,
  '@tensorflow/tfjs-backend-cpu': tfMain,
  // webgl stays: tf.node.js requires it at load time (it registers, but never initialises, on Node).
  '@tensorflow/tfjs-backend-webgl': tfMain,
  // On Node the backend picks tfjs-backend-wasm-simd.wasm (or the plain one without SIMD); threads are
  // disabled when IS_NODE, so the threaded-simd binary is never read.
  '@tensorflow/tfjs-backend-wasm': (dir) => [
    ...tfMain(dir),
    'dist/tfjs-backend-wasm.wasm',
    'dist/tfjs-backend-wasm-simd.wasm',
  ],
  // "main" (face-api.node.js) requires @tensorflow/tfjs-node, which is not in the layer: load
  // '@vladmandic/face-api/dist/face-api.node-wasm.js'. Weights: each kept manifest plus the shards it names.
  '@vladmandic/face-api': (dir) => [
    'dist/face-api.node-wasm.js',
    ...faceModels.flatMap((m) => {
      const manifest = `model/${m}-weights_manifest.json`;
      const shards = readJson(join(dir, manifest)).flatMap((g) => g.paths.map((p) => `model/${p}`));
      return [manifest, ...shards];
    }),
  ],
  // Keep the cjs + esm entry points and the MobileNetV2 and InceptionV3 weights (lib/vision/mobilenet.ts,
  // inception.ts); loading 'MobileNetV2_Mid' by name fails (the model files are required lazily, so
  // require('nsfwjs') still works).
  nsfwjs: () => ['dist/cjs/', 'dist/esm/', 'dist/models/package.json', 'dist/models/mobilenet_v2/', 'dist/models/inception_v3/'],
};

// Directories removed from specific packages.
const DROP_DIRS = {
  sharp: ['src', 'install', 'lib'], // C++ sources, build-from-source script, lib/index.d.ts
  'apache-arrow': ['bin', 'src'], // CLI and TypeScript sources
};

// Files and directories removed everywhere (licence files are always kept).
const JUNK_FILE = [
  /\.map$/i,
  /\.d\.[cm]?ts$/i,
  /\.[cm]?ts$/i,
  /\.tsbuildinfo$/i,
  /^tsconfig.*\.json$/i,
  /\.md$/i,
  /\.markdown$/i,
  /^(readme|changelog|changes|history|authors|contributors|contributing|code_of_conduct|security|todo)(\.(md|txt|markdown|rst|html))?$/i,
  /^\.(eslintrc|prettierrc|editorconfig|npmignore|travis\.yml|nycrc|jshintrc|babelrc|gitattributes|hintrc|markdownlint)/i,
  /^(rollup|webpack|jest|karma|babel|vitest)\.config\./i,
  /\.(h|hpp|c|cc|cpp|gyp)$/i,
];
const JUNK_DIR = /^(\.github|\.vscode|\.idea|__tests__|tests?|examples?|demo|docs?|benchmarks?|coverage)$/i;
const LICENCE = /^(licen[cs]e|notice|copying|patents)/i;

const removed = new Map(); // rule -> bytes
let total = 0;

function readJson(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}
function sizeOf(p) {
  const st = lstatSync(p);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of readdirSync(p)) n += sizeOf(join(p, e));
  return n;
}
function remove(p, rule) {
  if (!existsSync(p)) return;
  const n = sizeOf(p);
  rmSync(p, { recursive: true, force: true });
  if (process.env.PRUNE_VERBOSE) console.log(`prune: - ${relative(NM, p)} (${n} bytes; ${rule})`);
  removed.set(rule, (removed.get(rule) ?? 0) + n);
  total += n;
}

// --- 1. packages nothing reaches -----------------------------------------------------------------
function listPackages(nmDir, out = []) {
  if (!existsSync(nmDir)) return out;
  for (const e of readdirSync(nmDir)) {
    if (e.startsWith('.')) continue;
    const p = join(nmDir, e);
    if (e.startsWith('@')) {
      for (const s of readdirSync(p)) visit(join(p, s));
    } else visit(p);
  }
  function visit(p) {
    if (!existsSync(join(p, 'package.json'))) return;
    out.push(p);
    listPackages(join(p, 'node_modules'), out);
  }
  return out;
}
function resolveFrom(fromDir, name) {
  for (let d = fromDir; ; d = dirname(d)) {
    const c = join(d, 'node_modules', name);
    if (existsSync(join(c, 'package.json'))) return c;
    if (d === base || !d.startsWith(base)) return null;
  }
}
const pkgName = (dir) => readJson(join(dir, 'package.json')).name;
const roots = Object.keys(readJson(join(base, 'package.json')).dependencies ?? {});
const reached = new Set();
const missing = [];
const stack = roots.map((r) => {
  const d = resolveFrom(base, r);
  if (!d) throw new Error(`root dependency ${r} is not installed`);
  return d;
});
while (stack.length) {
  const dir = stack.pop();
  if (reached.has(dir)) continue;
  reached.add(dir);
  const pj = readJson(join(dir, 'package.json'));
  const skip = SKIP_EDGES[pj.name] ?? [];
  const edges = [
    ...Object.keys(pj.dependencies ?? {}).map((n) => [n, true]),
    ...Object.keys(pj.optionalDependencies ?? {}).map((n) => [n, false]),
    ...Object.keys(pj.peerDependencies ?? {}).map((n) => [n, false]),
  ];
  for (const [dep, required] of edges) {
    if (skip.includes(dep) || SKIP_ANY.some((re) => re.test(dep))) continue;
    const d = resolveFrom(dir, dep);
    if (d) stack.push(d);
    else if (required) missing.push(`${pj.name} -> ${dep}`);
  }
}
if (missing.length) {
  console.error(`prune: required dependencies missing from the install:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
for (const p of listPackages(NM)) {
  if (!reached.has(p) && existsSync(p)) remove(p, `unreached package ${relative(NM, p)}`);
}
remove(join(NM, '.bin'), 'node_modules/.bin');

// --- 2. allow-listed packages --------------------------------------------------------------------
function keepOnly(dir, keep) {
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const rel = relative(dir, p).split(sep).join('/');
      if (rel === 'node_modules' || rel === 'package.json' || (d === dir && LICENCE.test(e))) continue;
      if (lstatSync(p).isDirectory()) {
        if (keep.some((k) => k.endsWith('/') && (rel + '/').startsWith(k))) continue;
        if (keep.some((k) => k.startsWith(rel + '/'))) walk(p);
        else remove(p, `allow-list ${pkgName(dir)}`);
      } else if (!keep.includes(rel)) remove(p, `allow-list ${pkgName(dir)}`);
    }
  };
  for (const k of keep) {
    if (!existsSync(join(dir, k))) throw new Error(`prune: ${pkgName(dir)} has no ${k} (package layout changed?)`);
  }
  walk(dir);
}
const installed = listPackages(NM);
for (const dir of installed) {
  const name = pkgName(dir);
  if (KEEP[name]) keepOnly(dir, KEEP[name](dir));
  for (const d of DROP_DIRS[name] ?? []) remove(join(dir, d), `${name}/${d}/`);
}

// --- 3. junk everywhere --------------------------------------------------------------------------
function sweep(d, insidePkg) {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    const st = lstatSync(p);
    if (st.isDirectory()) {
      if (e === 'node_modules') sweep(p, false);
      else if (insidePkg && JUNK_DIR.test(e)) remove(p, `dirs ${JUNK_DIR.source}`);
      else sweep(p, !e.startsWith('@') || insidePkg);
    } else if (LICENCE.test(e) || e === 'package.json') {
      continue;
    } else {
      const re = JUNK_FILE.find((r) => r.test(e));
      if (re) remove(p, `files ${re.source}`);
    }
  }
}
sweep(NM, false);

// --- 4. empty directories ------------------------------------------------------------------------
function prune(d) {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (lstatSync(p).isDirectory()) prune(p);
  }
  if (d !== NM && readdirSync(d).length === 0) rmdirSync(d);
}
prune(NM);

// --- report --------------------------------------------------------------------------------------
const grouped = new Map();
for (const [rule, n] of removed) {
  const key = rule.startsWith('unreached package ') ? 'unreached packages' : rule;
  grouped.set(key, (grouped.get(key) ?? 0) + n);
}
const unreached = [...removed.keys()].filter((r) => r.startsWith('unreached package ')).map((r) => r.slice(18));
const mb = (n) => (n / 1e6).toFixed(1).padStart(7) + ' MB';
for (const [rule, n] of [...grouped].sort((a, b) => b[1] - a[1])) console.log(`prune: ${mb(n)}  ${rule}`);
console.log(`prune: unreached packages removed: ${unreached.join(', ') || '(none)'}`);
console.log(`prune: ${mb(total)}  total removed`);
