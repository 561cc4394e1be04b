/**
 * Every HTTP operation of the bundle, fed bad input: malformed JSON, an unsupported content type,
 * wrongly typed fields and unknown resource names. None may answer a 5xx or an internal-error
 * code, and none may leak a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../../functions';
import { call, type CallOptions } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let project: Awaited<ReturnType<TestServices['project']>>;
beforeAll(async () => {
  env = await startServices();
  project = await env.project('bad-input');
});
afterAll(async () => env?.stop());

/** Family-specific internal-error codes (lib/http/families). */
const INTERNAL_CODES = new Set([282000, 'FRS.0018', 'ModelArts.0010', -2, 'server_error', 'INTERNAL']);

const routes = functions.flatMap((fn) =>
  (fn.config.events ?? []).flatMap((e) =>
    'httpApi' in e && e.httpApi !== '*' && e.httpApi.method !== 'GET' && !['/health', '/console', '/'].includes(e.httpApi.path)
      ? [{ fn, method: e.httpApi.method, path: e.httpApi.path }]
      : [],
  ),
);

const BAD_BODIES: Array<{ name: string; opts: Partial<CallOptions> }> = [
  { name: 'malformed JSON', opts: { rawBody: '{"image": ', contentType: 'application/json' } },
  { name: 'an unsupported content type', opts: { rawBody: '<xml/>', contentType: 'application/xml' } },
  { name: 'wrongly typed fields', opts: { json: { image: 12, image_base64: [], top_n: 'many', samples: 'x', face_set_name: {}, brief: 7, kind: 3, capacity: -1, filter: '((' } } },
];

describe.each(routes)('$method $path', ({ fn, method, path }) => {
  it.each(BAD_BODIES)('answers $name with a client error of its family', async ({ opts }) => {
    const { main } = await import(`../../../${fn.config.handler.replace(/\.main$/, '')}`);
    const pathParameters: Record<string, string> = {};
    for (const [, name] of path.matchAll(/\{([a-z_]+)\}/g)) pathParameters[name] = name === 'project_id' ? project.projectId : 'no-such-thing';
    const r = await call(main, {
      method,
      path,
      pathParameters,
      query: path.startsWith('/rest/') ? { access_token: project.token } : {},
      headers: { 'x-auth-token': project.token },
      ...opts,
    });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    const code = r.body?.error_code ?? r.body?.code ?? r.body?.error;
    expect(INTERNAL_CODES.has(code), JSON.stringify(r.body)).toBe(false);
    expect(JSON.stringify(r.body ?? '')).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  });
});
