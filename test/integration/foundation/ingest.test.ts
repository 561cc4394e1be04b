/** The ingest trigger's ledger: idempotent under redelivery, failures recorded, transient errors retried. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IrisError } from '../../../lib/errors';
import { ingestRecord, type Importer } from '../../../lib/ingest/ledger';
import { ingestStatusPartition } from '../../../lib/store/keys';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let projectId: string;
beforeAll(async () => {
  env = await startServices();
  projectId = (await env.project()).projectId;
});
afterAll(async () => env?.stop());

const record = (key: string) => ({ bucket: env.bucket, key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+') });

describe('ingestRecord', () => {
  it('runs the importer once however often the event is delivered', async () => {
    const key = `ingest/${projectId}/counter/a photo.jpg`;
    await env.stores.objects.put(key, Buffer.from('img'));
    let runs = 0;
    const importers: Record<string, Importer> = { counter: async (obj) => ({ n: ++runs, rest: obj.rest }) };
    const outcomes = await Promise.all([1, 2, 3].map(() => ingestRecord(record(key), importers, env.stores)));
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(2);
    expect(outcomes[0].key).toBe(key); // '+' decoded back to a space
  });

  it('records a permanent failure where an operator can list it, and keeps the object', async () => {
    const key = `ingest/${projectId}/strict/bad.jpg`;
    await env.stores.objects.put(key, Buffer.from('not an image'));
    const importers: Record<string, Importer> = {
      strict: async () => {
        throw new IrisError('IMAGE_FORMAT', 'image: format not supported');
      },
    };
    const outcome = await ingestRecord(record(key), importers, env.stores);
    expect(outcome).toMatchObject({ status: 'failed', error: 'image: format not supported' });
    const failed = await env.stores.metadata.query({ index: 'gsi1', pk: ingestStatusPartition(`failed#${projectId}`) });
    expect(failed.items.map((i) => i.bucketKey)).toContain(key);
    expect(await env.stores.objects.head(key)).not.toBeNull();
    // A redelivery does not retry a permanent failure.
    expect((await ingestRecord(record(key), importers, env.stores)).status).toBe('duplicate');
  });

  it('rethrows a transient failure and lets the retry take the entry over', async () => {
    const key = `ingest/${projectId}/flaky/x.jpg`;
    await env.stores.objects.put(key, Buffer.from('img'));
    let calls = 0;
    const importers: Record<string, Importer> = {
      flaky: async () => {
        if (++calls === 1) throw new Error('DynamoDB throttled');
        return { ok: true };
      },
    };
    await expect(ingestRecord(record(key), importers, env.stores)).rejects.toThrow('throttled');
    expect((await ingestRecord(record(key), importers, env.stores)).status).toBe('done');
    expect(calls).toBe(2);
  });

  it('fails objects of unknown projects or importers and ignores keys outside ingest/', async () => {
    await env.stores.objects.put(`ingest/nosuchproject/counter/a.jpg`, Buffer.from('x'));
    expect((await ingestRecord(record('ingest/nosuchproject/counter/a.jpg'), { counter: async () => ({}) }, env.stores)).status).toBe('failed');
    await env.stores.objects.put(`ingest/${projectId}/unknown/a.jpg`, Buffer.from('x'));
    const unknown = await ingestRecord(record(`ingest/${projectId}/unknown/a.jpg`), {}, env.stores);
    expect(unknown.error).toMatch(/no importer named "unknown"/);
    expect((await ingestRecord(record('data/x/y.jpg'), {}, env.stores)).status).toBe('ignored');
  });
});
