import { defineOperation } from '../../../lib/http/operation';
import { updateOperation } from '../../../lib/search/api';
import { libraryKindOf } from '../kind';
import { updateSchema } from '../../../lib/search/schema';
import { operationPaths } from '../../../lib/search/contract';

/** POST …/{kind}/update — new brief and/or tags (class ids) of an image, by image > url > cont_sign. */
export default defineOperation({
  name: 'searchUpdate',
  description: 'Image search: update the brief / tags of an image (all kinds)',
  method: 'POST',
  path: operationPaths('update'),
  family: 'baidu',
  auth: 'baidu-token',
  schema: updateSchema,
  run: async ({ input, projectId, stores, event }) => updateOperation(stores, projectId, libraryKindOf(event), input),
  access: { table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 1024,
  timeout: 29,
});
