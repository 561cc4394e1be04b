/** Request validation from an operation's zod schema, with the offending field named. */
import type { z } from 'zod';
import { IrisError } from '../errors';

const lookup = (data: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), data);

/** Drops the request part ("body", "query", "path") from names shown to clients. */
const fieldName = (path: PropertyKey[]): string => {
  const p = path.map(String);
  if (p.length > 1 && ['body', 'query', 'path'].includes(p[0])) p.shift();
  return p.join('.') || 'body';
};

/**
 * A rule across fields, as a zod refinement that answers with the operation's own error
 * (kind, code and message) instead of a generic "param invalid":
 *   schema.superRefine(rule((input) => ok, () => frsError.badParam('face_id', '…')))
 */
export function rule<T>(holds: (value: T) => boolean, error: () => IrisError) {
  return (value: T, ctx: z.RefinementCtx<T>): void => {
    if (holds(value)) return;
    const e = error();
    ctx.addIssue({ code: 'custom', message: e.message, params: { irisError: e } });
  };
}

export function validate<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const ruled = issue.code === 'custom' ? (issue.params as { irisError?: unknown } | undefined)?.irisError : undefined;
  if (ruled instanceof IrisError) throw ruled;
  const field = fieldName(issue.path);
  const value = lookup(data, issue.path);
  if ((value === undefined || value === null || value === '') && (issue.code === 'invalid_type' || issue.code === 'too_small')) {
    throw new IrisError('MISSING_PARAM', `param ${field} not exist`, { field });
  }
  if (issue.code === 'too_big' && typeof value === 'string') {
    throw new IrisError('PARAM_TOO_LONG', `param ${field} too long: ${issue.message}`, { field });
  }
  throw new IrisError('BAD_PARAM', `param ${field} invalid: ${issue.message}`, { field });
}
