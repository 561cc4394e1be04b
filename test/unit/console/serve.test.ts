/**
 * The console function serves the console's static build (console/dist, built by the vitest
 * globalSetup through console/build.ts) and nothing else under /console.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../functions/system/console/handler';
import { CONSOLE_DIST, isFresh } from '../../../console/build';
import { call } from '../../support/http';

const get = (path: string, asset?: string) => call(main, { method: 'GET', path, pathParameters: asset ? { asset } : {} });

describe('GET /console', () => {
  it('serves a fresh build of the app: the page, its script and its stylesheet', async () => {
    expect(isFresh()).toBe(true);
    const page = await get('/console');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="app">');
    expect(page.body).toContain('/console/app.js');
    const js = await get('/console/app.js', 'app.js');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.body).toBe(readFileSync(join(CONSOLE_DIST, 'app.js'), 'utf8'));
    const css = await get('/console/app.css', 'app.css');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    // Only its own origin for scripts; no inline script.
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
  });

  it('ships no secrets and answers an unknown file with 404', async () => {
    const js = await get('/console/app.js', 'app.js');
    expect(js.body).not.toMatch(/S3RVER|secretKey\s*[:=]\s*['"][A-Za-z0-9]{8,}/);
    const missing = await get('/console/../../etc/passwd', '../../etc/passwd');
    expect(missing.status).toBe(404);
    expect(missing.body.error_msg).toMatch(/no file/);
  });
});
