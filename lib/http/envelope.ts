/**
 * The one place where errors become wire envelopes, per API family. Nothing from an unknown
 * error (message, stack) ever reaches a client: it is logged and answered as the family's
 * internal-error code.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { IrisError, type ErrorKind, type Family } from '../errors';
import { baiduEnvelope } from './families/baidu';
import { frsEnvelope } from './families/frs';
import { modelartsEnvelope } from './families/modelarts';
import { predictEnvelope } from './families/predict';

export const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' } as const;

const INTERNAL_MESSAGE = 'internal error, please retry later';

export interface EnvelopeContext {
  logId: number;
  requestId: string;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** Normalises anything thrown into an IrisError; unknown errors become INTERNAL with a safe message. */
export function toIrisError(err: unknown): IrisError {
  if (err instanceof IrisError) return err;
  return new IrisError('INTERNAL', INTERNAL_MESSAGE, { cause: err });
}

function statusFor(kind: ErrorKind): number {
  switch (kind) {
    case 'AUTH_MISSING':
    case 'AUTH_INVALID':
    case 'AUTH_EXPIRED':
      return 401;
    case 'FORBIDDEN_PROJECT':
      return 403;
    case 'ROUTE_NOT_FOUND':
    case 'NOT_FOUND':
      return 404;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'BODY_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMIT':
      return 429;
    case 'INTERNAL':
      return 500;
    default:
      return 400;
  }
}

/** The envelope builder of each family whose codes live in its contract module (lib/{search,faces,datasets}/contract.ts). */
const FAMILY_ENVELOPES: Record<'baidu' | 'frs' | 'modelarts' | 'predict', (err: IrisError, message: string, logId: number) => { status: number; body: unknown }> = {
  baidu: baiduEnvelope,
  frs: frsEnvelope,
  modelarts: modelartsEnvelope,
  predict: predictEnvelope,
};

export function errorEnvelope(family: Family, error: unknown, ctx: EnvelopeContext): APIGatewayProxyStructuredResultV2 {
  const err = toIrisError(error);
  const message = err.kind === 'INTERNAL' ? INTERNAL_MESSAGE : err.message;
  const headers = { 'x-request-id': ctx.requestId };
  switch (family) {
    case 'baidu':
    case 'frs':
    case 'modelarts':
    case 'predict': {
      const { status, body } = FAMILY_ENVELOPES[family](err, message, ctx.logId);
      return json(status, body, headers);
    }
    case 'oauth': {
      // OAuth 2.0 token endpoint errors (RFC 6749 §5.2), as Baidu's token endpoint answers them.
      const error = err.kind === 'AUTH_INVALID' || err.kind === 'AUTH_MISSING' ? 'invalid_client' : err.kind === 'INTERNAL' ? 'server_error' : 'invalid_request';
      return json(err.status ?? (error === 'invalid_client' ? 401 : statusFor(err.kind)), { error, error_description: message }, headers);
    }
    case 'iam': {
      const status = err.status ?? statusFor(err.kind);
      const title = status === 401 ? 'Unauthorized' : status === 500 ? 'Internal Server Error' : 'Bad Request';
      return json(status, { error: { code: String(status), title, message } }, headers);
    }
    default:
      return json(err.status ?? statusFor(err.kind), { error_code: err.kind, error_msg: message, request_id: ctx.requestId }, headers);
  }
}
