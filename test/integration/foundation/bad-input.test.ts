/**
 * Every HTTP operation of the bundle, fed bad input: malformed JSON, an unsupported content type,
 * wrongly typed fields and unknown resource names in bodies; and, on every route including the
 * GETs, oversized path parameters, oversized query values, garbage and foreign cursors, bad
 * numbers and unknown query fields. None may answer a 5xx or an internal-error code, none may leak
 * a stack trace, and every error is one of the family's parameter / not-found codes.
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
  {
    name: 'oversized ids, names and values',
    opts: {
      json: Object.fromEntries(
        [
          'face_id', 'face_set_name', 'external_image_id', 'dataset_id', 'dataset_name', 'description', 'work_path', 'brief', 'cont_sign', 'tags',
          'url', 'image_url', 'device_id', 'skill_id', 'model_id', 'model_name', 'camera_name', 'filter', 'kind',
        ].map((k) => [k, 'y'.repeat(2000)] as [string, unknown]).concat([
          ['samples', ['z'.repeat(2000)]],
          ['external_fields', { ['k'.repeat(2000)]: 'v'.repeat(2000) }],
          ['labels', [{ name: 'l'.repeat(2000) }]],
          ['camera_names', ['c'.repeat(2000)]],
        ]),
      ),
    },
  },
  {
    name: 'oversized sample ids in a sample batch',
    opts: { json: { samples: [{ sample_id: 's'.repeat(2000), labels: [] }, { name: 'n'.repeat(2000), data: 'AAAA' }] } },
  },
];

const stack = /\n\s+at |node_modules|\.ts:\d+/;

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
    expect(JSON.stringify(r.body ?? '')).not.toMatch(stack);
  });
});

// ---------------------------------------------------------------------------------------------
// Every route, GETs included: path parameters and query strings.

const allRoutes = functions.flatMap((fn) =>
  (fn.config.events ?? []).flatMap((e) =>
    'httpApi' in e && e.httpApi !== '*' && !['/health', '/console', '/'].includes(e.httpApi.path)
      ? [{ fn, method: e.httpApi.method, path: e.httpApi.path }]
      : [],
  ),
);

type FamilyName = 'baidu' | 'frs' | 'modelarts' | 'plain' | 'auth' | 'predict';
/** The family each route declares (its envelope), grouping the two token endpoints. */
const familyOf = (path: string): FamilyName => {
  const op = functions.find((fn) => (fn.config.events ?? []).some((e) => 'httpApi' in e && e.httpApi !== '*' && e.httpApi.path === path))!.operation;
  const family = 'family' in op ? op.family : 'plain';
  return family === 'oauth' || family === 'iam' ? 'auth' : (family as FamilyName);
};

const CLIENT_CODES: Record<FamilyName, Set<string | number>> = {
  baidu: new Set([216100, 216101, 216103, 216017, 216200, 216201, 216202, 216203]),
  frs: new Set(['FRS.0011', 'FRS.0012', 'FRS.0302', 'FRS.0303', 'FRS.0401', 'FRS.0406', 'FRS.0407']),
  modelarts: new Set(['ModelArts.0104', 'ModelArts.4352', 'ModelArts.0102', 'ModelArts.4360', 'APIG.0301']),
  plain: new Set(['BAD_PARAM', 'MISSING_PARAM', 'PARAM_TOO_LONG', 'NOT_FOUND']),
  // The predict envelope (ModelArts predict): missing / bad parameters, image rules, credentials.
  predict: new Set([10310, 10311, 10440, 10441, 10442, 10443, 2000]),
  auth: new Set(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'BAD_PARAM', 'MISSING_PARAM', 'PARAM_TOO_LONG', 'AUTH_INVALID', 'AUTH_MISSING', '400', '401']),
};

const LONG = 'x'.repeat(2000);
/** Every query field any operation reads (and, for Baidu, every body field: its query is the parameter set). */
const QUERY_FIELDS = [
  'face_id', 'external_image_id', 'offset', 'limit', 'marker', 'cursor', 'status', 'order', 'label_name', 'label_type', 'sample_state',
  'sample_type', 'low_score', 'high_score', 'only_hard', 'process_parameter', 'search_content', 'dataset_type', 'device_id', 'skill_id',
  'brief', 'tags', 'tag_logic', 'cont_sign', 'class_id1', 'class_id2', 'pn', 'rn', 'url', 'image', 'grant_type', 'client_id', 'client_secret',
];
const NUMERIC_FIELDS = ['offset', 'limit', 'pn', 'rn', 'top_n', 'low_score', 'high_score', 'label_type', 'sample_type', 'dataset_type'];
const BAD_NUMBERS = ['abc', '-1', '1e309', '99999999999999999999999', '1.5', ''];
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const BAD_CURSORS = [
  'eyJwayI6IngifQ', // {"pk":"x"}: well formed, foreign
  '!!!garbage!!!',
  b64([1, 2, 3]),
  b64({ pk: LONG, sk: LONG, gsi1pk: LONG, gsi1sk: LONG }),
  b64({ pk: 'INGEST#o', sk: 'k', gsi1pk: 'INGEST#failed#someone-else', gsi1sk: '2026-01-01' }),
  'A'.repeat(5000),
];

/**
 * Real resources, so that a probe gets past "not found" to the lookups that use its input (a
 * face_id is only looked up in a face set that exists). Routes that delete the resource itself
 * are probed against a name that does not exist, so that the fixtures survive the sweep.
 */
const real: Record<string, string> = {};
const DESTROYS_FIXTURE = /^DELETE \/v\d\/\{project_id\}\/(face-sets\/\{face_set_name\}|datasets\/\{dataset_id\}|hard-sample-configs\/\{config_id\}|image-libraries\/\{kind\})$/;

beforeAll(async () => {
  const handler = async (path: string) => (await import(`../../../functions/${path}/handler`)).main;
  const huawei = (pathParameters: Record<string, string>, json: unknown) => ({ method: 'POST', headers: { 'x-auth-token': project.token }, pathParameters: { project_id: project.projectId, ...pathParameters }, json });
  const set = await call(await handler('faces/create-set'), huawei({}, { face_set_name: 'sweep' }));
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  real.face_set_name = 'sweep';
  const ds = await call(await handler('datasets/create-dataset'), huawei({}, { dataset_name: 'sweep', data_sources: [{ data_path: '/bucket/in/' }], work_path: '/bucket/out/' }));
  expect(ds.status, JSON.stringify(ds.body)).toBe(200);
  real.dataset_id = ds.body.dataset_id;
  const cfg = await call(
    await handler('hard-examples/create-config'),
    huawei({}, { dataset_id: real.dataset_id, device_id: 'box', data_count: 10, model_algorithm: 'image_classification', model_name: 'm' }),
  );
  expect(cfg.status, JSON.stringify(cfg.body)).toBe(200);
  real.config_id = cfg.body.config_id;
  for (const kind of ['same_hq', 'similar', 'product', 'picturebook', 'materiel']) {
    const lib = await call(await handler('search/create-library'), huawei({}, { kind }));
    expect(lib.status, JSON.stringify(lib.body)).toBeLessThan(300);
  }
  real.kind = 'same_hq';
}, 60_000);

interface Probe {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
}

async function probe(route: (typeof allRoutes)[number], p: Probe) {
  const { main } = await import(`../../../${route.fn.config.handler.replace(/\.main$/, '')}`);
  const pathParameters: Record<string, string> = {};
  const destroys = DESTROYS_FIXTURE.test(`${route.method} ${route.path}`);
  for (const [, name] of route.path.matchAll(/\{([a-z_]+)\}/g)) {
    pathParameters[name] = name === 'project_id' ? project.projectId : (!destroys && real[name]) || 'no-such-thing';
  }
  return call(main, {
    method: route.method,
    path: route.path,
    pathParameters: { ...pathParameters, ...p.pathParameters },
    query: { ...(route.path.startsWith('/rest/') ? { access_token: project.token } : {}), ...p.query },
    headers: { 'x-auth-token': project.token },
    ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { json: {} }),
  });
}

/** No 5xx, no internal code, no stack; an error is one of the family's client codes. */
function expectClientAnswer(route: (typeof allRoutes)[number], r: Awaited<ReturnType<typeof call>>, what: string, mustFail = false) {
  const shown = `${what}: ${r.status} ${JSON.stringify(r.body)?.slice(0, 300)}`;
  expect(r.status, shown).toBeLessThan(500);
  // IAM answers {error: {code: "400", …}}, OAuth {error: "invalid_client"}.
  const code = r.body?.error_code ?? r.body?.code ?? r.body?.error?.code ?? r.body?.error;
  expect(INTERNAL_CODES.has(code), shown).toBe(false);
  expect(JSON.stringify(r.body ?? ''), shown).not.toMatch(stack);
  const failed = r.status >= 400 || code !== undefined;
  if (mustFail) expect(failed, shown).toBe(true);
  if (failed) expect(CLIENT_CODES[familyOf(route.path)].has(code), shown).toBe(true);
}

describe.each(allRoutes)('$method $path: path and query', (route) => {
  const params = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).filter((n) => n !== 'project_id');

  it.runIf(params.length > 0)('answers a 2,000-character path parameter with a parameter or not-found code', async () => {
    for (const name of params) expectClientAnswer(route, await probe(route, { pathParameters: { [name]: LONG } }), name, true);
  });

  it.runIf(route.path.includes('{project_id}'))('answers a 2,000-character project_id with a client error', async () => {
    const r = await probe(route, { pathParameters: { project_id: LONG } });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    // The predict API answers errors as HTTP 200 with a `code` other than 10000.
    expect(r.status >= 400 || r.body?.error_code !== undefined || (r.body?.code !== undefined && r.body.code !== 10000)).toBe(true);
  });

  it('answers 2,000-character query values without a 5xx', async () => {
    for (const f of QUERY_FIELDS) expectClientAnswer(route, await probe(route, { query: { [f]: LONG } }), f);
  });

  it('answers garbage and foreign cursors with a parameter code', async () => {
    for (const c of BAD_CURSORS) {
      expectClientAnswer(route, await probe(route, { query: { marker: c } }), `marker=${c.slice(0, 30)}`);
      expectClientAnswer(route, await probe(route, { query: { cursor: c } }), `cursor=${c.slice(0, 30)}`);
    }
  });

  it('answers non-numeric, negative and huge numbers with a parameter code', async () => {
    for (const f of NUMERIC_FIELDS) for (const v of BAD_NUMBERS) expectClientAnswer(route, await probe(route, { query: { [f]: v } }), `${f}=${v}`);
  });

  it('answers unknown query fields without a 5xx', async () => {
    expectClientAnswer(route, await probe(route, { query: { zzz_unknown: '1', ['q'.repeat(300)]: 'v', '': 'x' } }), 'unknown fields');
  });
});
