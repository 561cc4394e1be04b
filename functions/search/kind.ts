/** The library kind a request addresses, from its path (one function serves the five kinds). */
import { IrisError } from '../../lib/errors';
import type { HttpEvent } from '../../lib/http/request';
import { kindOfPath } from '../../lib/search/contract';
import type { LibraryKind } from '../../lib/search/engine';

export function libraryKindOf(event: HttpEvent): LibraryKind {
  const kind = kindOfPath(event.rawPath ?? event.requestContext?.http?.path);
  if (!kind) throw new IrisError('ROUTE_NOT_FOUND', `no image library at ${event.rawPath ?? ''}`);
  return kind;
}
