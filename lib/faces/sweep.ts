/**
 * The face-set side of the one sweep (lib/store/sweep.ts): a row is live when its face's item
 * was committed by the row's own write; an image is live while a committed face names it (the
 * faces of one photo share its image, so the live set is read from the set's face items).
 */
import { faceSetKeys } from '../store/keys';
import type { Stores } from '../store/ports';
import { queryAll } from '../store/query';
import { sweep, writeIdInKey, type SweepOptions, type SweepResult } from '../store/sweep';
import { faceObjectPrefix, faceTableName, type FaceSet } from './face-sets';
import { faceOfRow } from './faces';

export async function sweepFaceSet(stores: Stores, set: Pick<FaceSet, 'projectId' | 'faceSetId'>, opts: SweepOptions = {}): Promise<SweepResult> {
  return sweep(
    stores,
    {
      table: {
        name: faceTableName(set),
        columns: ['image_key'],
        owner: (row) => {
          const { faceId } = faceOfRow(String(row.id));
          return faceId ? faceSetKeys.face(set.projectId, set.faceSetId, faceId) : null;
        },
        alive: (row, item) => String(item.writeId ?? '') === faceOfRow(String(row.id)).writeId,
        writeId: (row) => faceOfRow(String(row.id)).writeId || writeIdInKey(String(row.image_key ?? '')),
      },
      objects: {
        prefix: faceObjectPrefix(set),
        live: async () => {
          const faces = await queryAll(stores.metadata, { pk: faceSetKeys.facePartition(set.projectId, set.faceSetId) });
          return new Set(faces.map((f) => String(f.imageKey)));
        },
      },
    },
    opts,
  );
}
