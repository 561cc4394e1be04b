/**
 * The dependency rules of lib/: domain code talks to the store ports only (never to an adapter:
 * handlers and declarations call `stores()`), the family contracts do not depend on lib/http, and
 * no two modules import each other at run time, directly or round a circle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const LIB = join(ROOT, 'lib');

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm;

/** A module's imports of other lib modules (as paths relative to the root), run-time ones only unless `types`. */
function importsOf(file: string, types: boolean): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    if (m[1] && !types) continue;
    if (!m[2].startsWith('.')) continue;
    const base = normalize(join(dirname(file), m[2]));
    const target = [`${base}.ts`, join(base, 'index.ts')].find((c) => all.includes(c));
    if (target) out.push(relative(ROOT, target));
  }
  return out;
}

const all = files(LIB);
const rel = (f: string) => relative(ROOT, f);

describe('lib/ layering', () => {
  it('keeps domain code off the store adapters', () => {
    const domain = all.filter((f) => /^lib\/(search|faces|datasets|hard-examples|ingest|upkeep)\//.test(rel(f)));
    expect(domain.length).toBeGreaterThan(20);
    const offending = domain.flatMap((f) => importsOf(f, true).filter((t) => /^lib\/store\/(lancedb|dynamodb|s3|index|memory|aws-clients)\.ts$/.test(t)).map((t) => `${rel(f)} → ${t}`));
    expect(offending).toEqual([]);
  });

  it('keeps the family contracts free of lib/http', () => {
    const contracts = all.filter((f) => rel(f).endsWith('/contract.ts'));
    expect(contracts.map(rel).sort()).toEqual(['lib/classify/contract.ts', 'lib/datasets/contract.ts', 'lib/faces/contract.ts', 'lib/hard-examples/contract.ts', 'lib/search/contract.ts']);
    for (const c of contracts) expect(importsOf(c, true).filter((t) => t.startsWith('lib/http/')), rel(c)).toEqual([]);
  });

  it('has no run-time import circle', () => {
    const graph = new Map(all.map((f) => [rel(f), importsOf(f, false)]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (n: string, path: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') {
        circles.push([...path.slice(path.indexOf(n)), n].join(' → '));
        return;
      }
      state.set(n, 'open');
      for (const m of graph.get(n) ?? []) visit(m, [...path, n]);
      state.set(n, 'done');
    };
    for (const n of graph.keys()) visit(n, []);
    expect(circles).toEqual([]);
  });
});
