/**
 * ModelArts envelope `{error_code: "ModelArts.xxxx", error_msg}` with an HTTP status.
 * Known codes from ../shared/REFERENCE.md (0102, 0103, 0104, 0106, 4352, 4353); the auth codes are
 * the API gateway's (APIG.xxxx), as Huawei Cloud answers them in front of every service.
 * Unverified choices are documented in the README's error table and kept stable.
 */
import type { ErrorKind } from '../../errors';

export const modelartsCodes: Record<ErrorKind, [string, number]> = {
  AUTH_MISSING: ['APIG.1000', 401],
  AUTH_INVALID: ['APIG.0301', 401],
  AUTH_EXPIRED: ['APIG.0307', 401],
  FORBIDDEN_PROJECT: ['ModelArts.0107', 403],
  ROUTE_NOT_FOUND: ['APIG.0101', 404],
  METHOD_NOT_ALLOWED: ['APIG.0101', 405],
  BODY_NOT_JSON: ['ModelArts.0104', 400],
  BODY_TOO_LARGE: ['ModelArts.0104', 413],
  UNSUPPORTED_MEDIA_TYPE: ['ModelArts.0104', 415],
  MISSING_PARAM: ['ModelArts.0104', 400],
  BAD_PARAM: ['ModelArts.0104', 400],
  PARAM_TOO_LONG: ['ModelArts.0104', 400],
  IMAGE_EMPTY: ['ModelArts.0104', 400],
  IMAGE_BASE64: ['ModelArts.0104', 400],
  IMAGE_FORMAT: ['ModelArts.0104', 400],
  IMAGE_TOO_LARGE: ['ModelArts.0104', 400],
  IMAGE_DIMENSIONS: ['ModelArts.0104', 400],
  IMAGE_ASPECT: ['ModelArts.0104', 400],
  IMAGE_URL: ['ModelArts.0104', 400],
  NOT_FOUND: ['ModelArts.0102', 404],
  CONFLICT: ['ModelArts.0103', 400],
  QUOTA: ['ModelArts.0106', 400],
  RATE_LIMIT: ['APIG.0308', 429],
  INTERNAL: ['ModelArts.0010', 500],
};
