/**
 * The whole repository type-checks, as `npm run typecheck` does: the functions, lib, tests,
 * benchmarks and scripts (tsconfig.json), and the console with the DOM library (console/tsconfig.json).
 * Vitest strips types without checking them, so without this a type error would pass `npm test`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');

async function check(project: string): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(e);
  }
}

describe('the repository', () => {
  it('type-checks (tsconfig.json)', async () => {
    expect(await check('tsconfig.json')).toBe('');
  }, 240_000);

  it('type-checks the console (console/tsconfig.json)', async () => {
    expect(await check('console/tsconfig.json')).toBe('');
  }, 240_000);
});
