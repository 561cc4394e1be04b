/**
 * Labelled cut-out pictures from Debian's `tuxpaint-stamps-default` (GPL-2; /usr/share/tuxpaint/stamps,
 * mostly photographs of single objects on a transparent background, some drawings), sorted by
 * Tux Paint into folders such as `animals/mammals` or `food/fruit`. Used by the benchmarks as a
 * labelled set that nothing in Iris was tuned on before it was split.
 *
 * **The split is fixed here, once, by hash, and never moves**: a stamp goes to `tuning` when the
 * first byte of SHA-256 of its folder and base name is below 128, else to `held-out`. Variants of
 * one stamp (`frog.png`, `frog-1.png`) share a base name and so a side, so that a held-out figure
 * is never a near-copy of a tuning picture. Choices (features, thresholds, parameters) may look
 * at `tuning` only; `held-out` is for the figure reported beside it.
 *
 * Not installed by .ci/run (160 MB): the benchmarks that use it say how to install it and skip
 * the set when it is missing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const STAMPS_ROOT = '/usr/share/tuxpaint/stamps';
export const STAMPS_PACKAGE = 'tuxpaint-stamps-default';

export type StampPart = 'tuning' | 'held-out';

export interface Stamp {
  /** Path relative to STAMPS_ROOT, e.g. `animals/mammals/cat.png`. */
  name: string;
  path: string;
  /** Top-level folder: `animals`, `food`, … */
  category: string;
  /** Top two folders: `animals/mammals`, `food/fruit`, … (the category itself when there is no sub-folder). */
  group: string;
  part: StampPart;
}

/** Which side of the fixed split a stamp lies on (exported so a test can pin the rule). */
export function stampPart(name: string): StampPart {
  const parts = name.split('/');
  const base = parts[parts.length - 1].replace(/\.png$/i, '').replace(/-\d+$/, '');
  const key = [...parts.slice(0, -1), base].join('/');
  return createHash('sha256').update(key).digest()[0] < 128 ? 'tuning' : 'held-out';
}

function walk(dir: string, out: string[]) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.png$/i.test(entry)) out.push(path);
  }
}

/** Every PNG stamp installed, in a stable order; [] when the package is not installed. */
export function stamps(root = STAMPS_ROOT): Stamp[] {
  if (!existsSync(root)) return [];
  const files: string[] = [];
  walk(root, files);
  return files.map((path) => {
    const name = relative(root, path);
    const dirs = name.split('/').slice(0, -1);
    return { name, path, category: dirs[0], group: dirs.slice(0, 2).join('/'), part: stampPart(name) };
  });
}

/**
 * The classification set: groups with at least `minPerGroup` stamps, without the letter, digit
 * and mathematical-symbol folders (glyphs, not pictures). Label = group.
 */
export function labelledStamps(minPerGroup = 15, root = STAMPS_ROOT): Stamp[] {
  const all = stamps(root).filter((s) => !/^symbols\/(alphabets|math)$/.test(s.group) && s.group.includes('/'));
  const count = new Map<string, number>();
  for (const s of all) count.set(s.group, (count.get(s.group) ?? 0) + 1);
  return all.filter((s) => (count.get(s.group) ?? 0) >= minPerGroup);
}
