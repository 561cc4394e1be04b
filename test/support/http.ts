/**
 * Builds API Gateway HTTP API (payload 2.0) events and calls a handler directly, the way
 * Lambda would. `form` sends application/x-www-form-urlencoded like the Baidu SDKs do.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export interface CallOptions {
  method?: string;
  path?: string;
  /** Path template parameters, e.g. { project_id }. */
  pathParameters?: Record<string, string | undefined>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  rawBody?: string;
  contentType?: string;
  /** The invocation's time limit (default 30 s), counting down from the call. */
  timeoutMs?: number;
}

export function httpEvent(o: CallOptions = {}): Record<string, unknown> {
  const method = o.method ?? 'POST';
  const path = o.path ?? '/';
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  let body: string | undefined;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['content-type'] ??= 'application/json';
  } else if (o.form) {
    body = new URLSearchParams(o.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (o.rawBody !== undefined) {
    body = o.rawBody;
  }
  if (o.contentType) headers['content-type'] = o.contentType;
  const rawQueryString = new URLSearchParams(o.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString,
    queryStringParameters: o.query,
    pathParameters: o.pathParameters,
    headers,
    body,
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), http: { method, path }, routeKey: `${method} ${path}` },
  };
}

export const lambdaContext = (timeoutMs = 30_000): Context => {
  const end = Date.now() + timeoutMs;
  return {
    awsRequestId: randomUUID(),
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
    memoryLimitInMB: '1024',
    logGroupName: '/aws/lambda/test',
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as Context;
};

type Handler = (event: never, context: Context) => Promise<APIGatewayProxyStructuredResultV2 | unknown>;

export async function call(handler: Handler, o: CallOptions = {}): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  const res = (await handler(httpEvent(o) as never, lambdaContext(o.timeoutMs))) as APIGatewayProxyStructuredResultV2;
  const text = typeof res.body === 'string' ? res.body : '';
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.statusCode ?? 200, body, headers: (res.headers ?? {}) as Record<string, string> };
}
