/**
 * The shared middleware stack, with DynamoDB mocked (aws-sdk-client-mock): body parsing, auth,
 * validation and the per-family error envelopes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { httpApi } from '../../../lib/http/handler';
import { IrisError } from '../../../lib/errors';
import { resetConfig } from '../../../lib/config';
import { resetClients } from '../../../lib/store/aws-clients';
import { resetStores } from '../../../lib/store';
import { call } from '../../support/http';

const ddb = mockClient(DynamoDBDocumentClient);
const PROJECT = 'a'.repeat(32);
const GOOD = 'good-token';
const EXPIRED = 'expired-token';
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(() => {
  process.env.IRIS_TABLE = 'unit';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  resetConfig();
  resetClients();
  resetStores();
});
afterAll(() => ddb.restore());

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string } }) => {
    const now = Math.floor(Date.now() / 1000);
    if (input.Key.pk === `TOKEN#${hash(GOOD)}`) return { Item: { projectId: PROJECT, expiresAt: now + 3600 } };
    if (input.Key.pk === `TOKEN#${hash(EXPIRED)}`) return { Item: { projectId: PROJECT, expiresAt: now - 10 } };
    return {};
  });
});

const echoFrs = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema: z.object({ body: z.object({ name: z.string().min(1).max(8), top_n: z.number().int().min(0).max(1000).optional() }) }),
  handler: async ({ input, projectId }) => ({ name: input.body.name, projectId }),
});

const echoBaidu = httpApi({
  family: 'baidu',
  auth: 'baidu-token',
  schema: z.object({ brief: z.string().min(1).max(16), tags: z.string().optional() }),
  handler: async ({ input }) => ({ brief: input.brief, tags: input.tags ?? null }),
});

const failing = (error: unknown) =>
  httpApi({
    family: 'baidu',
    auth: 'none',
    handler: async () => {
      throw error;
    },
  });

const frsPath = { project_id: PROJECT };
const frsHeaders = { 'X-Auth-Token': GOOD };

describe('huawei-style requests', () => {
  it('passes a valid JSON body and the token project to the operation', async () => {
    const r = await call(echoFrs, { pathParameters: frsPath, headers: frsHeaders, json: { name: 'alice' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: 'alice', projectId: PROJECT });
  });

  it('answers FRS.0014 for a malformed JSON body', async () => {
    const r = await call(echoFrs, { pathParameters: frsPath, headers: frsHeaders, rawBody: '{"name": ', contentType: 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('FRS.0014');
    expect(r.body.error_msg).toMatch(/not valid JSON/);
  });

  it('answers FRS.0014 for a JSON array body', async () => {
    const r = await call(echoFrs, { pathParameters: frsPath, headers: frsHeaders, rawBody: '[1,2]', contentType: 'application/json' });
    expect(r.body.error_code).toBe('FRS.0014');
  });

  it('rejects an unsupported content type', async () => {
    const r = await call(echoFrs, { pathParameters: frsPath, headers: frsHeaders, rawBody: '<x/>', contentType: 'application/xml' });
    expect(r.body.error_code).toBe('FRS.0014');
    expect(r.body.error_msg).toMatch(/unsupported content type/);
  });

  it('answers FRS.0017 for a body over the size limit', async () => {
    const big = httpApi({ family: 'frs', auth: 'none', maxBodyBytes: 100, handler: async () => ({}) });
    const r = await call(big, { json: { pad: 'x'.repeat(200) } });
    expect(r.body.error_code).toBe('FRS.0017');
  });

  it('answers FRS.0010 when the X-Auth-Token header is missing', async () => {
    const r = await call(echoFrs, { pathParameters: frsPath, json: { name: 'a' } });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('FRS.0010');
  });

  it('answers FRS.0002 (403) for an unknown token', async () => {
    const r = await call(echoFrs, { pathParameters: frsPath, headers: { 'X-Auth-Token': 'nope' }, json: { name: 'a' } });
    expect(r.status).toBe(403);
    expect(r.body.error_code).toBe('FRS.0002');
  });

  it('answers FRS.0028 when the path project is not the token project', async () => {
    const r = await call(echoFrs, { pathParameters: { project_id: 'b'.repeat(32) }, headers: frsHeaders, json: { name: 'a' } });
    expect(r.status).toBe(403);
    expect(r.body.error_code).toBe('FRS.0028');
  });

  it('answers FRS.0011 naming a missing parameter and FRS.0012 naming a bad one', async () => {
    const missing = await call(echoFrs, { pathParameters: frsPath, headers: frsHeaders, json: {} });
    expect(missing.body).toMatchObject({ error_code: 'FRS.0011' });
    expect(missing.body.error_msg).toContain('name');
    const bad = await call(echoFrs, { pathParameters: frsPath, headers: frsHeaders, json: { name: 'a', top_n: 5000 } });
    expect(bad.body).toMatchObject({ error_code: 'FRS.0012' });
    expect(bad.body.error_msg).toContain('top_n');
  });
});

describe('baidu-style requests', () => {
  it('reads form bodies like the official SDK sends them, with log_id added', async () => {
    const r = await call(echoBaidu, { query: { access_token: GOOD, aipSdk: 'node' }, form: { brief: '{"n":"x+y"}', tags: '1,2' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ brief: '{"n":"x+y"}', tags: '1,2' });
    expect(typeof r.body.log_id).toBe('number');
  });

  it('answers 110 without a token and 111 with an expired one, with HTTP 200 as Baidu does', async () => {
    const none = await call(echoBaidu, { form: { brief: 'x' } });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ error_code: 110 });
    const expired = await call(echoBaidu, { query: { access_token: EXPIRED }, form: { brief: 'x' } });
    expect(expired.body).toMatchObject({ error_code: 111 });
  });

  it('answers 216101 for a missing parameter and 216103 for one too long', async () => {
    const missing = await call(echoBaidu, { query: { access_token: GOOD }, form: {} });
    expect(missing.body).toMatchObject({ error_code: 216101, error_msg: 'param brief not exist' });
    const long = await call(echoBaidu, { query: { access_token: GOOD }, form: { brief: 'x'.repeat(17) } });
    expect(long.body.error_code).toBe(216103);
  });

  it('answers 216100 for a malformed form body', async () => {
    const r = await call(echoBaidu, { query: { access_token: GOOD }, rawBody: 'justaword', contentType: 'application/x-www-form-urlencoded' });
    expect(r.body.error_code).toBe(216100);
  });
});

describe('error mapping', () => {
  it('never leaks an unknown error message or stack: 282000 with a generic message', async () => {
    const r = await call(failing(new Error('connect ECONNREFUSED 10.1.2.3:8000 at secret.js:12')), {});
    expect(r.body.error_code).toBe(282000);
    expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|secret\.js|10\.1\.2\.3/);
  });

  it('uses the family-specific code an operation passes', async () => {
    const r = await call(failing(new IrisError('CONFLICT', 'image already in the library', { codes: { baidu: 216681 } })), {});
    expect(r.body).toMatchObject({ error_code: 216681, error_msg: 'image already in the library' });
  });

  it('maps the same kind to each family envelope', async () => {
    const err = () => new IrisError('IMAGE_FORMAT', 'image: format not supported');
    const families = ['frs', 'modelarts', 'predict'] as const;
    const results = await Promise.all(
      families.map((family) => call(httpApi({ family, auth: 'none', handler: async () => { throw err(); } }), {})),
    );
    expect(results[0]).toMatchObject({ status: 400, body: { error_code: 'FRS.0016' } });
    expect(results[1]).toMatchObject({ status: 400, body: { error_code: 'ModelArts.0104' } });
    expect(results[2].body).toEqual({ code: 10440, message: 'image: format not supported' });
  });
});
