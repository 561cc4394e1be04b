/**
 * One declaration per operation. Each folder under functions/ exports one of these from its
 * index.ts; everything else is derived from them: the serverless function config and its IAM
 * role (lib/deploy/functions.ts), the middy stack (lib/http/handler.ts), the unknown-route
 * family table (lib/http/routes.ts) and the OpenAPI document (lib/http/openapi.ts).
 *
 * This module only holds types and the `define*` helpers: declarations are imported at
 * configuration time (serverless.ts), so nothing here may start work or load a model.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, S3Event } from 'aws-lambda';
import type { z } from 'zod';
import type { Access } from '../deploy/types';
import type { Family } from '../errors';
import type { Stores } from '../store/ports';
import type { HttpEvent } from './request';

/** How a caller proves who it is. */
export type AuthMode =
  | 'none'
  /** `?access_token=` (Baidu); the project comes from the token. */
  | 'baidu-token'
  /** `X-Auth-Token` header (Huawei); `{project_id}` in the path must be the token's project. */
  | 'huawei-token';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** Request body media types an operation accepts (documented in the OpenAPI description). */
export type BodyType = 'json' | 'form' | 'multipart';

export interface ApiRequest<I> {
  input: I;
  projectId: string; // '' when auth is 'none'
  requestId: string;
  logId: number;
  headers: Record<string, string | undefined>;
  event: HttpEvent;
  stores: Stores;
  log: Logger;
  /** Milliseconds left before Lambda stops this invocation (Infinity when there is no deadline). */
  remainingMs(): number;
  /**
   * When the invocation's answer is due (ms since the epoch), or undefined without a deadline:
   * writes pass it to the write protocol, which does not start a commit it cannot finish.
   */
  deadline: number | undefined;
}

export interface ApiResponse {
  statusCode?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What every kind of function declares. */
interface FunctionDeclaration {
  /** Function key in serverless.ts (camelCase, unique); also names its IAM role and zip. */
  name: string;
  description: string;
  /** The data it may touch: becomes its own least-privilege IAM role. */
  access: Access;
  /** MB (default: the provider's, 1024). */
  memory?: number;
  /** Seconds (default: the provider's, 29). */
  timeout?: number;
  /** Started once when the Lambda starts (e.g. loading a model), never at configuration time. */
  warm?: () => unknown;
}

export interface HttpOperationDeclaration<S extends z.ZodType = z.ZodType> extends FunctionDeclaration {
  family: Family;
  auth: AuthMode;
  /** One method, or several served by the same code (e.g. GET and POST of a token endpoint). */
  method: HttpMethod | readonly HttpMethod[];
  /** One route template (`/v2/{project_id}/face-sets`), or several served by the same code. */
  path: string | readonly string[];
  /** Validates the request: `{path, query, body}` (flat for the Baidu and OAuth families). */
  schema?: S;
  /** The success body, for the API description. */
  response?: z.ZodType;
  /** HTTP status of a success, for the API description (default 200; 204 has no body). */
  status?: 200 | 201 | 202 | 204;
  /** Content type of the success body when it is not JSON (a page, a script). */
  responseType?: string;
  /** Body media types accepted; default JSON (form for Baidu and OAuth). */
  bodyTypes?: readonly BodyType[];
  /** Body fields that are file parts in a multipart body (described as binary there). */
  files?: readonly string[];
  maxBodyBytes?: number;
  /** Summary line in the API description (default: the description). */
  summary?: string;
  run: (req: ApiRequest<z.output<S>>) => Promise<ApiResponse | object>;
}

export interface HttpOperation<S extends z.ZodType = z.ZodType> extends HttpOperationDeclaration<S> {
  kind: 'http';
}

/** The HTTP API's `$default` route: whatever matches no operation. */
export interface FallbackOperation extends FunctionDeclaration {
  kind: 'fallback';
  run: (event: HttpEvent, context: Context) => Promise<{ statusCode?: number; headers?: Record<string, string | number | boolean>; body?: string }>;
}

/** Runs for objects created in the bucket under a prefix (AWS's prefix/suffix rules). */
export interface S3TriggerOperation<R = unknown> extends FunctionDeclaration {
  kind: 's3';
  objects: { prefix: string; suffix?: string; event?: string };
  run: (event: S3Event, ctx: { remainingMs(): number }) => Promise<R>;
}

/** Runs on an EventBridge schedule, e.g. `rate(30 minutes)`. */
export interface ScheduledOperation<R = unknown> extends FunctionDeclaration {
  kind: 'schedule';
  schedule: string;
  run: (ctx: { remainingMs(): number }) => Promise<R>;
}

export type Operation = HttpOperation<any> | FallbackOperation | S3TriggerOperation<any> | ScheduledOperation<any>;

export const defineOperation = <S extends z.ZodType = z.ZodType>(d: HttpOperationDeclaration<S>): HttpOperation<S> => ({ kind: 'http', ...d });
export const defineFallback = (d: Omit<FallbackOperation, 'kind'>): FallbackOperation => ({ kind: 'fallback', ...d });
export const defineS3Trigger = <R>(d: Omit<S3TriggerOperation<R>, 'kind'>): S3TriggerOperation<R> => ({ kind: 's3', ...d });
export const defineSchedule = <R>(d: Omit<ScheduledOperation<R>, 'kind'>): ScheduledOperation<R> => ({ kind: 'schedule', ...d });

export const asList = <T>(v: T | readonly T[]): T[] => (Array.isArray(v) ? [...v] : [v as T]);

/** Every (method, path) pair an HTTP operation serves. */
export const routesOf = (op: HttpOperation<any>): Array<{ method: HttpMethod; path: string }> =>
  asList(op.path).flatMap((path) => asList(op.method).map((method) => ({ method, path })));

/** Time left in a Lambda invocation; Infinity when the context has no deadline (tests, scripts). */
export function remainingTime(context: Partial<Pick<Context, 'getRemainingTimeInMillis'>> | undefined): () => number {
  return () => {
    const ms = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : NaN;
    return Number.isFinite(ms) ? ms : Infinity;
  };
}
