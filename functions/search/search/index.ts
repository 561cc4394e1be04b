import { defineOperation } from '../../../lib/http/operation';
import { searchOperation } from '../../../lib/search/api';
import { engineFor } from '../../../lib/search/provider';
import { libraryKindOf } from '../kind';
import { searchResponseSchema, searchSchema } from '../../../lib/search/schema';
import { operationPaths } from '../../../lib/search/contract';

/** POST …/{same_hq,similar,product,picturebook,materiel}/search — ranked matches with paging. */
export default defineOperation({
  name: 'searchSearch',
  description: 'Image search: search a library (all kinds)',
  method: 'POST',
  path: operationPaths('search'),
  family: 'baidu',
  auth: 'baidu-token',
  schema: searchSchema,
  response: searchResponseSchema,
  run: async ({ input, projectId, stores, event }) => {
    const kind = libraryKindOf(event);
    return searchOperation(stores, engineFor, projectId, kind, input);
  },
  access: { objects: [{ prefix: 'data/', actions: ['read'] }], table: ['read'], vectors: ['read'], nativeLayer: true },
  memory: 2048,
  timeout: 29,
});
