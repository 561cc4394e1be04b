import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { IrisError, type Family } from '../../../lib/errors';
import { newLogId } from '../../../lib/http/families/baidu';
import { errorEnvelope } from '../../../lib/http/envelope';
import type { HttpEvent } from '../../../lib/http/request';

/** The family a path belongs to, so that even an unknown route answers in the caller's dialect. */
export function familyOf(path: string): Family {
  if (path.startsWith('/rest/2.0/')) return 'baidu';
  if (path.startsWith('/oauth/')) return 'oauth';
  if (/^\/v2\/[^/]+\/face-sets/.test(path)) return 'frs';
  if (/^\/v2\/[^/]+\/(datasets|hard-sample)/.test(path)) return 'modelarts';
  if (path.startsWith('/v1/predict') || path.startsWith('/predict')) return 'predict';
  return 'plain';
}

/** The HTTP API's $default route: unknown routes and wrong methods. */
export const main = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  const path = event.rawPath ?? '/';
  const method = event.requestContext?.http?.method ?? 'GET';
  const err = new IrisError('ROUTE_NOT_FOUND', `no operation at ${method} ${path}`);
  return errorEnvelope(familyOf(path), err, { logId: newLogId(), requestId: event.requestContext?.requestId ?? context.awsRequestId });
};
