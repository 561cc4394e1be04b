import { z } from 'zod';
import { LIBRARY_KINDS } from '../../lib/search/contract';
import type { Library } from '../../lib/search/library';

/** A library as the admin API shows it. */
export const libraryView = (lib: Library) => ({
  kind: lib.kind,
  capacity: lib.capacity,
  image_count: lib.count,
  create_date: lib.createdAt,
});

/** Its shape, for the API description. */
export const libraryViewSchema = z.object({
  kind: z.enum(LIBRARY_KINDS as [string, ...string[]]),
  capacity: z.number().int(),
  image_count: z.number().int(),
  create_date: z.string(),
});
