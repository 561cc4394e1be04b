import { httpApi } from '../../../lib/http/handler';
import type { LibraryKind } from '../../../lib/search/engine';
import { getLibrary } from '../../../lib/search/library';
import { sweepLibrary } from '../../../lib/search/sweep';
import { libraryView } from '../library-view';
import { schema } from './schema';

/** Removes the leftovers of adds that died before their commit point (rows, objects without an item). */
export const main = httpApi({
  family: 'plain',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const lib = await getLibrary(stores.metadata, projectId, input.path.kind as LibraryKind);
    const removed = await sweepLibrary(stores, lib);
    return { library: libraryView(lib), removed };
  },
});
