import { httpApi } from '../../../lib/http/handler';
import { updateOperation } from '../../../lib/search/api';
import { libraryKindOf } from '../kind';
import { schema } from './schema';

/** POST …/{kind}/update — new brief and/or tags (class ids) of an image, by image > url > cont_sign. */
export const main = httpApi({
  family: 'baidu',
  auth: 'baidu-token',
  schema,
  handler: async ({ input, projectId, stores, event }) => updateOperation(stores, projectId, libraryKindOf(event), input),
});
