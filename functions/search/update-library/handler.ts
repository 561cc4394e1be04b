import { httpApi } from '../../../lib/http/handler';
import type { LibraryKind } from '../../../lib/search/engine';
import { setCapacity } from '../../../lib/search/library';
import { libraryView } from '../library-view';
import { schema } from './schema';

/** Changes a library's capacity ("扩容"); never below the images it already holds. */
export const main = httpApi({
  family: 'plain',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => ({
    library: libraryView(await setCapacity(stores.metadata, projectId, input.path.kind as LibraryKind, input.body.capacity)),
  }),
});
