/**
 * The one HTTP middleware stack every API handler is built with:
 *   logger (Powertools, request id) → body parser (JSON / form / multipart, size cap)
 *   → auth (per family) → schema validation → the operation → family envelope.
 * Handlers stay a few lines: they get a validated `input`, the caller's project and the stores.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { resolveToken } from '../auth/credentials';
import { IrisError, type Family } from '../errors';
import { stores } from '../store';
import type { Stores } from '../store/ports';
import { newLogId } from './families/baidu';
import { errorEnvelope, json, toIrisError } from './envelope';
import { bodyParser, type HttpEvent } from './request';
import { validate } from './validate';
import { logger } from './logger';
import { remainingTime, type ApiRequest, type ApiResponse, type AuthMode, type HttpOperation, type Operation } from './operation';

export { logger };

export type { ApiRequest, ApiResponse, AuthMode } from './operation';

export interface HttpApiOptions<S extends z.ZodType> {
  family: Family;
  auth: AuthMode;
  schema?: S;
  maxBodyBytes?: number;
  handler: (req: ApiRequest<z.infer<S>>) => Promise<ApiResponse | object>;
}

/** Baidu's query carries the token and an SDK marker next to the operation's own fields. */
const BAIDU_TRANSPORT_FIELDS = new Set(['access_token', 'aipSdk', 'aipVersion']);

const isApiResponse = (r: unknown): r is ApiResponse =>
  !!r && typeof r === 'object' && ('statusCode' in r || 'headers' in r) && 'body' in r;

function assembleInput(family: Family, event: HttpEvent): unknown {
  const query = { ...(event.queryStringParameters ?? {}) };
  const body = (event.body ?? {}) as Record<string, unknown>;
  if (family === 'baidu' || family === 'oauth') {
    // Baidu operations read one flat parameter set: form body first, query as fallback.
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(query)) if (!BAIDU_TRANSPORT_FIELDS.has(k)) flat[k] = v;
    for (const [k, v] of Object.entries(body)) if (!BAIDU_TRANSPORT_FIELDS.has(k)) flat[k] = v;
    return flat;
  }
  return { path: event.pathParameters ?? {}, query, body };
}

async function authenticate(mode: AuthMode, event: HttpEvent, s: Stores): Promise<string> {
  if (mode === 'none') return '';
  if (mode === 'baidu-token') {
    const raw = event.queryStringParameters?.access_token ?? (event.body as Record<string, unknown> | undefined)?.access_token;
    // The official Node SDK builds "…?aipSdk=node&access_token=TOKEN?aipSdk=node" (two '?'), so the
    // token arrives with "?aipSdk=node" glued on; tokens never contain '?'.
    const token = typeof raw === 'string' ? raw.split('?')[0] : raw;
    if (typeof token !== 'string' || token === '') throw new IrisError('AUTH_MISSING', 'access token missing: pass ?access_token=');
    return (await resolveToken(s.metadata, token)).projectId;
  }
  const token = event.headers?.['x-auth-token'];
  if (!token) throw new IrisError('AUTH_MISSING', 'the X-Auth-Token header is missing');
  const { projectId } = await resolveToken(s.metadata, token);
  const pathProject = event.pathParameters?.project_id;
  if (pathProject !== undefined && pathProject !== projectId) {
    throw new IrisError('FORBIDDEN_PROJECT', 'the project_id in the path does not match the token');
  }
  return projectId;
}

/** How long before Lambda's own limit middy answers a request that is still running. */
export const TIMEOUT_EARLY_MS = 500;

export function httpApi<S extends z.ZodType>(opts: HttpApiOptions<S>) {
  const core = async (event: HttpEvent, context: Context, { signal }: { signal?: AbortSignal } = {}): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const logId = newLogId();
    const s = stores();
    const projectId = await authenticate(opts.auth, event, s);
    if (projectId) logger.appendKeys({ projectId });
    const input = opts.schema ? validate(opts.schema, assembleInput(opts.family, event)) : assembleInput(opts.family, event);
    const remainingMs = remainingTime(context);
    const left = remainingMs();
    const work = opts.handler({
      input: input as z.infer<S>,
      projectId,
      requestId,
      logId,
      headers: event.headers ?? {},
      event,
      stores: s,
      log: logger,
      remainingMs,
      // middy answers TIMEOUT_EARLY_MS before Lambda's own limit: the answer is due then.
      deadline: Number.isFinite(left) ? Date.now() + left - TIMEOUT_EARLY_MS : undefined,
    });
    // When the time runs out, middy has already answered (the family's internal error); what the
    // operation did after that is still worth knowing, so it is logged when it settles.
    signal?.addEventListener('abort', () => {
      work.then(
        () => logger.warn('the operation finished after its timeout was answered', { requestId, outcome: 'succeeded' }),
        (e) => logger.warn('the operation finished after its timeout was answered', { requestId, outcome: 'failed', error: e as Error }),
      );
    });
    const result = await work;
    const { statusCode = 200, body, headers = {} } = isApiResponse(result) ? result : { body: result };
    // A page or a document with its own content type goes out as it is.
    if (typeof body === 'string' && Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      return { statusCode, headers: { 'x-request-id': requestId, ...headers }, body };
    }
    const payload = opts.family === 'baidu' && body && typeof body === 'object' && !Array.isArray(body) ? { log_id: logId, ...body } : body;
    return body === undefined
      ? { statusCode, headers: { 'x-request-id': requestId, ...headers } }
      : json(statusCode, payload, { 'x-request-id': requestId, ...headers });
  };

  return middy<HttpEvent, APIGatewayProxyStructuredResultV2>({
    timeoutEarlyInMillis: TIMEOUT_EARLY_MS,
    timeoutEarlyResponse: () => {
      logger.error('the invocation ran out of time; answering before Lambda stops it');
      throw new IrisError('INTERNAL', 'the request ran out of time');
    },
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: (request) => {
        const e = request.event;
        // HTTP API v2 lower-cases header names already; local callers may not.
        e.headers = Object.fromEntries(Object.entries(e.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        logger.appendKeys({ requestId: e.requestContext?.requestId, route: e.routeKey });
      },
    })
    .use(bodyParser({ maxBytes: opts.maxBodyBytes }))
    .use({
      onError: (request) => {
        const err = toIrisError(request.error);
        const requestId = request.event?.requestContext?.requestId ?? request.context?.awsRequestId ?? '';
        if (err.kind === 'INTERNAL') logger.error('request failed', { error: request.error as Error });
        else logger.info('request rejected', { kind: err.kind, reason: err.message });
        request.response = errorEnvelope(opts.family, err, { logId: newLogId(), requestId });
      },
    })
    .handler(core);
}

/**
 * The Lambda entry of a declared operation: HTTP operations get the middleware stack above;
 * S3 triggers and schedules get the logger with the Lambda context; the `$default` route runs
 * as it is. `warm` starts here, when the Lambda starts, never at configuration time.
 */
export function lambdaHandler(op: Operation): (event: any, context: Context) => Promise<any> {
  if (op.warm) void Promise.resolve().then(op.warm).catch((e) => logger.warn('warm-up failed', { error: e as Error }));
  switch (op.kind) {
    case 'http':
      return httpApi({ family: op.family, auth: op.auth, schema: op.schema, maxBodyBytes: op.maxBodyBytes, handler: (op as HttpOperation).run });
    case 'fallback':
      return op.run as (event: any, context: Context) => Promise<any>;
    case 's3':
      return middy()
        .use(injectLambdaContext(logger, { resetKeys: true }))
        .handler((event, context: Context) => op.run(event as never, { remainingMs: remainingTime(context) }));
    case 'schedule':
      return middy()
        .use(injectLambdaContext(logger, { resetKeys: true }))
        .handler((_event: unknown, context: Context) => op.run({ remainingMs: remainingTime(context) }));
  }
}
