import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { searchOperation } from '../../../lib/search/api';
import { engineFor } from '../../../lib/search/provider';
import { libraryKindOf } from '../kind';
import { searchSchema } from '../../../lib/search/schema';
import { operationPaths } from '../../../lib/search/contract';

/** A box in an image's pixels (Iris addition, similar and product libraries). */
const box = (what: string) =>
  z
    .object({ left: z.number().int(), top: z.number().int(), width: z.number().int(), height: z.number().int() })
    .describe(what);

function searchResponseSchema() {
  return z.object({
    log_id: z.number().int(),
    result_num: z.number().int(),
    has_more: z.boolean(),
    result: z.array(
      z.object({
        cont_sign: z.string(),
        score: z.number(),
        brief: z.string(),
        subject: box('Iris addition (similar, product): the main subject of the stored image, in its pixels').optional(),
      }),
    ),
    query_subject: box('Iris addition (similar, product): the main subject found in the query, in its pixels').optional(),
  });
}

/** POST …/{same_hq,similar,product,picturebook,materiel}/search — ranked matches with paging. */
export default defineOperation({
  name: 'searchSearch',
  description: 'Image search: search a library (all kinds)',
  method: 'POST',
  path: operationPaths('search'),
  family: 'baidu',
  auth: 'baidu-token',
  schema: searchSchema,
  response: searchResponseSchema(),
  run: async ({ input, projectId, stores, event }) => {
    const kind = libraryKindOf(event);
    return searchOperation(stores, await engineFor(kind), projectId, kind, input);
  },
  access: { objects: [{ prefix: 'data/', actions: ['read'] }], table: ['read'], vectors: ['read'], nativeLayer: true },
  memory: 2048,
  timeout: 29,
});
