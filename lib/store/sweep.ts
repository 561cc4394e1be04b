/**
 * The sweep of the write protocol (lib/store/write.ts), the same for every family: it removes
 * vector rows and objects that no committed item names — what a write left behind when it died
 * between its first write and its commit point, or when its undo failed. A family describes
 * where its rows and objects are and which item would own each; the rules here are shared:
 *
 * - a row or object is live when its owner item exists and names it (same write id / same key);
 * - anything younger than the grace period is kept, since it may belong to a write in flight
 *   (age comes from the write id, which carries its time, or from the store's own timestamps).
 */
import type { Item, Key, Stores } from './ports';
import { committedWrites, keyString, writeTime } from './write';

/** Longer than any function's timeout: a write older than this has finished or died. */
export const SWEEP_GRACE_MS = 15 * 60 * 1000;

export interface SweepSpec {
  /** The family's vector table, if it has one. */
  table?: {
    name: string;
    /** Columns the rules below need (id is always read). */
    columns: string[];
    /** The item that would own this row, or null when the row is not the family's to judge. */
    owner(row: Record<string, unknown>): Key | null;
    /** Whether the (existing) owner item names this row. */
    alive(row: Record<string, unknown>, owner: Item): boolean;
    /** The write id a row carries, for its age. */
    writeId(row: Record<string, unknown>): string | undefined;
  };
  objects?: {
    prefix: string;
    /** Keys the sweep must never touch (e.g. another area under the same prefix). */
    skip?: (key: string) => boolean;
  } & (
    | {
        /** The item that would own this object, or null when it is not the family's to judge. */
        owner(key: string): Key | null;
        alive(key: string, owner: Item): boolean;
        live?: never;
      }
    | {
        /** Every object key that committed items name (for families where several items share one object). */
        live(): Promise<Set<string>>;
        owner?: never;
        alive?: never;
      }
  );
}

export interface SweepResult {
  rows: number;
  objects: number;
}

export interface SweepOptions {
  now?: number;
  graceMs?: number;
}

/** The write id in an object key's file name (`…/{id}.{writeId}.{ext}`), if any. */
export function writeIdInKey(key: string): string | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  for (const part of name.split('.')) if (writeTime(part) !== undefined) return part;
  return undefined;
}

export async function sweep(stores: Stores, spec: SweepSpec, opts: SweepOptions = {}): Promise<SweepResult> {
  const now = opts.now ?? Date.now();
  const cutoff = now - (opts.graceMs ?? SWEEP_GRACE_MS);
  const result: SweepResult = { rows: 0, objects: 0 };
  const oldEnough = (writeId: string | undefined, fallback?: number) => {
    const t = (writeId && writeTime(writeId)) || fallback || 0;
    return t < cutoff;
  };

  if (spec.table) {
    const t = spec.table;
    const table = await stores.vectors.open(t.name);
    if (table) {
      const rows = await table.scan({ select: ['id', ...t.columns.filter((c) => c !== 'id')] });
      const candidates = rows
        .map((row) => ({ row, owner: t.owner(row) }))
        .filter((c): c is { row: Record<string, unknown>; owner: Key } => c.owner !== null && oldEnough(t.writeId(c.row), Number(c.row.added_at ?? 0)));
      const items = await committedWrites(stores, candidates.map((c) => c.owner));
      const dead = candidates.filter((c) => {
        const item = items.get(keyString(c.owner));
        return !item || !t.alive(c.row, item);
      });
      const ids = dead.map((c) => String(c.row.id));
      if (ids.length) await table.deleteIds(ids);
      result.rows = ids.length;
    }
  }

  if (spec.objects) {
    const o = spec.objects;
    const listed = (await stores.objects.list(o.prefix)).filter((x) => !o.skip?.(x.key) && oldEnough(writeIdInKey(x.key), x.lastModified?.getTime()));
    let stale: string[];
    if (o.live) {
      const live = await o.live();
      stale = listed.filter((x) => !live.has(x.key)).map((x) => x.key);
    } else {
      const owned = listed.map((x) => ({ key: x.key, owner: o.owner(x.key) })).filter((x): x is { key: string; owner: Key } => x.owner !== null);
      const items = await committedWrites(stores, owned.map((x) => x.owner));
      stale = owned.filter((x) => {
        const item = items.get(keyString(x.owner));
        return !item || !o.alive(x.key, item);
      }).map((x) => x.key);
    }
    if (stale.length) await stores.objects.deleteMany(stale);
    result.objects = stale.length;
  }
  return result;
}
