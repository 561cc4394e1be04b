import { defineOperation } from '../../../lib/http/operation';
import type { LibraryKind } from '../../../lib/search/engine';
import { setCapacity } from '../../../lib/search/library';
import { libraryView } from '../library-view';
import { z } from 'zod';
import { LIBRARY_KINDS, MAX_CAPACITY } from '../../../lib/search/contract';

const kind = z.enum(LIBRARY_KINDS as [string, ...string[]], { message: `kind must be one of ${LIBRARY_KINDS.join(', ')}` });

/** PUT /v1/{project_id}/image-libraries/{kind} */
const schema = z.object({
  path: z.object({ project_id: z.string(), kind }),
  body: z.object({ capacity: z.number().int().min(1).max(MAX_CAPACITY) }),
});

/** Changes a library's capacity ("扩容"); never below the images it already holds. */
export default defineOperation({
  name: 'searchUpdateLibrary',
  description: 'Image search admin: change the capacity of a library',
  method: 'PUT',
  path: '/v1/{project_id}/image-libraries/{kind}',
  family: 'plain',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => ({
    library: libraryView(await setCapacity(stores.metadata, projectId, input.path.kind as LibraryKind, input.body.capacity)),
  }),
  access: { table: ['read', 'write'] },
  memory: 256,
});
