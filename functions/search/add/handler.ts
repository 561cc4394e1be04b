import { httpApi } from '../../../lib/http/handler';
import { addOperation } from '../../../lib/search/api';
import { engineFor } from '../../../lib/search/provider';
import { libraryKindOf } from '../kind';
import { schema } from './schema';

/** POST …/{same_hq,similar,product,picturebook,materiel}/add — one image into the library. */
export const main = httpApi({
  family: 'baidu',
  auth: 'baidu-token',
  schema,
  handler: async ({ input, projectId, stores, event }) => {
    const kind = libraryKindOf(event);
    return addOperation(stores, await engineFor(kind), projectId, kind, input);
  },
});
