/**
 * The OpenAPI 3.1 description of every HTTP operation, derived from the declarations
 * (lib/http/operation.ts) and their zod schemas (zod 4's JSON Schema output): paths, path and
 * query parameters, request bodies (JSON, form, multipart), declared response shapes and each
 * family's error envelope with its codes (lib/http/families). `npm run generate:client` writes
 * it to clients/iris/openapi.json, which GET /openapi.json serves and the typed client is built from.
 */
import { z } from 'zod';
import type { Family } from '../errors';
import { BAIDU, baiduCodes } from './families/baidu';
import { frsCodes } from './families/frs';
import { modelartsCodes } from './families/modelarts';
import { PREDICT_OK, predictCodes } from './families/predict';
import { routesOf, type BodyType, type HttpOperation, type Operation } from './operation';

type JsonSchema = Record<string, any>;

const MEDIA: Record<BodyType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
};

const FLAT_FAMILIES: readonly Family[] = ['baidu', 'oauth'];

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

/**
 * A code field listing the family table's codes. Not an enum: an operation may answer a more
 * specific code of the same family (e.g. ModelArts.4352 "dataset does not exist", Baidu 216681).
 */
const codeField = (type: 'string' | 'integer', codes: Array<string | number>): JsonSchema => ({
  type,
  examples: codes,
  description: `The family's codes: ${codes.join(', ')}; operations may answer more specific codes of the family.`,
});

/** Each family's error envelope, with the codes it answers. */
export function errorSchemas(): Record<string, JsonSchema> {
  const frs = uniq(Object.values(frsCodes).map(([c]) => c)).sort();
  const modelarts = uniq(Object.values(modelartsCodes).map(([c]) => c)).sort();
  const baidu = uniq([...Object.values(baiduCodes), ...Object.values(BAIDU)]).sort((a, b) => a - b);
  const predict = uniq(Object.values(predictCodes)).sort((a, b) => a - b);
  return {
    BaiduError: {
      type: 'object',
      description: 'Baidu AI open platform error (answered with HTTP 200, as Baidu does).',
      required: ['error_code', 'error_msg', 'log_id'],
      properties: { error_code: codeField('integer', baidu), error_msg: { type: 'string' }, log_id: { type: 'integer' } },
    },
    FrsError: {
      type: 'object',
      description: 'Huawei FRS error.',
      required: ['error_code', 'error_msg'],
      properties: { error_code: codeField('string', frs), error_msg: { type: 'string' } },
    },
    ModelArtsError: {
      type: 'object',
      description: 'ModelArts / HiLens error (APIG.xxxx for the API gateway in front of the service).',
      required: ['error_code', 'error_msg'],
      properties: { error_code: codeField('string', modelarts), error_msg: { type: 'string' } },
    },
    PredictError: {
      type: 'object',
      description: `Classification error (${PREDICT_OK} is success).`,
      required: ['code', 'message'],
      properties: { code: codeField('integer', predict), message: { type: 'string' } },
    },
    OAuthError: {
      type: 'object',
      description: 'OAuth 2.0 token endpoint error (RFC 6749 section 5.2).',
      required: ['error', 'error_description'],
      properties: { error: { type: 'string', enum: ['invalid_client', 'invalid_request', 'server_error'] }, error_description: { type: 'string' } },
    },
    IamError: {
      type: 'object',
      description: 'Huawei IAM token error.',
      required: ['error'],
      properties: {
        error: { type: 'object', required: ['code', 'title', 'message'], properties: { code: { type: 'string' }, title: { type: 'string' }, message: { type: 'string' } } },
      },
    },
    PlainError: {
      type: 'object',
      description: "Iris's own operations.",
      required: ['error_code', 'error_msg', 'request_id'],
      properties: { error_code: { type: 'string' }, error_msg: { type: 'string' }, request_id: { type: 'string' } },
    },
  };
}

const ERROR_REF: Record<Family, string> = {
  baidu: 'BaiduError',
  frs: 'FrsError',
  modelarts: 'ModelArtsError',
  predict: 'PredictError',
  oauth: 'OAuthError',
  iam: 'IamError',
  plain: 'PlainError',
};

/** zod → JSON Schema 2020-12 as a client sends it (input side of transforms and defaults). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...out } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return out;
}

const isEmptyObject = (s: JsonSchema | undefined) => !s || (s.type === 'object' && Object.keys(s.properties ?? {}).length === 0 && !s.additionalProperties);

function parameters(op: HttpOperation<any>, template: string, method: string, input: JsonSchema | undefined): JsonSchema[] {
  const flat = FLAT_FAMILIES.includes(op.family);
  const pathSchema: JsonSchema = flat ? {} : (input?.properties?.path ?? {});
  const names = [...template.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
  const out: JsonSchema[] = names.map((name) => ({ name, in: 'path', required: true, schema: pathSchema.properties?.[name] ?? { type: 'string' } }));
  const query: JsonSchema | undefined = flat ? (method === 'get' ? input : undefined) : input?.properties?.query;
  for (const [name, schema] of Object.entries<JsonSchema>(query?.properties ?? {})) {
    out.push({ name, in: 'query', required: (query?.required ?? []).includes(name), schema });
  }
  return out;
}

function requestBody(op: HttpOperation<any>, method: string, input: JsonSchema | undefined): JsonSchema | undefined {
  const flat = FLAT_FAMILIES.includes(op.family);
  if (method === 'get') return undefined;
  const body = flat ? input : input?.properties?.body;
  if (!body || isEmptyObject(body)) return undefined;
  const types = op.bodyTypes ?? (flat ? (['form'] as const) : (['json'] as const));
  const required = flat ? (body.required ?? []).length > 0 : (input?.required ?? []).includes('body');
  // In a multipart body a file field is a part with bytes, whatever the JSON form of that field is.
  const multipart = op.files?.length
    ? { ...body, properties: { ...body.properties, ...Object.fromEntries(op.files.map((f) => [f, { type: 'string', contentMediaType: 'application/octet-stream' }])) } }
    : body;
  return { required, content: Object.fromEntries(types.map((t) => [MEDIA[t], { schema: t === 'multipart' ? multipart : body }])) };
}

function responses(op: HttpOperation<any>): JsonSchema {
  const success: JsonSchema = op.response ? jsonSchemaOf(op.response) : op.responseType ? { type: 'string' } : { type: 'object', additionalProperties: true };
  const successType = op.responseType ?? 'application/json';
  const error = { $ref: `#/components/schemas/${ERROR_REF[op.family]}` };
  if (op.family === 'baidu') {
    // Baidu answers errors with HTTP 200 too: the body is either the result or the error.
    return { '200': { description: 'the result, or an error envelope', content: { 'application/json': { schema: { anyOf: [success, error] } } } } };
  }
  const status = String(op.status ?? 200);
  return {
    [status]: status === '204' ? { description: 'done, no body' } : { description: 'success', content: { [successType]: { schema: success } } },
    default: { description: `error in the ${op.family} envelope`, content: { 'application/json': { schema: error } } },
  };
}

const SECURITY: Record<string, Array<Record<string, string[]>>> = {
  none: [],
  'baidu-token': [{ baiduToken: [] }],
  'huawei-token': [{ huaweiToken: [] }],
};

export interface DocumentOptions {
  title?: string;
  version?: string;
  /** Folder of each operation (its tag). */
  tagOf?: (op: Operation) => string | undefined;
}

export function openApiDocument(ops: readonly Operation[], opts: DocumentOptions = {}): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of ops) {
    if (op.kind !== 'http') continue;
    const input = op.schema ? jsonSchemaOf(op.schema) : undefined;
    const routes = routesOf(op);
    routes.forEach(({ method, path }, i) => {
      const m = method.toLowerCase();
      const tag = opts.tagOf?.(op);
      const entry: JsonSchema = {
        operationId: routes.length === 1 ? op.name : `${op.name}_${i + 1}`,
        summary: op.summary ?? op.description,
        ...(tag ? { tags: [tag] } : {}),
        'x-iris-family': op.family,
        security: SECURITY[op.auth],
        parameters: parameters(op, path, m, input),
      };
      const body = requestBody(op, m, input);
      if (body) entry.requestBody = body;
      entry.responses = responses(op);
      (paths[path] ??= {})[m] = entry;
    });
  }
  return {
    openapi: '3.1.0',
    info: {
      title: opts.title ?? 'Iris',
      version: opts.version ?? '0.0.0',
      description:
        'Self-hosted vision APIs: image search (Baidu-compatible), face sets (Huawei FRS-compatible), datasets (ModelArts-compatible), hard examples (HiLens-compatible) and Iris\'s own administration operations.',
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        baiduToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'from POST /oauth/2.0/token' },
        huaweiToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'the X-Subject-Token of POST /v3/auth/tokens' },
      },
      schemas: errorSchemas(),
    },
  };
}
