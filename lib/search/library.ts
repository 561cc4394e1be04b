/**
 * Library provisioning (the originals' "建库" step). A project has at most one library per kind
 * (the Baidu API names no library), created with a capacity before any image can be added.
 *
 * Each library has a `generation`, fixed at creation: its image items, vector table and objects
 * are all named by it, so deleting the library (removing its one item) makes everything in it
 * unreachable at once, and a library created again later starts empty even while the purge of
 * the old one is still running or was interrupted.
 */
import { randomBytes } from 'node:crypto';
import { IrisError } from '../errors';
import { libraryKeys, objectKeys } from '../store/keys';
import type { MetadataStore, Stores } from '../store/ports';
import { DEFAULT_CAPACITY, MAX_CAPACITY } from './contract';
import type { LibraryKind } from './engine';
import { queryAll, queryPages } from '../store/query';
import { embedderFor } from './embedders';

export interface Library {
  projectId: string;
  kind: LibraryKind;
  capacity: number;
  /** Committed images (maintained atomically with each add / delete). */
  count: number;
  generation: string;
  createdAt: string;
  /** The distance of the library's engine, recorded by adds (for the index built later). */
  metric?: 'cosine' | 'l2';
  /**
   * The embedding model its vectors come from (lib/search/embedders.ts), fixed at creation;
   * absent on libraries created before it was recorded.
   */
  embedder?: string;
}

export const libraryTable = (lib: Pick<Library, 'projectId' | 'kind' | 'generation'>): string =>
  `imgsearch_${lib.projectId}_${lib.kind}_${lib.generation}`;

export const libraryObjectPrefix = (lib: Pick<Library, 'projectId' | 'kind' | 'generation'>): string =>
  objectKeys.library(lib.projectId, lib.kind, lib.generation);

const toLibrary = (item: Record<string, unknown>): Library => ({
  projectId: String(item.projectId),
  kind: item.kind as LibraryKind,
  capacity: Number(item.capacity),
  count: Number(item.count ?? 0),
  generation: String(item.generation),
  createdAt: String(item.createdAt),
  ...(item.metric === 'cosine' || item.metric === 'l2' ? { metric: item.metric } : {}),
  ...(typeof item.embedder === 'string' && item.embedder ? { embedder: item.embedder } : {}),
});

export const libraryNotCreated = (kind: LibraryKind): IrisError =>
  new IrisError('NOT_FOUND', `the ${kind} library of this project has not been created: provision it first (POST /v1/{project_id}/image-libraries)`, {
    codes: { baidu: 216017 },
  });

function checkCapacity(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    throw new IrisError('BAD_PARAM', `capacity must be an integer in 1..${MAX_CAPACITY}`, { field: 'capacity' });
  }
  return capacity;
}

export async function createLibrary(
  metadata: MetadataStore,
  projectId: string,
  kind: LibraryKind,
  capacity = DEFAULT_CAPACITY,
  now = new Date(),
): Promise<Library> {
  const lib: Library = {
    projectId,
    kind,
    capacity: checkCapacity(capacity),
    count: 0,
    generation: randomBytes(4).toString('hex'),
    createdAt: now.toISOString(),
    embedder: embedderFor(kind),
  };
  const created = await metadata.put(
    { ...libraryKeys.library(projectId, kind), ...lib, gsi1pk: libraryKeys.allLibraries, gsi1sk: `${projectId}#${kind}` },
    { ifNotExists: true },
  );
  if (!created) throw new IrisError('CONFLICT', `the ${kind} library of this project already exists`, { field: 'kind', status: 409 });
  return lib;
}

export async function getLibrary(metadata: MetadataStore, projectId: string, kind: LibraryKind): Promise<Library> {
  const item = await metadata.get(libraryKeys.library(projectId, kind), { consistent: true });
  if (!item) throw libraryNotCreated(kind);
  return toLibrary(item);
}

/** Every library of every project (the maintenance job's work list). */
export async function listAllLibraries(metadata: MetadataStore): Promise<Library[]> {
  return (await queryAll(metadata, { index: 'gsi1', pk: libraryKeys.allLibraries })).map(toLibrary);
}

export async function listLibraries(metadata: MetadataStore, projectId: string): Promise<Library[]> {
  return (await queryAll(metadata, { pk: libraryKeys.libraries(projectId) })).map(toLibrary);
}

/** Raises (or lowers, never below the current count) a library's capacity ("扩容"). */
export async function setCapacity(metadata: MetadataStore, projectId: string, kind: LibraryKind, capacity: number): Promise<Library> {
  checkCapacity(capacity);
  const current = await getLibrary(metadata, projectId, kind);
  if (capacity < current.count) {
    throw new IrisError('BAD_PARAM', `capacity ${capacity} is below the ${current.count} images already in the library`, { field: 'capacity' });
  }
  const item = await metadata.update(libraryKeys.library(projectId, kind), { set: { capacity } }, { ifExists: true });
  if (!item) throw libraryNotCreated(kind);
  return toLibrary(item);
}

/**
 * Deletes a library: its item first (the library and all its images vanish atomically), then
 * the images' items, vectors and objects. An interrupted purge leaves only unreachable data.
 */
export async function deleteLibrary(stores: Stores, projectId: string, kind: LibraryKind): Promise<Library> {
  const item = await stores.metadata.delete(libraryKeys.library(projectId, kind), { ifExists: true });
  if (!item) throw libraryNotCreated(kind);
  const lib = toLibrary(item);
  await purgeLibrary(stores, lib);
  return lib;
}

async function purgeLibrary(stores: Stores, lib: Library): Promise<void> {
  const pk = libraryKeys.imagePartition(lib.projectId, lib.kind, lib.generation);
  for await (const items of queryPages(stores.metadata, { pk, limit: 100 })) {
    await Promise.all(items.map((i) => stores.metadata.delete({ pk: String(i.pk), sk: String(i.sk) })));
  }
  await stores.vectors.drop(libraryTable(lib));
  const prefix = libraryObjectPrefix(lib);
  for (;;) {
    const objects = await stores.objects.list(prefix, { limit: 1000 });
    if (objects.length === 0) break;
    await stores.objects.deleteMany(objects.map((o) => o.key));
  }
}
