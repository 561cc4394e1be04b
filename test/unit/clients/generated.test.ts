/** The committed OpenAPI document and client types are what the declarations give today. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

describe('clients/iris', () => {
  it('has openapi.json and schema.d.ts up to date (else run `npm run generate:client`)', () => {
    let out: string;
    try {
      out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['clients/iris/generate.ts', '--check'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? '');
    }
    const last = out.trim().split('\n').pop() ?? '';
    expect(JSON.parse(last)).toEqual({ stale: [] });
  }, 120_000);
});
