import { httpApi } from '../../../lib/http/handler';
import type { LibraryKind } from '../../../lib/search/engine';
import { createLibrary } from '../../../lib/search/library';
import { libraryView } from '../library-view';
import { schema } from './schema';

/** Provisions the project's library of a kind ("建库"), with a capacity (default 500,000). */
export const main = httpApi({
  family: 'plain',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const lib = await createLibrary(stores.metadata, projectId, input.body.kind as LibraryKind, input.body.capacity);
    return { statusCode: 201, body: { library: libraryView(lib) } };
  },
});
