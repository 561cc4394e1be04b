import type { Library } from '../../lib/search/library';

/** A library as the admin API shows it. */
export const libraryView = (lib: Library) => ({
  kind: lib.kind,
  capacity: lib.capacity,
  image_count: lib.count,
  create_date: lib.createdAt,
});
