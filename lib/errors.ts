/**
 * Typed domain errors. Domain code throws an `IrisError` with a family-neutral `kind`;
 * each API family's envelope (lib/http/families) maps the kind to its own wire code.
 * Where a family has a more specific code than the kind's default (e.g. Baidu 216681
 * "item has existed"), the thrower passes it in `codes`.
 */
export type ErrorKind =
  | 'AUTH_MISSING' // no token / credentials
  | 'AUTH_INVALID' // token unknown or malformed
  | 'AUTH_EXPIRED' // token past its expiry
  | 'FORBIDDEN_PROJECT' // path project_id is not the caller's
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'BODY_NOT_JSON' // malformed JSON / form body
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'MISSING_PARAM'
  | 'BAD_PARAM'
  | 'PARAM_TOO_LONG'
  | 'IMAGE_EMPTY'
  | 'IMAGE_BASE64' // base64 decode failed
  | 'IMAGE_FORMAT' // not a supported format / undecodable
  | 'IMAGE_TOO_LARGE' // encoded bytes over the cap
  | 'IMAGE_DIMENSIONS' // width/height out of range
  | 'IMAGE_ASPECT' // aspect ratio out of range
  | 'IMAGE_URL' // URL refused, unreachable or not an image
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'QUOTA'
  | 'RATE_LIMIT'
  | 'INTERNAL';

/** API families, each with its own error envelope (lib/http/envelope.ts). */
export type Family = 'baidu' | 'frs' | 'modelarts' | 'predict' | 'oauth' | 'iam' | 'plain';

export interface IrisErrorOptions {
  /** Name of the offending request field, used in messages. */
  field?: string;
  /** Family-specific wire codes that override the kind's default mapping. */
  codes?: Partial<Record<Family, string | number>>;
  /** HTTP status override for the families that use HTTP status codes. */
  status?: number;
  cause?: unknown;
}

export class IrisError extends Error {
  readonly kind: ErrorKind;
  readonly field?: string;
  readonly codes: Partial<Record<Family, string | number>>;
  readonly status?: number;

  constructor(kind: ErrorKind, message: string, options: IrisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IrisError';
    this.kind = kind;
    this.field = options.field;
    this.codes = options.codes ?? {};
    this.status = options.status;
  }
}

export const isIrisError = (e: unknown): e is IrisError => e instanceof IrisError;
