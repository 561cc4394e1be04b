// Helpers for layers/build.sh.
//   node check.mjs versions <root package-lock.json> <layer package.json>  fail unless every layer dependency
//                                                                         has the root lock's version
//   node check.mjs sync     <root package-lock.json> <layer package.json>  rewrite the layer's versions to them
//   node check.mjs binaries <node_modules>                                fail unless the platform packages are
//                                                                         there and every native binary is
//                                                                         linux x86-64 (no musl/arm/darwin/win)
import { readFileSync, readdirSync, lstatSync, existsSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { join, relative } from 'node:path';

const [mode, a, b] = process.argv.slice(2);
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const die = (msg) => {
  console.error(`check: ${msg}`);
  process.exit(1);
};

if (mode === 'versions' || mode === 'sync') {
  const lock = readJson(a);
  const layer = readJson(b);
  const wrong = [];
  for (const [name, version] of Object.entries(layer.dependencies)) {
    const locked = lock.packages?.[`node_modules/${name}`]?.version;
    if (!locked) die(`${name} is not in ${a}; add it to the root package.json first`);
    if (locked !== version) {
      wrong.push(`${name}: layer ${version}, root ${locked}`);
      layer.dependencies[name] = locked;
    }
  }
  if (mode === 'sync') {
    writeFileSync(b, JSON.stringify(layer, null, 2) + '\n');
    console.log(wrong.length ? `check: updated ${wrong.join('; ')}` : 'check: versions already match the root lock');
  } else if (wrong.length) {
    die(`layer versions differ from the root package-lock.json:\n  ${wrong.join('\n  ')}\n` +
      'run `bash layers/build.sh --relock` to take the root versions and regenerate layers/native/package-lock.json');
  } else {
    console.log(`check: ${Object.keys(layer.dependencies).length} layer dependencies match the root lock`);
  }
} else if (mode === 'binaries') {
  const nm = a;
  for (const p of ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', '@lancedb/lancedb-linux-x64-gnu']) {
    if (!existsSync(join(nm, p, 'package.json'))) die(`${p} is missing`);
  }
  // Any platform package other than the three linux-x64-glibc ones is foreign (musl, arm, darwin, win32, wasm...).
  const allowed = new Set(['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', '@lancedb/lancedb-linux-x64-gnu']);
  const platformPkg = /^(@img\/sharp-(?!colour).+|@lancedb\/lancedb-.+|@emnapi\/.+)$/;
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        if (existsSync(join(p, 'package.json')) && /node_modules(\/@[^/]+)?$/.test(d)) {
          const name = readJson(join(p, 'package.json')).name;
          if (platformPkg.test(name) && !allowed.has(name)) die(`foreign platform package ${relative(nm, p)}`);
        }
        walk(p);
      } else if (st.isFile() && /\.(node|so(\.\d+)*)$/.test(e)) {
        const fd = openSync(p, 'r');
        const h = Buffer.alloc(20);
        readSync(fd, h, 0, 20, 0);
        closeSync(fd);
        const elf = h.readUInt32BE(0) === 0x7f454c46;
        const is64 = h[4] === 2;
        const machine = h.readUInt16LE(18);
        if (!elf || !is64 || machine !== 0x3e) die(`${relative(nm, p)} is not an ELF64 x86-64 binary`);
        found.push(`${relative(nm, p)} (${st.size} bytes)`);
      }
    }
  };
  walk(nm);
  console.log(`check: native binaries, all ELF64 x86-64:\n  ${found.join('\n  ')}`);
} else {
  die('usage: node check.mjs versions|sync <root lock> <layer package.json> | binaries <node_modules>');
}
