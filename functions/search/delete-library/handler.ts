import { httpApi } from '../../../lib/http/handler';
import type { LibraryKind } from '../../../lib/search/engine';
import { deleteLibrary } from '../../../lib/search/library';
import { libraryView } from '../library-view';
import { schema } from './schema';

/** Deletes a library and every image in it (objects, vectors, items). */
export const main = httpApi({
  family: 'plain',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => ({
    library: libraryView(await deleteLibrary(stores, projectId, input.path.kind as LibraryKind)),
  }),
});
