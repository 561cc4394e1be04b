import { defineOperation } from '../../../lib/http/operation';
import { deleteOperation } from '../../../lib/search/api';
import { libraryKindOf } from '../kind';
import { deleteSchema } from '../../../lib/search/schema';
import { operationPaths } from '../../../lib/search/contract';

/** POST …/{kind}/delete — by image, url, or up to 100 cont_signs separated by ';'. */
export default defineOperation({
  name: 'searchDelete',
  description: 'Image search: delete images from a library (all kinds)',
  method: 'POST',
  path: operationPaths('delete'),
  family: 'baidu',
  auth: 'baidu-token',
  schema: deleteSchema,
  run: async ({ input, projectId, stores, event }) => deleteOperation(stores, projectId, libraryKindOf(event), input),
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 1024,
  timeout: 29,
});
