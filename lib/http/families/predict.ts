/**
 * Classification predict envelope `{code, message}`, from the image classification API's
 * documentation (图像分类接口文档, "错误码"): 10000 is success; 10310/10311 missing / invalid
 * parameter, 10440–10443 image format / size / pixel dimensions / aspect ratio, -2 internal.
 */
import type { ErrorKind, IrisError } from '../../errors';

export const PREDICT_OK = 10000;

export const predictCodes: Record<ErrorKind, number> = {
  AUTH_MISSING: 2000,
  AUTH_INVALID: 2000,
  AUTH_EXPIRED: 2000,
  FORBIDDEN_PROJECT: 2000,
  ROUTE_NOT_FOUND: 1100,
  METHOD_NOT_ALLOWED: 1100,
  BODY_NOT_JSON: 10311,
  BODY_TOO_LARGE: 10441,
  UNSUPPORTED_MEDIA_TYPE: 10311,
  MISSING_PARAM: 10310,
  BAD_PARAM: 10311,
  PARAM_TOO_LONG: 10311,
  IMAGE_EMPTY: 10310,
  IMAGE_BASE64: 10311,
  IMAGE_FORMAT: 10440,
  IMAGE_TOO_LARGE: 10441,
  IMAGE_DIMENSIONS: 10442,
  IMAGE_ASPECT: 10443,
  IMAGE_URL: 10311,
  NOT_FOUND: 10311,
  CONFLICT: 10311,
  QUOTA: 2100,
  RATE_LIMIT: 2100,
  INTERNAL: -2,
};

export const predictEnvelope = (err: IrisError, message: string) => ({
  status: err.kind === 'INTERNAL' ? 500 : 200,
  body: { code: Number(err.codes.predict ?? predictCodes[err.kind]), message },
});
