import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CONSOLE_HTML } from '../../../lib/console/page';

/** GET /console — the web console: one static page that talks to the public API with the user's keys. */
export const main = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html;charset=utf-8',
    'cache-control': 'no-cache',
    // The page only talks to its own origin; no third-party script, style or frame.
    'content-security-policy': "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline' 'self'; img-src 'self' data: blob:; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  },
  body: CONSOLE_HTML,
});
