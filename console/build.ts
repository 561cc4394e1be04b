/**
 * Builds the web console (Vite) into console/dist, or reuses a build made from the same sources.
 * Called by everything that bundles the console function (the local stack, offline packaging,
 * deploy) and by the tests, so no one has to remember a separate build step, and never at
 * request time. Freshness is a hash of the console's sources, not file times (a fresh clone has
 * new times on every file).
 *
 * Usage: tsx console/build.ts [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = import.meta.dirname;
export const CONSOLE_DIST = join(ROOT, 'dist');
/** The files the console function serves (fixed names: see vite.config.ts). */
export const CONSOLE_FILES = ['index.html', 'app.js', 'app.css'] as const;
const STAMP = join(CONSOLE_DIST, '.sources');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? sourceFiles(p) : [p];
    });
}

/** Hash of everything the build reads from this folder. */
export function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of [join(ROOT, 'index.html'), join(ROOT, 'vite.config.ts'), ...sourceFiles(join(ROOT, 'src'))]) {
    h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

export const isFresh = (hash = sourceHash()): boolean =>
  CONSOLE_FILES.every((f) => existsSync(join(CONSOLE_DIST, f))) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash;

let running: Promise<boolean> | undefined;

/** Builds when the sources changed since the last build; true when it built. */
export function ensureConsoleBuild(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<boolean> {
  running ??= (async () => {
    const hash = sourceHash();
    if (!opts.force && isFresh(hash)) return false;
    opts.log?.('building the web console (console/ → console/dist)…');
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'vite.config.ts') });
    for (const f of CONSOLE_FILES) if (!existsSync(join(CONSOLE_DIST, f))) throw new Error(`the console build did not write ${f}`);
    writeFileSync(STAMP, hash);
    return true;
  })().finally(() => {
    running = undefined;
  });
  return running;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  ensureConsoleBuild({ force: process.argv.includes('--force'), log: console.log }).then(
    (built) => console.log(built ? `console built in ${relative(process.cwd(), CONSOLE_DIST)}` : 'console build is up to date'),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
