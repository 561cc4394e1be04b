import { httpApi } from '../../../lib/http/handler';
import { searchOperation } from '../../../lib/search/api';
import { engineFor } from '../../../lib/search/provider';
import { libraryKindOf } from '../kind';
import { schema } from './schema';

/** POST …/{same_hq,similar,product,picturebook,materiel}/search — ranked matches with paging. */
export const main = httpApi({
  family: 'baidu',
  auth: 'baidu-token',
  schema,
  handler: async ({ input, projectId, stores, event }) => {
    const kind = libraryKindOf(event);
    return searchOperation(stores, await engineFor(kind), projectId, kind, input);
  },
});
