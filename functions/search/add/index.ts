import { defineOperation } from '../../../lib/http/operation';
import { addOperation } from '../../../lib/search/api';
import { engineFor } from '../../../lib/search/provider';
import { libraryKindOf } from '../kind';
import { addSchema } from '../../../lib/search/schema';
import { operationPaths } from '../../../lib/search/contract';

/** POST …/{same_hq,similar,product,picturebook,materiel}/add — one image into the library. */
export default defineOperation({
  name: 'searchAdd',
  description: 'Image search: add an image to a library (all kinds)',
  method: 'POST',
  path: operationPaths('add'),
  family: 'baidu',
  auth: 'baidu-token',
  schema: addSchema,
  run: async ({ input, projectId, stores, event, deadline }) => {
    const kind = libraryKindOf(event);
    return addOperation(stores, engineFor, projectId, kind, input, { deadline });
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 2048,
  timeout: 29,
});
