import { defineOperation } from '../../../lib/http/operation';
import type { LibraryKind } from '../../../lib/search/engine';
import { createLibrary } from '../../../lib/search/library';
import { libraryView, libraryViewSchema } from '../library-view';
import { z } from 'zod';
import { LIBRARY_KINDS, MAX_CAPACITY } from '../../../lib/search/contract';

/** POST /v1/{project_id}/image-libraries */
const schema = z.object({
  path: z.object({ project_id: z.string() }),
  body: z.object({
    kind: z.enum(LIBRARY_KINDS as [string, ...string[]], { message: `kind must be one of ${LIBRARY_KINDS.join(', ')}` }),
    capacity: z.number().int().min(1).max(MAX_CAPACITY).optional(),
  }),
});

/** Provisions the project's library of a kind ("建库"), with a capacity (default 500,000). */
export default defineOperation({
  name: 'searchCreateLibrary',
  description: 'Image search admin: provision a library of a kind',
  method: 'POST',
  path: '/v1/{project_id}/image-libraries',
  family: 'plain',
  auth: 'huawei-token',
  schema,
  status: 201,
  response: z.object({ library: libraryViewSchema }),
  run: async ({ input, projectId, stores }) => {
    const lib = await createLibrary(stores.metadata, projectId, input.body.kind as LibraryKind, input.body.capacity);
    return { statusCode: 201, body: { library: libraryView(lib) } };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
});
