/**
 * The image-search side of the one sweep (lib/store/sweep.ts): a library's vector rows and
 * objects are live when the image item they belong to exists and names them — rows by the
 * item's write id, objects by the item's `objectKey` / `sidecarKey` / `thumbnailKey`.
 */
import { libraryKeys } from '../store/keys';
import { sweep, type SweepOptions, type SweepResult } from '../store/sweep';
import { objectsOfItem, writeOfRow } from './images';
import { libraryObjectPrefix, libraryTable, type Library } from './library';

export { SWEEP_GRACE_MS, type SweepResult } from '../store/sweep';

export function sweepLibrary(stores: Parameters<typeof sweep>[0], lib: Library, opts: SweepOptions = {}): Promise<SweepResult> {
  const prefix = libraryObjectPrefix(lib);
  const owner = (imageId: string) => libraryKeys.image(lib.projectId, lib.kind, lib.generation, imageId);
  return sweep(
    stores,
    {
      table: {
        name: libraryTable(lib),
        columns: ['item', 'added_at'],
        owner: (row) => owner(String(row.item)),
        alive: (row, item) => String(item.writeId ?? '') === writeOfRow(String(row.id)),
        writeId: (row) => writeOfRow(String(row.id)) || undefined,
      },
      objects: {
        prefix,
        // `{imageId}.{writeId}.{ext}` (or `{imageId}.{ext}` before write ids)
        owner: (key) => owner(key.slice(prefix.length).split('.')[0]),
        alive: (key, item) => objectsOfItem(item).includes(key),
      },
    },
    opts,
  );
}
