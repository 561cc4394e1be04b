import { CONSOLE_HTML } from '../../../lib/console/page';
import { defineOperation } from '../../../lib/http/operation';

/** GET /console — the web console: one static page that talks to the public API with the user's keys. */
export default defineOperation({
  name: 'console',
  description: 'Serves the web console (a static page using the public API)',
  method: 'GET',
  path: ['/console', '/'],
  family: 'plain',
  auth: 'none',
  responseType: 'text/html',
  run: async () => ({
    statusCode: 200,
    headers: {
      'content-type': 'text/html;charset=utf-8',
      'cache-control': 'no-cache',
      // The page only talks to its own origin; no third-party script, style or frame.
      'content-security-policy': "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline' 'self'; img-src 'self' data: blob:; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    },
    body: CONSOLE_HTML,
  }),
  access: {},
  memory: 128,
});
