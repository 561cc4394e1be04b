/**
 * Faces of a face set: add, search, query, update, delete, batch delete.
 *
 * Storage of one add (the write protocol of lib/store/write.ts; keys and row ids carry the
 * add's write id, so two attempts never share a file):
 *   1. S3: the image under data/{project}/face-sets/{faceSetId}/{writeId}.{ext};
 *   2. LanceDB: one row per face (`id` = "{face_id}#{writeId}", the 128-d descriptor,
 *      external_image_id, image_key and the external fields as columns ef0..ef9, so filters run
 *      inside the query);
 *   3. DynamoDB: the face items (with their `writeId`), in one transaction with the set's
 *      `faceNumber` increment guarded by `ifBelow` the capacity — THE COMMIT POINT; the counter is
 *      therefore exact under concurrent adds. When it fails, this attempt's rows and image go.
 * Search and query serve DynamoDB items only (vector hits are joined to them, by the row's own
 * write), so rows of a failed or duplicate add are never visible; the sweeper removes them. Update writes the item first, then the row's columns. Deletes run in
 * reverse: items (+ counter) first, then rows, then images no row references any more.
 */
import { createHash } from 'node:crypto';
import type { DecodedImage } from '../images';
import { contentTypeOf, extensionOf } from '../images/formats';
import { faceSetKeys } from '../store/keys';
import type { Item, Stores, TransactOp, VectorTable, VectorFilter } from '../store/ports';
import { queryAll } from '../store/query';
import { runWrite } from '../store/write';
import type { FaceModel } from '../vision/face-model';
import { EXTERNAL_IMAGE_ID, FACES_PER_TRANSACTION, QUERY_WINDOW, frsError } from './contract';
import { detectFaces } from './detect';
import { type FaceSet, faceObjectPrefix, faceTable, faceTableName, getFaceSet, idOfBytes, shortId } from './face-sets';
import { checkFields, checkValue, columnValue, isNumeric, toColumns, type FieldValue } from './fields';
import { parseFaceFilter } from './filter';
import { similarityOf } from './similarity';

export interface BoundingBox {
  top_left_x: number;
  top_left_y: number;
  width: number;
  height: number;
}

export interface FaceView {
  bounding_box: BoundingBox;
  external_fields: Record<string, FieldValue>;
  external_image_id: string;
  face_id: string;
}

const faceView = (item: Item, only?: string[]): FaceView => {
  const fields = (item.externalFields as Record<string, FieldValue>) ?? {};
  return {
    bounding_box: item.boundingBox as BoundingBox,
    external_fields: only ? Object.fromEntries(Object.entries(fields).filter(([k]) => only.includes(k))) : fields,
    external_image_id: item.externalImageId as string,
    face_id: item.faceId as string,
  };
};

const setRef = (set: FaceSet) => ({ face_set_id: set.faceSetId, face_set_name: set.name });

export function checkExternalImageId(id: unknown, fallback: () => string = () => shortId(16)): string {
  if (id === undefined || id === null || id === '') return fallback();
  if (typeof id !== 'string' || !EXTERNAL_IMAGE_ID.test(id)) {
    throw frsError.badParam('external_image_id', 'must be 1-36 letters, digits, "-" or "_"');
  }
  return id;
}

/** An FRS-style id of `length` letters and digits, derived from `seed`. */
const derivedId = (seed: string, length: number): string => idOfBytes(createHash('sha256').update(seed).digest().subarray(0, length));

/**
 * Row ids carry the write id (`{faceId}#{writeId}`), so two attempts that store the same face
 * (a retried request) never share a row. Rows stored before write ids are just `{faceId}`.
 */
const rowIdOf = (faceId: string, writeId: string | undefined): string => (writeId ? `${faceId}#${writeId}` : faceId);
export const faceOfRow = (rowId: string): { faceId: string; writeId: string } => {
  const [faceId, writeId = ''] = rowId.split('#');
  return { faceId, writeId };
};
const rowIdOfItem = (item: Item): string => rowIdOf(item.faceId as string, item.writeId as string | undefined);

// ---------------------------------------------------------------- add

/**
 * Adds the faces of one image. Adds are idempotent: a face's id is derived from the face set,
 * the image's bytes, its external_image_id (itself derived from the image when not given), its
 * external fields and the face's position, so a retried request — after a timeout, or sent twice
 * at once — answers the faces already stored instead of storing them again.
 */
export async function addFaces(
  s: Stores,
  model: FaceModel,
  p: { projectId: string; name: string; image: DecodedImage; externalImageId?: unknown; externalFields?: unknown; single?: boolean; deadline?: number },
): Promise<Record<string, unknown>> {
  const set = await getFaceSet(s, p.projectId, p.name);
  const digest = createHash('sha256').update(p.image.bytes).digest('hex');
  const externalImageId = checkExternalImageId(p.externalImageId, () => derivedId(`${set.faceSetId}/${digest}`, 16));
  const fields = checkFields(set.schema, p.externalFields);
  if (set.faceNumber >= set.capacity) throw frsError.capacity(set.capacity);

  await faceTable(s, set); // the set's table exists (created with the set): never recreate a deleted one
  const detected = await detectFaces(model, p.image, frsError.noFaceToAdd);
  const faces = p.single ? detected.slice(0, 1) : detected;
  const seed = `${set.faceSetId}/${digest}/${externalImageId}/${JSON.stringify(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)))}`;

  return runWrite(s, { deadline: p.deadline }, async (w) => {
    const imageKey = `${faceObjectPrefix(set)}${w.id}.${extensionOf(p.image.format)}`;
    const records = faces.map((f, i) => {
      const faceId = derivedId(`${seed}/${i}`, 8);
      return {
        faceId,
        rowId: rowIdOf(faceId, w.id),
        box: { top_left_x: f.box.x, top_left_y: f.box.y, width: f.box.width, height: f.box.height },
        descriptor: f.descriptor,
      };
    });
    await w.putObject(imageKey, p.image.bytes, { contentType: contentTypeOf(p.image.format) });
    await w.putRows(
      faceTableName(set),
      records.map((r) => ({
        id: r.rowId,
        vector: Array.from(r.descriptor),
        external_image_id: externalImageId,
        image_key: imageKey,
        ...toColumns(set.schema, fields),
      })),
    );

    const stored: typeof records = [];
    let mine = 0; // faces committed by this attempt (they keep its image)
    for (let i = 0; i < records.length; i += FACES_PER_TRANSACTION) {
      const chunk = records.slice(i, i + FACES_PER_TRANSACTION);
      const keys = chunk.map((r) => faceSetKeys.face(set.projectId, set.faceSetId, r.faceId));
      const ops: TransactOp[] = [
        {
          update: faceSetKeys.faceSet(set.projectId, set.name),
          spec: { add: { faceNumber: chunk.length } },
          condition: { ifMatch: { faceSetId: set.faceSetId }, ifBelow: { attr: 'faceNumber', limit: set.capacity - chunk.length + 1 } },
        },
        ...chunk.map(
          (r, j): TransactOp => ({
            put: {
              ...keys[j],
              faceId: r.faceId,
              writeId: w.id,
              externalImageId,
              externalFields: fields,
              boundingBox: r.box,
              imageKey,
              // The descriptor again (base64 float32), for search by face_id: scans return no vectors.
              descriptor: Buffer.from(r.descriptor.buffer, r.descriptor.byteOffset, r.descriptor.byteLength).toString('base64'),
              createdAt: new Date().toISOString(),
            },
            condition: { ifNotExists: true },
          }),
        ),
      ];
      if (await w.commit(ops, keys[0])) {
        stored.push(...chunk);
        mine += chunk.length;
        continue;
      }
      // An earlier attempt of the same request stored these faces: answer them, drop our copies.
      const existing = await s.metadata.batchGet(keys);
      if (existing.length === chunk.length) {
        await w.undoRows(chunk.map((r) => r.rowId));
        stored.push(...chunk);
        continue;
      }
      await w.undoRows(records.slice(i).map((r) => r.rowId));
      // Which condition failed: the set is gone (or recreated), or it is full.
      const now = await s.metadata.get(faceSetKeys.faceSet(set.projectId, set.name), { consistent: true });
      if (!now || now.faceSetId !== set.faceSetId) throw frsError.setNotFound(set.name);
      if (stored.length === 0) throw frsError.capacity(set.capacity);
      break; // a partial add (more faces than room) answers with the faces that were added
    }
    // Nothing of this attempt committed (all faces were there already): its image goes too.
    if (mine === 0) await w.undo();
    return {
      faces: stored.map((r) => ({ bounding_box: r.box, external_image_id: externalImageId, external_fields: fields, face_id: r.faceId })),
      ...setRef(set),
    };
  });
}

// ---------------------------------------------------------------- search

export interface SearchParams {
  projectId: string;
  name: string;
  image?: DecodedImage;
  faceId?: string;
  topN: number;
  threshold: number;
  filter?: string;
  sort?: Array<Record<string, string>>;
  returnFields?: string[];
}

export async function searchFaces(s: Stores, model: FaceModel | null, p: SearchParams): Promise<Record<string, unknown>> {
  const set = await getFaceSet(s, p.projectId, p.name);
  const table = await faceTable(s, set);
  const where = p.filter ? parseFaceFilter(p.filter, set.schema) : undefined;
  const sort = checkSort(set, p.sort);
  if (p.returnFields) {
    for (const f of p.returnFields) if (!set.schema.some((x) => x.key === f)) throw frsError.badParam('return_fields', `unknown field ${f}`);
  }

  let query: ArrayLike<number>;
  if (p.faceId !== undefined) {
    const item = await s.metadata.get(faceSetKeys.face(set.projectId, set.faceSetId, p.faceId));
    if (!item) throw frsError.faceNotFound();
    const bytes = Buffer.from(item.descriptor as string, 'base64');
    query = new Float32Array(new Uint8Array(bytes).buffer);
  } else {
    if (!p.image || !model) throw frsError.missingParam('image_base64', 'one of image_base64, image_url, image_file, face_id is required');
    const [largest] = await detectFaces(model, p.image, frsError.noFaceToSearch);
    query = largest.descriptor;
  }
  if (p.topN === 0) return { faces: [] };

  // A few extra candidates cover rows that have no committed item yet (the sweeper removes them).
  const hits = await table.search(Array.from(query), { k: p.topN + 8, where, metric: 'l2', select: ['id', '_distance'] });
  const rows = hits.map((h) => ({ ...faceOfRow(h.id), distance: h._distance }));
  const items = await s.metadata.batchGet([...new Set(rows.map((r) => r.faceId))].map((id) => faceSetKeys.face(set.projectId, set.faceSetId, id)));
  const byId = new Map(items.map((i) => [i.faceId as string, i]));
  const seen = new Set<string>();
  let faces = rows
    // Served only when the face's item was committed by the row's own write.
    .filter((r) => byId.has(r.faceId) && String(byId.get(r.faceId)!.writeId ?? '') === r.writeId && !seen.has(r.faceId) && seen.add(r.faceId))
    .map((r) => ({ ...faceView(byId.get(r.faceId)!, p.returnFields), similarity: similarityOf(Math.sqrt(Math.max(0, r.distance))) }))
    .filter((f) => f.similarity >= p.threshold)
    .slice(0, p.topN);
  if (sort.length) {
    faces = [...faces].sort((a, b) => {
      for (const { key, desc } of sort) {
        const av = (byId.get(a.face_id)!.externalFields as Record<string, number>)[key];
        const bv = (byId.get(b.face_id)!.externalFields as Record<string, number>)[key];
        if (av === bv) continue;
        if (av === undefined) return 1; // faces without the field go last
        if (bv === undefined) return -1;
        return desc ? bv - av : av - bv;
      }
      return b.similarity - a.similarity;
    });
  }
  return { faces };
}

function checkSort(set: FaceSet, sort: Array<Record<string, string>> | undefined): Array<{ key: string; desc: boolean }> {
  if (!sort) return [];
  return sort.flatMap((entry) =>
    Object.entries(entry).map(([key, dir]) => {
      const spec = set.schema.find((f) => f.key === key);
      if (!spec || !isNumeric(spec.type)) throw frsError.sortField(key);
      if (dir !== 'asc' && dir !== 'desc') throw frsError.badParam('sort', `order of ${key} must be "asc" or "desc"`);
      return { key, desc: dir === 'desc' };
    }),
  );
}

// ---------------------------------------------------------------- query

/** Presigned photo URLs of `with_image_url` last this long. */
export const FACE_IMAGE_URL_SECONDS = 900;

/**
 * `withImageUrl` (Iris addition, `?with_image_url=true`) adds to each face a presigned GET URL of
 * the photo it was added from, `image_url`: with `bounding_box` it is the face crop a console shows.
 */
export async function queryFaces(
  s: Stores,
  p: { projectId: string; name: string; faceId?: string; offset: number; limit: number; withImageUrl?: boolean },
): Promise<Record<string, unknown>> {
  const set = await getFaceSet(s, p.projectId, p.name);
  const view = async (item: Item) => {
    const face = faceView(item);
    if (!p.withImageUrl || typeof item.imageKey !== 'string') return face;
    return { ...face, image_url: await s.objects.presignGet(item.imageKey, FACE_IMAGE_URL_SECONDS) };
  };
  if (p.faceId !== undefined) {
    const item = await s.metadata.get(faceSetKeys.face(set.projectId, set.faceSetId, p.faceId));
    if (!item) throw frsError.faceNotFound();
    return { faces: [await view(item)], ...setRef(set) };
  }
  if (p.offset + p.limit > QUERY_WINDOW) throw frsError.badParam('limit', `offset + limit must not exceed ${QUERY_WINDOW}`);
  const wanted = p.offset + p.limit;
  const items = await queryAll(s.metadata, { pk: faceSetKeys.facePartition(set.projectId, set.faceSetId), limit: Math.min(1000, wanted) }, wanted);
  return { faces: await Promise.all(items.slice(p.offset, wanted).map(view)), ...setRef(set) };
}

// ---------------------------------------------------------------- update

export async function updateFace(
  s: Stores,
  p: { projectId: string; name: string; faceId: string; externalImageId?: unknown; externalFields?: unknown },
): Promise<Record<string, unknown>> {
  const set = await getFaceSet(s, p.projectId, p.name);
  if (p.externalImageId === undefined && p.externalFields === undefined) {
    throw frsError.missingParam('external_image_id', 'give external_image_id or external_fields (at least one)');
  }
  const externalImageId = p.externalImageId === undefined ? undefined : checkExternalImageId(p.externalImageId);
  const fields = p.externalFields === undefined ? undefined : checkFields(set.schema, p.externalFields);
  const key = faceSetKeys.face(set.projectId, set.faceSetId, p.faceId);
  const item = await s.metadata.get(key, { consistent: true });
  if (!item) throw frsError.faceNotFound();
  const merged = fields ? { ...(item.externalFields as Record<string, FieldValue>), ...fields } : undefined;
  const updated = await s.metadata.update(
    key,
    { set: { ...(externalImageId ? { externalImageId } : {}), ...(merged ? { externalFields: merged } : {}) } },
    { ifExists: true },
  );
  if (!updated) throw frsError.faceNotFound();
  const table = await faceTable(s, set);
  const columns = { ...(externalImageId ? { external_image_id: externalImageId } : {}), ...(merged ? toColumns(set.schema, merged) : {}) };
  await table.updateWhere({ eq: { id: rowIdOfItem(updated) } }, columns);
  return { face_number: 1, ...setRef(set) };
}

// ---------------------------------------------------------------- delete

export type DeleteSelector = { faceId: string } | { externalImageId: string } | { field: string; value: string } | { filter: string };

export async function deleteFaces(s: Stores, p: { projectId: string; name: string; by: DeleteSelector }): Promise<Record<string, unknown>> {
  const set = await getFaceSet(s, p.projectId, p.name);
  const table = await faceTable(s, set);
  const by = p.by;
  let ids: string[];
  if ('faceId' in by) {
    ids = [by.faceId];
  } else {
    let where: VectorFilter;
    if ('externalImageId' in by) where = { eq: { external_image_id: checkExternalImageId(by.externalImageId) } };
    else if ('filter' in by) where = parseFaceFilter(by.filter, set.schema);
    else {
      const spec = set.schema.find((f) => f.key === by.field);
      if (!spec) throw frsError.badParam(by.field, 'not a field of the face set');
      const raw = spec.type === 'boolean' ? (by.value === 'true' ? true : by.value === 'false' ? false : by.value) : by.value;
      where = { eq: { [spec.column]: columnValue(checkValue(spec, raw)) } };
    }
    ids = [...new Set((await table.scan({ where, select: ['id'] })).map((r) => faceOfRow(r.id as string).faceId).filter((id) => id !== ''))];
  }
  const deleted = await deleteFaceItems(s, set, ids);
  if (deleted.length === 0) {
    if ('faceId' in by) throw frsError.faceNotFound();
    if ('filter' in by) throw frsError.batchMatchedNothing();
    throw frsError.deleteMatchedNothing();
  }
  await table.deleteIds(deleted.map(rowIdOfItem));
  await dropUnreferencedImages(s, table, [...new Set(deleted.map((i) => i.imageKey as string))]);
  return { face_number: deleted.length, ...setRef(set) };
}

/** Deletes the items that exist, each chunk with its counter decrement in one transaction. */
async function deleteFaceItems(s: Stores, set: FaceSet, ids: string[]): Promise<Item[]> {
  const out: Item[] = [];
  for (let i = 0; i < ids.length; i += FACES_PER_TRANSACTION) {
    const chunkIds = ids.slice(i, i + FACES_PER_TRANSACTION);
    for (let attempt = 0; attempt < 5; attempt++) {
      const items = await s.metadata.batchGet(chunkIds.map((id) => faceSetKeys.face(set.projectId, set.faceSetId, id)));
      if (items.length === 0) break;
      const ok = await s.metadata.transact([
        { update: faceSetKeys.faceSet(set.projectId, set.name), spec: { add: { faceNumber: -items.length } }, condition: { ifMatch: { faceSetId: set.faceSetId } } },
        ...items.map((it): TransactOp => ({ delete: { pk: it.pk as string, sk: it.sk as string }, condition: { ifExists: true } })),
      ]);
      if (ok) {
        out.push(...items);
        break;
      }
      // A concurrent delete took some of them (or the set went away): look again.
      const now = await s.metadata.get(faceSetKeys.faceSet(set.projectId, set.name), { consistent: true });
      if (!now || now.faceSetId !== set.faceSetId) throw frsError.setNotFound(set.name);
    }
  }
  return out;
}

async function dropUnreferencedImages(s: Stores, table: VectorTable, imageKeys: string[]): Promise<void> {
  for (const key of imageKeys) {
    if ((await table.count({ eq: { image_key: key } })) === 0) await s.objects.delete(key);
  }
}

