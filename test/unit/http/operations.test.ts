/**
 * Everything about an operation is derived from its one declaration: a no-op operation declared
 * like the real ones gets a function config, a role, a route-family entry and an OpenAPI path,
 * and answers through the shared stack; unknown routes answer in their family's envelope.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { declarations, functions } from '../../../functions';
import notFound from '../../../functions/system/not-found';
import { catalog, serverlessFunctions } from '../../../lib/deploy/functions';
import type { Family } from '../../../lib/errors';
import { lambdaHandler } from '../../../lib/http/handler';
import { openApiDocument } from '../../../lib/http/openapi';
import { defineOperation, defineSchedule, defineS3Trigger } from '../../../lib/http/operation';
import { familyOf, ROUTE_FAMILIES_ENV, routeFamilies, routePrefix } from '../../../lib/http/routes';
import { call, httpEvent, lambdaContext } from '../../support/http';

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

/** Declared exactly as a folder's index.ts would declare it. */
const noop = defineOperation({
  name: 'noopPing',
  description: 'Answers with what it was given',
  method: 'GET',
  path: '/v1/{project_id}/noop-pings/{ping_id}',
  family: 'modelarts',
  auth: 'none',
  schema: z.object({ path: z.object({ project_id: z.string(), ping_id: z.string().min(1).max(8) }), query: z.object({ loud: z.enum(['yes', 'no']).optional() }) }),
  response: z.object({ ping_id: z.string(), loud: z.boolean() }),
  run: async ({ input, remainingMs }) => ({ ping_id: input.path.ping_id, loud: input.query.loud === 'yes', finite: Number.isFinite(remainingMs()) }),
  access: { table: ['read'] },
  memory: 128,
});

describe('a new operation is one folder and one entry', () => {
  const all = catalog({ ...declarations, 'system/noop-ping': noop });
  const fn = all.find((f) => f.name === 'noopPing')!;

  it('yields its function config with the handler path derived from its folder', () => {
    expect(fn.config).toEqual({
      handler: 'functions/system/noop-ping/handler.main',
      description: 'Answers with what it was given',
      events: [{ httpApi: { method: 'GET', path: '/v1/{project_id}/noop-pings/{ping_id}' } }],
      memorySize: 128,
    });
  });

  it('yields its own least-privilege role', () => {
    const { functions: fns, roles } = serverlessFunctions(all, { service: 'iris', stage: 't', bucketName: 'b', tableLogicalId: 'T', nativeLayerRef: { Ref: 'L' } });
    expect(fns.noopPing).toMatchObject({ role: 'NoopPingRole', handler: 'functions/system/noop-ping/handler.main' });
    expect((fns.noopPing as Record<string, unknown>).layers).toBeUndefined();
    const statements = (roles.NoopPingRole as any).Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.flatMap((s: any) => s.Action)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(statements.flatMap((s: any) => s.Action).some((a: string) => a.startsWith('s3:') || a === 'dynamodb:PutItem')).toBe(false);
  });

  it('yields its route-family entry, which the $default route receives', () => {
    const table = routeFamilies(all.map((f) => f.operation));
    expect(table).toContainEqual(['/v1/{}/noop-pings', 'modelarts']);
    const fallback = all.find((f) => f.operation.kind === 'fallback')!;
    expect(JSON.parse(String(fallback.config.environment?.[ROUTE_FAMILIES_ENV]))).toContainEqual(['/v1/{}/noop-pings', 'modelarts']);
  });

  it('yields its OpenAPI path with parameters and response', () => {
    const doc = openApiDocument(all.map((f) => f.operation));
    const op = doc.paths['/v1/{project_id}/noop-pings/{ping_id}'].get;
    expect(op.operationId).toBe('noopPing');
    expect(op.parameters).toEqual([
      { name: 'project_id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'ping_id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 8 } },
      { name: 'loud', in: 'query', required: false, schema: { type: 'string', enum: ['yes', 'no'] } },
    ]);
    expect(op.responses['200'].content['application/json'].schema.properties).toEqual({ ping_id: { type: 'string' }, loud: { type: 'boolean' } });
    expect(op.responses.default.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ModelArtsError' });
  });

  it('answers through the shared stack, with the remaining time of the invocation', async () => {
    const main = lambdaHandler(noop);
    const ok = await call(main, { method: 'GET', pathParameters: { project_id: 'p', ping_id: 'abc' }, query: { loud: 'yes' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ping_id: 'abc', loud: true, finite: true });
    const bad = await call(main, { method: 'GET', pathParameters: { project_id: 'p', ping_id: 'much-too-long' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('ModelArts.0104');
  });

  it('refuses two families under one prefix and two operations with one name', () => {
    const frsTwin = defineOperation({ ...noop, name: 'noopTwin', family: 'frs' });
    expect(() => catalog({ a: noop, b: frsTwin })).toThrow(/two API families/);
    expect(() => catalog({ a: noop, b: { ...noop, path: '/elsewhere' } })).toThrow(/two operations are named noopPing/);
  });

  it('gives S3 triggers and schedules their own events', () => {
    const run = async () => ({});
    const [s3, cron] = catalog({
      'x/on-photo': defineS3Trigger({ name: 'onPhoto', description: 'd', objects: { prefix: 'ingest/', suffix: '.jpg' }, access: {}, run }),
      'x/nightly': defineSchedule({ name: 'nightly', description: 'd', schedule: 'rate(1 day)', access: {}, run }),
    });
    expect(s3.config.events).toEqual([{ s3: { bucket: 'objects', event: 's3:ObjectCreated:*', rules: [{ prefix: 'ingest/' }, { suffix: '.jpg' }] } }]);
    expect(cron.config.events).toEqual([{ schedule: 'rate(1 day)' }]);
    expect(cron.config.handler).toBe('functions/x/nightly/handler.main');
  });
});

describe('functions/index.ts', () => {
  const ROOT = join(import.meta.dirname, '../../../functions');
  const folders = readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((area) => readdirSync(join(ROOT, area.name), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${area.name}/${d.name}`))
    .filter((folder) => existsSync(join(ROOT, folder, 'index.ts')));

  it('lists every operation folder once, under its own folder name', () => {
    expect(Object.keys(declarations).sort()).toEqual(folders.sort());
  });

  it("gives every folder a Lambda entry that runs that folder's own declaration", async () => {
    for (const folder of folders) {
      const entry = await import(join(ROOT, folder, 'handler.ts'));
      const own = (await import(join(ROOT, folder, 'index.ts'))).default;
      expect(typeof entry.main, folder).toBe('function');
      expect(own, folder).toBe(declarations[folder as keyof typeof declarations]);
    }
  }, 60_000);
});

describe('unknown routes', () => {
  const table = routeFamilies(functions.map((f) => f.operation));

  it('takes the prefix of a route up to its first named resource', () => {
    expect(routePrefix('/v2/{project_id}/face-sets/{face_set_name}/search')).toBe('/v2/{}/face-sets');
    expect(routePrefix('/rest/2.0/realtime_search/same_hq/add')).toBe('/rest');
    expect(routePrefix('/v3/auth/tokens')).toBe('/v3/auth');
    expect(routePrefix('/')).toBeUndefined();
  });

  it('maps the hard-sample configurations to ModelArts, as their routes are declared', () => {
    expect(familyOf('/v1/abc/hard-sample-configs/x/unknown', table)).toBe('modelarts');
    expect(familyOf('/v2/abc/hard-sample-configs/x', table)).toBe('plain');
  });

  /** Each family's envelope for an unknown route (the README's error table). */
  const expected: Record<Family, (status: number, body: any) => void> = {
    baidu: (status, body) => {
      expect(status).toBe(200);
      expect(body).toMatchObject({ error_code: 3, log_id: expect.any(Number) });
    },
    frs: (status, body) => {
      expect(status).toBe(404);
      expect(body.error_code).toBe('FRS.0020');
    },
    modelarts: (status, body) => {
      expect(status).toBe(404);
      expect(body.error_code).toBe('APIG.0101');
    },
    oauth: (status, body) => {
      expect(status).toBe(404);
      expect(body.error).toBe('invalid_request');
    },
    iam: (status, body) => {
      expect(status).toBe(404);
      expect(body.error.code).toBe('404');
    },
    predict: (status, body) => {
      expect(status).toBe(200);
      expect(body.code).toBe(1100);
    },
    plain: (status, body) => {
      expect(status).toBe(404);
      expect(body.error_code).toBe('ROUTE_NOT_FOUND');
    },
  };

  it('answers an unknown sub-route under every family prefix in that family envelope', async () => {
    const fallback = functions.find((f) => f.operation.kind === 'fallback')!;
    process.env[ROUTE_FAMILIES_ENV] = String(fallback.config.environment?.[ROUTE_FAMILIES_ENV]);
    const families = new Set(functions.flatMap((f) => (f.operation.kind === 'http' ? [f.operation.family] : [])));
    expect(new Set(table.map(([, family]) => family))).toEqual(new Set([...families].filter((f) => f !== 'plain')));
    for (const [prefix, family] of [...table, ['/no-such-area', 'plain'] as [string, Family]]) {
      const path = `${prefix.replaceAll('{}', 'p1')}/no-such-route`;
      const r = await notFound.run(httpEvent({ method: 'GET', path }) as never, lambdaContext());
      expected[family](r.statusCode!, JSON.parse(r.body!));
    }
  });
});
