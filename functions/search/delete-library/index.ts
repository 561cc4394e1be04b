import { defineOperation } from '../../../lib/http/operation';
import type { LibraryKind } from '../../../lib/search/engine';
import { deleteLibrary } from '../../../lib/search/library';
import { libraryView } from '../library-view';
import { z } from 'zod';
import { LIBRARY_KINDS } from '../../../lib/search/contract';

/** DELETE /v1/{project_id}/image-libraries/{kind} */
const schema = z.object({
  path: z.object({
    project_id: z.string(),
    kind: z.enum(LIBRARY_KINDS as [string, ...string[]], { message: `kind must be one of ${LIBRARY_KINDS.join(', ')}` }),
  }),
});

/** Deletes a library and every image in it (objects, vectors, items). */
export default defineOperation({
  name: 'searchDeleteLibrary',
  description: 'Image search admin: delete a library and its images',
  method: 'DELETE',
  path: '/v1/{project_id}/image-libraries/{kind}',
  family: 'plain',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => ({
    library: libraryView(await deleteLibrary(stores, projectId, input.path.kind as LibraryKind)),
  }),
  // The API answers within API Gateway's 30 s; a big purge keeps running to completion (its
  // library item is gone first, so an interrupted purge only leaves unreachable data).
  access: { objects: [{ prefix: 'data/', actions: ['list', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 1024,
  timeout: 900,
});
