/** What clients see when a backing service fails mid-request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as health } from '../../../functions/system/health/handler';
import { main as baiduToken } from '../../../functions/auth/token/handler';
import { call } from '../../support/http';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
beforeAll(async () => {
  env = await startServices();
});
afterAll(async () => env?.stop());

describe('backing service failures', () => {
  it('reports every service up, then the one that went down, without internals', async () => {
    const up = await call(health, { method: 'GET', path: '/health' });
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('ok');

    const p = await env.project();
    await env.s3rver.close();
    const down = await call(health, { method: 'GET', path: '/health' });
    expect(down.status).toBe(503);
    expect(down.body.services.objects).toMatchObject({ ok: false, error: 'unreachable' });
    expect(down.body.services.metadata.ok).toBe(true);
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);

    // An operation that needs only DynamoDB keeps working while S3 is down.
    const token = await call(baiduToken, { query: { grant_type: 'client_credentials', client_id: p.apiKey, client_secret: p.secretKey } });
    expect(token.status).toBe(200);
  });

  it('answers the internal-error envelope, not a crash, when DynamoDB is unreachable', async () => {
    process.env.IRIS_DYNAMODB_ENDPOINT = 'http://127.0.0.1:9'; // discard port: connection refused
    const { resetConfig } = await import('../../../lib/config');
    const { resetClients } = await import('../../../lib/store/aws-clients');
    const { resetStores } = await import('../../../lib/store');
    resetConfig();
    resetClients();
    resetStores();
    const r = await call(baiduToken, { query: { grant_type: 'client_credentials', client_id: 'k', client_secret: 's' } });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: 'server_error', error_description: 'internal error, please retry later' });
  });
});
