import { httpApi } from '../../../lib/http/handler';
import { deleteOperation } from '../../../lib/search/api';
import { libraryKindOf } from '../kind';
import { schema } from './schema';

/** POST …/{kind}/delete — by image, url, or up to 100 cont_signs separated by ';'. */
export const main = httpApi({
  family: 'baidu',
  auth: 'baidu-token',
  schema,
  handler: async ({ input, projectId, stores, event }) => deleteOperation(stores, projectId, libraryKindOf(event), input),
});
