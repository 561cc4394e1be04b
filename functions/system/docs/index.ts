import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { IrisError } from '../../../lib/errors';
import { defineOperation } from '../../../lib/http/operation';

/**
 * The renderer's two static files (swagger-ui-dist). In a Lambda bundle esbuild inlines them as
 * text (the `type: 'text'` import attribute), so nothing is fetched from a CDN; run from source
 * (tests, scripts) they are read from node_modules.
 */
const ASSETS = {
  'swagger-ui-bundle.js': {
    type: 'text/javascript;charset=utf-8',
    load: () => import('swagger-ui-dist/swagger-ui-bundle.js', { with: { type: 'text' } }),
  },
  'swagger-ui.css': {
    type: 'text/css;charset=utf-8',
    load: () => import('swagger-ui-dist/swagger-ui.css', { with: { type: 'text' } }),
  },
} as const;
type Asset = keyof typeof ASSETS;

const cache = new Map<Asset, Promise<string>>();
function asset(name: Asset): Promise<string> {
  let text = cache.get(name);
  if (!text) {
    text = ASSETS[name]
      .load()
      .then((m: { default: unknown }) => (typeof m.default === 'string' ? m.default : Promise.reject(new Error('not inlined'))))
      .catch(() => readFile(createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`), 'utf8'));
    cache.set(name, text);
  }
  return text;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Iris API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true });</script>
</body>
</html>
`;

const HEADERS = {
  'cache-control': 'no-cache',
  // Everything comes from this origin; the renderer needs inline styles.
  'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** GET /docs — the API description rendered for people (Swagger UI, served from this function). */
export default defineOperation({
  name: 'apiDocs',
  description: 'The API description rendered for people (Swagger UI)',
  method: 'GET',
  path: ['/docs', '/docs/{asset}'],
  family: 'plain',
  auth: 'none',
  responseType: 'text/html',
  run: async ({ event }) => {
    const name = event.pathParameters?.asset;
    if (name === undefined) return { statusCode: 200, headers: { ...HEADERS, 'content-type': 'text/html;charset=utf-8' }, body: PAGE };
    if (!(name in ASSETS)) throw new IrisError('NOT_FOUND', `no file ${name} under /docs`);
    return { statusCode: 200, headers: { ...HEADERS, 'content-type': ASSETS[name as Asset].type }, body: await asset(name as Asset) };
  },
  access: {},
  memory: 256,
});
