/**
 * The unknown-route family table, derived from the declared routes: an unknown path answers in
 * the error envelope of the API family whose routes share its prefix. A route's prefix is its
 * path up to the first named resource — the first segment that is neither a parameter nor a
 * version (`v2`, `2.0`): `/v2/{project_id}/face-sets/…` → `/v2/{}/face-sets`, `/rest/2.0/…` → `/rest`.
 */
import type { Family } from '../errors';
import { routesOf, type Operation } from './operation';

/** [prefix template with `{}` for parameters, family] */
export type RouteFamilies = Array<[string, Family]>;

const isParam = (seg: string) => /^\{.+\}$/.test(seg);
const isVersion = (seg: string) => /^v\d+$/i.test(seg) || /^\d+(\.\d+)*$/.test(seg);

export function routePrefix(template: string): string | undefined {
  const segs = template.split('/').filter(Boolean);
  const i = segs.findIndex((s) => !isParam(s) && !isVersion(s));
  if (i < 0) return undefined;
  return '/' + segs.slice(0, i + 1).map((s) => (isParam(s) ? '{}' : s)).join('/');
}

/** Every family's prefixes; throws when two families claim the same prefix. */
export function routeFamilies(ops: readonly Operation[]): RouteFamilies {
  const byPrefix = new Map<string, Family>();
  for (const op of ops) {
    if (op.kind !== 'http') continue;
    for (const { path } of routesOf(op)) {
      const prefix = routePrefix(path);
      if (!prefix) continue;
      const known = byPrefix.get(prefix);
      if (known && known !== op.family) throw new Error(`routes under ${prefix} belong to two API families (${known}, ${op.family}): give one of them its own prefix`);
      byPrefix.set(prefix, op.family);
    }
  }
  return [...byPrefix].filter(([, f]) => f !== 'plain').sort((a, b) => b[0].split('/').length - a[0].split('/').length);
}

/** The family an unknown path belongs to ('plain' when no family's prefix matches). */
export function familyOf(path: string, table: RouteFamilies): Family {
  const segs = path.split('/').filter(Boolean);
  for (const [prefix, family] of table) {
    const p = prefix.split('/').filter(Boolean);
    if (p.length <= segs.length && p.every((s, i) => s === '{}' || s === segs[i])) return family;
  }
  return 'plain';
}

/** The environment variable that carries the table to the `$default` route's Lambda. */
export const ROUTE_FAMILIES_ENV = 'IRIS_ROUTE_FAMILIES';
