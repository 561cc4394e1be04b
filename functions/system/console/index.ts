import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IrisError } from '../../../lib/errors';
import { defineOperation } from '../../../lib/http/operation';

/**
 * The console's static build (console/, built by Vite into console/dist with fixed file names).
 * In a Lambda bundle esbuild inlines the three files as text (the `type: 'text'` import
 * attribute), so the function serves them from memory with no per-request build and no bucket
 * read; run from source (tests, scripts) they are read from console/dist. `console/build.ts`
 * builds them before anything bundles this function (npm start, packaging, deploy).
 */
const ASSETS = {
  'index.html': { type: 'text/html;charset=utf-8', load: () => import('../../../console/dist/index.html', { with: { type: 'text' } }) },
  'app.js': { type: 'text/javascript;charset=utf-8', load: () => import('../../../console/dist/app.js', { with: { type: 'text' } }) },
  'app.css': { type: 'text/css;charset=utf-8', load: () => import('../../../console/dist/app.css', { with: { type: 'text' } }) },
} as const;
type Asset = keyof typeof ASSETS;

const cache = new Map<Asset, Promise<string>>();
function asset(name: Asset): Promise<string> {
  let text = cache.get(name);
  if (!text) {
    text = ASSETS[name]
      .load()
      .then((m: { default: unknown }) => (typeof m.default === 'string' ? m.default : Promise.reject(new Error('not inlined'))))
      .catch(() => readFile(join(import.meta.dirname, '../../../console/dist', name), 'utf8'))
      .catch(() => {
        cache.delete(name);
        throw new IrisError('NOT_FOUND', `the console is not built: run npx tsx console/build.ts (missing ${name})`);
      });
    cache.set(name, text);
  }
  return text;
}

/**
 * The page talks only to its own origin. Images are shown from presigned URLs of the bucket,
 * which in AWS is an https origin and locally the S3 emulator's loopback endpoint.
 */
function headers(type: string): Record<string, string> {
  const s3 = process.env.IRIS_S3_ENDPOINT ? ` ${new URL(process.env.IRIS_S3_ENDPOINT).origin}` : '';
  return {
    'content-type': type,
    'cache-control': 'no-cache',
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:${s3}; connect-src 'self'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
  };
}

/** GET /console (and /console/{asset}) — the web console: a static single-page app using the public API. */
export default defineOperation({
  name: 'console',
  description: 'Serves the web console (a static single-page app using the public API)',
  method: 'GET',
  path: ['/console', '/', '/console/{asset}'],
  family: 'plain',
  auth: 'none',
  responseType: 'text/html',
  run: async ({ event }) => {
    const name = event.pathParameters?.asset ?? 'index.html';
    if (!(name in ASSETS)) throw new IrisError('NOT_FOUND', `no file ${name} under /console`);
    return { statusCode: 200, headers: headers(ASSETS[name as Asset].type), body: await asset(name as Asset) };
  },
  access: {},
  memory: 128,
});
