/**
 * The sweep of the write protocol: removes what an add left behind when it died between its
 * first write and its commit point (vector rows and objects of an image with no item). Rows and
 * objects younger than the grace period may belong to an add still in flight and are kept.
 */
import { libraryKeys } from '../store/keys';
import { sqlString } from '../store/lancedb';
import type { Stores } from '../store/ports';
import { libraryObjectPrefix, libraryTable, type Library } from './library';

export const SWEEP_GRACE_MS = 15 * 60 * 1000;

export interface SweepResult {
  rows: number;
  objects: number;
}

async function committed(stores: Stores, lib: Library, imageIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < imageIds.length; i += 100) {
    const items = await stores.metadata.batchGet(imageIds.slice(i, i + 100).map((id) => libraryKeys.image(lib.projectId, lib.kind, lib.generation, id)));
    for (const it of items) found.add(String(it.imageId));
  }
  return found;
}

export async function sweepLibrary(stores: Stores, lib: Library, opts: { now?: number; graceMs?: number } = {}): Promise<SweepResult> {
  const cutoff = (opts.now ?? Date.now()) - (opts.graceMs ?? SWEEP_GRACE_MS);
  const result: SweepResult = { rows: 0, objects: 0 };

  const table = await stores.vectors.open(libraryTable(lib));
  if (table) {
    const newest = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const r of await table.scan({ select: ['item', 'added_at'] })) {
      const id = String(r.item);
      newest.set(id, Math.max(newest.get(id) ?? 0, Number(r.added_at ?? 0)));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const live = await committed(stores, lib, [...newest.keys()]);
    const orphans = [...newest].filter(([id, at]) => !live.has(id) && at < cutoff).map(([id]) => id);
    for (let i = 0; i < orphans.length; i += 200) {
      const chunk = orphans.slice(i, i + 200);
      await table.deleteWhere(`item IN (${chunk.map(sqlString).join(', ')})`);
      result.rows += chunk.reduce((n, id) => n + (counts.get(id) ?? 0), 0);
    }
  }

  const prefix = libraryObjectPrefix(lib);
  const objects = await stores.objects.list(prefix);
  const idOf = (key: string) => key.slice(prefix.length).split('.')[0];
  const live = await committed(stores, lib, [...new Set(objects.map((o) => idOf(o.key)))]);
  const stale = objects.filter((o) => !live.has(idOf(o.key)) && (o.lastModified?.getTime() ?? 0) < cutoff).map((o) => o.key);
  if (stale.length) await stores.objects.deleteMany(stale);
  result.objects = stale.length;
  return result;
}
