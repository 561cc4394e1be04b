import { httpApi } from '../../../lib/http/handler';
import { listLibraries } from '../../../lib/search/library';
import { libraryView } from '../library-view';
import { schema } from './schema';

/** The project's image libraries with their capacity and image count. */
export const main = httpApi({
  family: 'plain',
  auth: 'huawei-token',
  schema,
  handler: async ({ projectId, stores }) => ({ libraries: (await listLibraries(stores.metadata, projectId)).map(libraryView) }),
});
