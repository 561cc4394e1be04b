/**
 * The OpenAPI description derived from the declarations: valid OpenAPI 3.1 (checked with
 * @seriousme/openapi-schema-validator), covering every declared route with its parameters,
 * bodies and the family's error envelope; served by GET /openapi.json as committed.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import committed from '../../../clients/iris/openapi.json';
import { irisDocument } from '../../../clients/iris/document';
import { functions } from '../../../functions';
import { main as openapi } from '../../../functions/system/openapi/handler';
import { main as docs } from '../../../functions/system/docs/handler';
import { baiduCodes } from '../../../lib/http/families/baidu';
import { frsCodes } from '../../../lib/http/families/frs';
import { modelartsCodes } from '../../../lib/http/families/modelarts';
import { remainingTime } from '../../../lib/http/operation';
import { call } from '../../support/http';

const doc = irisDocument();

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

describe('the OpenAPI description', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('covers every HTTP route of every declared operation', () => {
    const declared = functions.flatMap((f) => (f.config.events ?? []).flatMap((e) => ('httpApi' in e && e.httpApi !== '*' ? [`${e.httpApi.method.toLowerCase()} ${e.httpApi.path}`] : [])));
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`));
    expect(described.sort()).toEqual([...new Set(declared)].sort());
  });

  it('describes path and query parameters and bodies from the zod schemas', () => {
    const query = doc.paths['/v2/{project_id}/face-sets/{face_set_name}/faces'].get;
    expect(query.parameters.map((p: any) => `${p.in}:${p.name}`)).toEqual(['path:project_id', 'path:face_set_name', 'query:face_id', 'query:offset', 'query:limit', 'query:with_image_url']);
    expect(query.security).toEqual([{ huaweiToken: [] }]);
    const create = doc.paths['/v2/{project_id}/face-sets'].post;
    expect(create.requestBody.content['application/json'].schema.required).toContain('face_set_name');
    // Baidu operations take a form body, as the official SDKs send it, and the token in the query.
    const add = doc.paths['/rest/2.0/realtime_search/same_hq/add'].post;
    expect(Object.keys(add.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(add.security).toEqual([{ baiduToken: [] }]);
    expect(add.responses['200'].content['application/json'].schema.anyOf[1]).toEqual({ $ref: '#/components/schemas/BaiduError' });
    // The hard-example upload takes a multipart frame or JSON.
    const upload = doc.paths['/v1/{project_id}/hard-examples/{config_id}/{upload_key}'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['multipart/form-data', 'application/json']);
    expect(upload.requestBody.content['multipart/form-data'].schema.properties.frame).toEqual({ type: 'string', contentMediaType: 'application/octet-stream' });
    expect(upload.requestBody.content['application/json'].schema.properties.frame.anyOf).toBeDefined();
    expect(upload.security).toEqual([]);
  });

  it("carries each family's error envelope with its codes", () => {
    const s = doc.components.schemas;
    expect(s.FrsError.properties.error_code.examples).toEqual(expect.arrayContaining(Object.values(frsCodes).map(([c]) => c)));
    expect(s.ModelArtsError.properties.error_code.examples).toEqual(expect.arrayContaining(Object.values(modelartsCodes).map(([c]) => c)));
    expect(s.BaiduError.properties.error_code.examples).toEqual(expect.arrayContaining(Object.values(baiduCodes)));
    expect(doc.paths['/v2/{project_id}/datasets'].post.responses.default.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ModelArtsError' });
  });

  it('is served at GET /openapi.json as committed', async () => {
    const r = await call(openapi, { method: 'GET', path: '/openapi.json' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.body).toEqual(committed);
  });

  it('is rendered at /docs with the renderer served from the function itself', async () => {
    const page = await call(docs, { method: 'GET', path: '/docs' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('/docs/swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    const script = await call(docs, { method: 'GET', path: '/docs/swagger-ui-bundle.js', pathParameters: { asset: 'swagger-ui-bundle.js' } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(String(script.body)).toContain('SwaggerUIBundle');
    const missing = await call(docs, { method: 'GET', path: '/docs/x.js', pathParameters: { asset: 'x.js' } });
    expect(missing.status).toBe(404);
  });
});

describe('remainingMs', () => {
  it('reads the Lambda deadline and is Infinity without one', () => {
    expect(remainingTime({ getRemainingTimeInMillis: () => 1234 })()).toBe(1234);
    expect(remainingTime(undefined)()).toBe(Infinity);
    expect(remainingTime({})()).toBe(Infinity);
  });
});
