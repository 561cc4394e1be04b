import { defineOperation } from '../../../lib/http/operation';
import { listLibraries } from '../../../lib/search/library';
import { libraryView, libraryViewSchema } from '../library-view';
import { z } from 'zod';

/** GET /v1/{project_id}/image-libraries */
const schema = z.object({ path: z.object({ project_id: z.string() }) });

/** The project's image libraries with their capacity and image count. */
export default defineOperation({
  name: 'searchListLibraries',
  description: 'Image search admin: list libraries with their counts',
  method: 'GET',
  path: '/v1/{project_id}/image-libraries',
  family: 'plain',
  auth: 'huawei-token',
  schema,
  response: z.object({ libraries: z.array(libraryViewSchema) }),
  run: async ({ projectId, stores }) => ({ libraries: (await listLibraries(stores.metadata, projectId)).map(libraryView) }),
  access: { table: ['read'] },
  memory: 256,
});
