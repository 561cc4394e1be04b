import { defineOperation } from '../../../lib/http/operation';
import type { LibraryKind } from '../../../lib/search/engine';
import { getLibrary } from '../../../lib/search/library';
import { sweepLibrary } from '../../../lib/search/sweep';
import { libraryView } from '../library-view';
import { z } from 'zod';
import { LIBRARY_KINDS } from '../../../lib/search/contract';

/** POST /v1/{project_id}/image-libraries/{kind}/sweep */
const schema = z.object({
  path: z.object({
    project_id: z.string(),
    kind: z.enum(LIBRARY_KINDS as [string, ...string[]], { message: `kind must be one of ${LIBRARY_KINDS.join(', ')}` }),
  }),
});

/** Removes the leftovers of adds that died before their commit point (rows, objects without an item). */
export default defineOperation({
  name: 'searchSweepLibrary',
  description: 'Image search admin: remove leftovers of interrupted adds from a library',
  method: 'POST',
  path: '/v1/{project_id}/image-libraries/{kind}/sweep',
  family: 'plain',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const lib = await getLibrary(stores.metadata, projectId, input.path.kind as LibraryKind);
    const removed = await sweepLibrary(stores, lib);
    return { library: libraryView(lib), removed };
  },
  access: { objects: [{ prefix: 'data/', actions: ['list', 'delete'] }], table: ['read'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 1024,
  timeout: 29,
});
