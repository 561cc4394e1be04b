/** Huawei FRS envelope `{error_code: "FRS.xxxx", error_msg}` with an HTTP status (../shared/REFERENCE.md). */
import type { ErrorKind } from '../../errors';

export const frsCodes: Record<ErrorKind, [string, number]> = {
  AUTH_MISSING: ['FRS.0010', 400],
  AUTH_INVALID: ['FRS.0002', 403],
  AUTH_EXPIRED: ['FRS.0002', 403],
  FORBIDDEN_PROJECT: ['FRS.0028', 403],
  ROUTE_NOT_FOUND: ['FRS.0020', 404],
  METHOD_NOT_ALLOWED: ['FRS.0020', 405],
  BODY_NOT_JSON: ['FRS.0014', 400],
  BODY_TOO_LARGE: ['FRS.0017', 400],
  UNSUPPORTED_MEDIA_TYPE: ['FRS.0014', 400],
  MISSING_PARAM: ['FRS.0011', 400],
  BAD_PARAM: ['FRS.0012', 400],
  PARAM_TOO_LONG: ['FRS.0012', 400],
  IMAGE_EMPTY: ['FRS.0011', 400],
  IMAGE_BASE64: ['FRS.0015', 400],
  IMAGE_FORMAT: ['FRS.0016', 400],
  IMAGE_TOO_LARGE: ['FRS.0013', 400],
  IMAGE_DIMENSIONS: ['FRS.0013', 400],
  IMAGE_ASPECT: ['FRS.0013', 400],
  IMAGE_URL: ['FRS.0022', 400],
  NOT_FOUND: ['FRS.0302', 400],
  CONFLICT: ['FRS.0301', 400],
  QUOTA: ['FRS.0306', 403],
  RATE_LIMIT: ['FRS.0033', 429],
  INTERNAL: ['FRS.0018', 500],
};
