import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { IrisError } from '../../../lib/errors';
import { LIBRARY_KINDS, MAX_DELETE_SIGNS } from '../../../lib/search/contract';
import type { LibraryKind } from '../../../lib/search/engine';
import { itemMatches, type Filter } from '../../../lib/search/images';
import { getLibrary } from '../../../lib/search/library';
import { imageIdOf, parseClassId, parseContSignList, parseTagLogic, parseTags } from '../../../lib/search/params';
import { libraryKeys } from '../../../lib/store/keys';
import type { Item, Stores } from '../../../lib/store/ports';
import { queryPages } from '../../../lib/store/query';

/** Items per page: at most this many (the console shows 24). */
export const MAX_LIMIT = 100;
/** How far `offset` may reach: paging reads every item before the offset. */
export const MAX_OFFSET = 100_000;
/** Presigned image URLs last this long. */
const URL_SECONDS = 900;

const kind = z.enum(LIBRARY_KINDS as [string, ...string[]], { message: `kind must be one of ${LIBRARY_KINDS.join(', ')}` });
const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `${name} must be an integer in ${min}..${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `${name} must be an integer in ${min}..${max}` });

/** GET /v1/{project_id}/image-libraries/{kind}/images?offset&limit&tags&tag_logic&class_id1&class_id2&cont_sign */
const schema = z.object({
  path: z.object({ project_id: z.string(), kind }),
  query: z.object({
    offset: integer('offset', 0, MAX_OFFSET).optional(),
    limit: integer('limit', 1, MAX_LIMIT).optional(),
    tags: z.string().max(64).optional(),
    tag_logic: z.string().max(4).optional(),
    class_id1: z.string().max(4).optional(),
    class_id2: z.string().max(4).optional(),
    cont_sign: z.string().max(MAX_DELETE_SIGNS * 24).optional(),
  }),
});

const itemSchema = z.object({
  cont_sign: z.string(),
  brief: z.string(),
  tags: z.array(z.number().int()),
  class_id1: z.number().int().optional(),
  class_id2: z.number().int().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  format: z.string().optional(),
  create_date: z.string(),
  image_url: z.string(),
  thumbnail_url: z.string(),
});

const view = async (stores: Stores, item: Item) => ({
  cont_sign: String(item.contSign),
  brief: String(item.brief ?? ''),
  tags: Array.isArray(item.tags) ? (item.tags as unknown[]).map(Number) : [],
  ...(item.class_id1 !== undefined ? { class_id1: Number(item.class_id1) } : {}),
  ...(item.class_id2 !== undefined ? { class_id2: Number(item.class_id2) } : {}),
  ...(item.width !== undefined ? { width: Number(item.width) } : {}),
  ...(item.height !== undefined ? { height: Number(item.height) } : {}),
  ...(item.format !== undefined ? { format: String(item.format) } : {}),
  create_date: String(item.createdAt),
  image_url: await stores.objects.presignGet(String(item.objectKey), URL_SECONDS),
  // Images added before thumbnails were stored have none: their thumbnail is the image itself.
  thumbnail_url: await stores.objects.presignGet(String(item.thumbnailKey ?? item.objectKey), URL_SECONDS),
});

/**
 * The images of a library, a page at a time (Iris's own operation: the Baidu API has no list).
 * Items come in the table's key order (by image id), filtered like a search (tags with
 * tag_logic, product class ids); `cont_sign` (up to 100, `;`-separated) asks for those images
 * only, e.g. to show the hits of a search. Each item carries presigned GET URLs (15 minutes) of
 * the stored image and of its thumbnail (at most 320 px, stored with the image when it was added).
 */
export default defineOperation({
  name: 'searchListImages',
  description: 'Image search admin: list the images of a library, paged, with presigned image URLs',
  method: 'GET',
  path: '/v1/{project_id}/image-libraries/{kind}/images',
  family: 'plain',
  auth: 'huawei-token',
  schema,
  response: z.object({
    kind: z.string(),
    image_count: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    has_more: z.boolean(),
    images: z.array(itemSchema),
  }),
  run: async ({ input, projectId, stores }) => {
    const q = input.query;
    const lib = await getLibrary(stores.metadata, projectId, input.path.kind as LibraryKind);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 20;
    const filter: Filter = {
      tags: parseTags(q.tags),
      logic: parseTagLogic(q.tag_logic),
      classId1: parseClassId(q.class_id1, 'class_id1'),
      classId2: parseClassId(q.class_id2, 'class_id2'),
    };
    const page = { kind: lib.kind, image_count: lib.count, offset, limit };
    if (q.cont_sign !== undefined) {
      const signs = parseContSignList(q.cont_sign);
      const keys = signs.map((s) => libraryKeys.image(projectId, lib.kind, lib.generation, imageIdOf(s)));
      const found = new Map((await stores.metadata.batchGet(keys)).map((i) => [String(i.contSign), i]));
      const items = signs.flatMap((s) => (found.has(s) && itemMatches(filter, found.get(s)!) ? [found.get(s)!] : []));
      return { ...page, has_more: false, images: await Promise.all(items.map((i) => view(stores, i))) };
    }
    if (offset + limit > MAX_OFFSET + MAX_LIMIT) throw new IrisError('BAD_PARAM', `offset + limit must stay within ${MAX_OFFSET + MAX_LIMIT}`, { field: 'offset' });
    const out: Item[] = [];
    let skipped = 0;
    let hasMore = false;
    outer: for await (const items of queryPages(stores.metadata, { pk: libraryKeys.imagePartition(projectId, lib.kind, lib.generation) })) {
      for (const item of items) {
        if (!String(item.sk).startsWith('IMG#') || !itemMatches(filter, item)) continue;
        if (skipped < offset) {
          skipped++;
          continue;
        }
        if (out.length === limit) {
          hasMore = true;
          break outer;
        }
        out.push(item);
      }
    }
    return { ...page, has_more: hasMore, images: await Promise.all(out.map((i) => view(stores, i))) };
  },
  access: { objects: [{ prefix: 'data/', actions: ['read'] }], table: ['read'] },
  memory: 256,
});
