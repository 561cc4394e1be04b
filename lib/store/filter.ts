/**
 * The typed row filter of the vector port (lib/store/ports.ts `VectorFilter`): domain code builds
 * one of these instead of a query string, the LanceDB adapter renders it as SQL
 * (lib/store/lancedb.ts `toSql`) and the in-memory adapter evaluates it (`rowMatches`).
 *
 * Semantics, the same in both: a comparison with a missing (null) value is false; `not` is true
 * where its filter is not true (so a row without the column matches `not: {eq: …}`); a `range`
 * without bounds matches the rows where the column has a value; `and: []` matches everything and
 * `or: []` nothing.
 */
import type { VectorFilter, VectorScalar } from './ports';

export type { VectorFilter, VectorScalar } from './ports';

/** Column names a filter may name (they are rendered into SQL unquoted). */
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkColumn(name: string): string {
  if (!COLUMN.test(name)) throw new Error(`invalid filter column: ${name}`);
  return name;
}

/** Rows' values as comparable numbers or strings (bigints from Arrow become numbers). */
const norm = (v: unknown): string | number | boolean | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
};

const equal = (a: unknown, b: VectorScalar): boolean => {
  const x = norm(a);
  const y = norm(b);
  if (x === null || y === null) return false;
  if (typeof x === 'boolean' || typeof y === 'boolean') return Number(x) === Number(y);
  return x === y;
};

/** Whether a row satisfies a filter (the in-memory adapter's evaluation of what `toSql` renders). */
export function rowMatches(f: VectorFilter, row: Record<string, unknown>): boolean {
  if ('eq' in f) return Object.entries(f.eq).every(([c, v]) => equal(row[checkColumn(c)], v));
  if ('in' in f) return Object.entries(f.in).every(([c, vs]) => vs.some((v) => equal(row[checkColumn(c)], v)));
  if ('range' in f) {
    return Object.entries(f.range).every(([c, r]) => {
      const x = norm(row[checkColumn(c)]);
      if (x === null) return false;
      const n = typeof x === 'number' ? x : Number(x);
      return (r.gt === undefined || n > r.gt) && (r.gte === undefined || n >= r.gte) && (r.lt === undefined || n < r.lt) && (r.lte === undefined || n <= r.lte);
    });
  }
  if ('not' in f) return !rowMatches(f.not, row);
  if ('and' in f) return f.and.every((g) => rowMatches(g, row));
  return f.or.some((g) => rowMatches(g, row));
}
