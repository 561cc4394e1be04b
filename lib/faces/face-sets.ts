/**
 * Face sets: create, list, show, delete. A face set is one DynamoDB item (the schema, the
 * capacity and the exact `faceNumber` counter, moved only inside the transactions that write
 * or delete face items) plus one LanceDB table named by the set's id.
 */
import { randomBytes } from 'node:crypto';
import { faceSetKeys, objectKeys } from '../store/keys';
import type { Item, Stores, VectorTable } from '../store/ports';
import { DEFAULT_CAPACITY, frsError } from './contract';
import { parseSchema, placeholderColumns, schemaView, type FieldSchema } from './fields';
import { queryAll } from '../store/query';

export const DESCRIPTOR_LENGTH = 128;

export interface FaceSet {
  projectId: string;
  name: string;
  faceSetId: string;
  capacity: number;
  schema: FieldSchema;
  createdAt: string;
  faceNumber: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** An FRS-style id ("iexEBb6t"): one letter or digit per byte of `bytes`. */
export function idOfBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}
/** FRS-style short ids ("iexEBb6t"), random. */
export const shortId = (length = 8): string => idOfBytes(randomBytes(length));

export const faceTableName = (set: Pick<FaceSet, 'projectId' | 'faceSetId'>) => `faces_${set.projectId}_${set.faceSetId}`;
export const faceObjectPrefix = (set: Pick<FaceSet, 'projectId' | 'faceSetId'>) => objectKeys.faceSet(set.projectId, set.faceSetId);

const fromItem = (item: Item): FaceSet => ({
  projectId: item.projectId as string,
  name: item.name as string,
  faceSetId: item.faceSetId as string,
  capacity: Number(item.capacity),
  schema: (item.schema as FieldSchema) ?? [],
  createdAt: item.createdAt as string,
  faceNumber: Number(item.faceNumber ?? 0),
});

/** FRS's `face_set_info`. */
export function faceSetInfo(set: FaceSet): Record<string, unknown> {
  return {
    face_set_name: set.name,
    face_set_id: set.faceSetId,
    create_date: set.createdAt.replace('T', ' ').slice(0, 19),
    face_set_capacity: set.capacity,
    face_number: set.faceNumber,
    external_fields: schemaView(set.schema),
  };
}

export async function getFaceSet(s: Stores, projectId: string, name: string): Promise<FaceSet> {
  const item = await s.metadata.get(faceSetKeys.faceSet(projectId, name), { consistent: true });
  if (!item) throw frsError.setNotFound(name);
  return fromItem(item);
}

export async function faceTable(s: Stores, set: FaceSet): Promise<VectorTable> {
  const table = await s.vectors.open(faceTableName(set));
  if (!table) throw frsError.setNotFound(set.name);
  return table;
}

export async function createFaceSet(
  s: Stores,
  p: { projectId: string; name: string; capacity?: number; externalFields?: unknown },
): Promise<FaceSet> {
  const schema = parseSchema(p.externalFields);
  const set: FaceSet = {
    projectId: p.projectId,
    name: p.name,
    faceSetId: shortId(),
    capacity: p.capacity ?? DEFAULT_CAPACITY,
    schema,
    createdAt: new Date().toISOString(),
    faceNumber: 0,
  };
  if (await s.metadata.get(faceSetKeys.faceSet(p.projectId, p.name))) throw frsError.setExists(p.name);
  // The table first (its schema fixed by a typed placeholder row), the item last: a set that is
  // visible always has its table. A lost race leaves an empty table nobody references.
  const placeholder = {
    id: '',
    vector: new Array<number>(DESCRIPTOR_LENGTH).fill(0),
    external_image_id: '',
    image_key: '',
    ...placeholderColumns(schema),
  };
  await s.vectors.openOrCreate(faceTableName(set), [placeholder]);
  const ok = await s.metadata.put({ ...faceSetKeys.faceSet(p.projectId, p.name), ...set }, { ifNotExists: true });
  if (!ok) {
    await s.vectors.drop(faceTableName(set));
    throw frsError.setExists(p.name);
  }
  return set;
}

export async function listFaceSets(s: Stores, projectId: string): Promise<FaceSet[]> {
  return (await queryAll(s.metadata, { pk: faceSetKeys.faceSets(projectId) })).map(fromItem);
}

/** Deletes the set item (commit point), then every face item, the vectors and the stored images. */
export async function deleteFaceSet(s: Stores, projectId: string, name: string): Promise<void> {
  const item = await s.metadata.delete(faceSetKeys.faceSet(projectId, name), { ifExists: true });
  if (!item) throw frsError.setNotFound(name);
  const set = fromItem(item);
  const partition = faceSetKeys.facePartition(projectId, set.faceSetId);
  for (;;) {
    const page = await s.metadata.query({ pk: partition, limit: 100 });
    if (page.items.length === 0) break;
    await s.metadata.transact(page.items.map((i) => ({ delete: { pk: i.pk as string, sk: i.sk as string } })));
  }
  await s.vectors.drop(faceTableName(set));
  for (;;) {
    const objects = await s.objects.list(faceObjectPrefix(set), { limit: 1000 });
    if (objects.length === 0) break;
    await s.objects.deleteMany(objects.map((o) => o.key));
  }
}
