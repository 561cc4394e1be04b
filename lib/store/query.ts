/**
 * Reading a whole partition: every page of a Query, in order. One place instead of a
 * `while (cursor)` loop in each domain module.
 */
import type { Item, MetadataStore, QueryOptions } from './ports';

/** Every page of a query, one at a time (stops early when the caller breaks out). */
export async function* queryPages(metadata: MetadataStore, opts: Omit<QueryOptions, 'cursor'>): AsyncGenerator<Item[]> {
  let cursor: string | undefined;
  do {
    const page = await metadata.query({ ...opts, cursor });
    yield page.items;
    cursor = page.cursor;
  } while (cursor);
}

/** Every item of a query; `max` stops reading once that many are in hand. */
export async function queryAll(metadata: MetadataStore, opts: Omit<QueryOptions, 'cursor'>, max = Infinity): Promise<Item[]> {
  const out: Item[] = [];
  for await (const items of queryPages(metadata, opts)) {
    out.push(...items);
    if (out.length >= max) break;
  }
  return out;
}
