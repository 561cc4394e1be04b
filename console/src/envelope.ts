/** Iris's error envelopes, read into one error type (no DOM here: the unit tests import it). */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string | number,
  ) {
    super(message);
  }
}

/** The message and code of any Iris error envelope (Baidu, FRS, ModelArts, predict, IAM, OAuth, plain). */
export function envelopeError(body: any, status: number): ApiError | null {
  if (!body || typeof body !== 'object') return status >= 400 ? new ApiError(`HTTP ${status}`, status) : null;
  if (body.error_code !== undefined && body.error_code !== 0 && body.error_code !== '0') {
    return new ApiError(String(body.error_msg ?? body.error_code), status, body.error_code);
  }
  // The predict API answers its refusals with HTTP 200 and {code, message} (10000 is success).
  if (typeof body.code === 'number' && body.code !== 10000 && typeof body.message === 'string' && !('predictResult' in body)) {
    return new ApiError(body.message, status, body.code);
  }
  if (status < 400) return null;
  if (body.error && typeof body.error === 'object') return new ApiError(String(body.error.message ?? body.error.title ?? `HTTP ${status}`), status, body.error.code);
  if (typeof body.error === 'string') return new ApiError(String(body.error_description ?? body.error), status, body.error);
  if (body.message) return new ApiError(String(body.message), status, body.code);
  return new ApiError(`HTTP ${status}`, status);
}

