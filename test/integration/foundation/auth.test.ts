/** Token endpoints (Baidu OAuth and Huawei IAM style) against dynalite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as baiduToken } from '../../../functions/auth/token/handler';
import { main as iamToken } from '../../../functions/auth/iam-token/handler';
import { issueToken, resolveToken, sha256 } from '../../../lib/auth/credentials';
import { keys } from '../../../lib/store/keys';
import { call } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
beforeAll(async () => {
  env = await startServices();
});
afterAll(async () => env?.stop());

describe('POST /oauth/2.0/token', () => {
  it('issues a token with brain_all_scope for the right key pair (query string)', async () => {
    const p = await env.project();
    const r = await call(baiduToken, { query: { grant_type: 'client_credentials', client_id: p.apiKey, client_secret: p.secretKey } });
    expect(r.status).toBe(200);
    expect(r.body.scope.split(' ')).toContain('brain_all_scope');
    expect(r.body.expires_in).toBe(2592000);
    expect((await resolveToken(env.stores.metadata, r.body.access_token)).projectId).toBe(p.projectId);
  });

  it('accepts the parameters in a form body, as the Node SDK sends them', async () => {
    const p = await env.project();
    const r = await call(baiduToken, { form: { grant_type: 'client_credentials', client_id: p.apiKey, client_secret: p.secretKey } });
    expect(r.body.access_token).toMatch(/^24\./);
  });

  it('refuses a wrong secret with invalid_client (401) and stores no token', async () => {
    const p = await env.project();
    const r = await call(baiduToken, { query: { grant_type: 'client_credentials', client_id: p.apiKey, client_secret: 'wrong' } });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
  });

  it('refuses another grant type', async () => {
    const r = await call(baiduToken, { query: { grant_type: 'password', client_id: 'a', client_secret: 'b' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_request');
  });

  it('stores only the hash of a token', async () => {
    const p = await env.project();
    const grant = await issueToken(env.stores.metadata, p.projectId, 60);
    const item = await env.stores.metadata.get(keys.token(sha256(grant.token)));
    expect(item?.projectId).toBe(p.projectId);
    expect(JSON.stringify(item)).not.toContain(grant.token);
  });

  it('reports an expired token as expired', async () => {
    const p = await env.project();
    const grant = await issueToken(env.stores.metadata, p.projectId, -5);
    await expect(resolveToken(env.stores.metadata, grant.token)).rejects.toMatchObject({ kind: 'AUTH_EXPIRED' });
  });
});

describe('POST /v3/auth/tokens', () => {
  const body = (name: string, password: string, project?: string) => ({
    auth: { identity: { methods: ['password'], password: { user: { name, password } } }, ...(project ? { scope: { project: { id: project } } } : {}) },
  });

  it('returns X-Subject-Token for the key pair, scoped to its project', async () => {
    const p = await env.project();
    const r = await call(iamToken, { json: body(p.apiKey, p.secretKey, p.projectId) });
    expect(r.status).toBe(201);
    expect(r.body.token.project.id).toBe(p.projectId);
    expect((await resolveToken(env.stores.metadata, r.headers['x-subject-token'])).projectId).toBe(p.projectId);
  });

  it('refuses another project in the scope', async () => {
    const p = await env.project();
    const other = await env.project('other');
    const r = await call(iamToken, { json: body(p.apiKey, p.secretKey, other.projectId) });
    expect(r.status).toBe(401);
    expect(r.headers['x-subject-token']).toBeUndefined();
  });
});
