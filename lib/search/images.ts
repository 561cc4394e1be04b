/**
 * Add, search, update and delete of library images — the domain of the Baidu-compatible
 * image-search API, for every library kind. The matching engine (lib/search/engines) is passed
 * in; this module owns storage, limits, filters and paging.
 *
 * Storage of one image (see the write protocol in lib/store/ports.ts):
 *   1. S3: the original under data/{project}/libraries/{kind}/{generation}/{id}.{ext}, and the
 *      engine's sidecar (local features …) beside it as {id}.sidecar — content-addressed by the
 *      image id (from the cont_sign), so a retry rewrites the same keys;
 *   2. LanceDB: one row per engine part vector, `id` = "{imageId}#{part}", with the filter
 *      columns (tag_a, tag_b, class_1, class_2; 0 = none) beside the vector so that tag filters
 *      run inside the vector query;
 *   3. DynamoDB: the image item, written in one transaction with the library's count (capacity
 *      check) — THE COMMIT POINT. Search joins vector hits to items: rows without an item
 *      (a failed or racing add) are never served.
 * Update rewrites the item first (the item is the truth that search re-checks), then the rows'
 * filter columns. Delete runs in reverse: item (+count) first, then rows, then objects.
 */
import { IrisError } from '../errors';
import { decodeBase64Image, fetchImage, intakeImage, type DecodedImage } from '../images';
import { libraryKeys } from '../store/keys';
import { sqlString } from '../store/lancedb';
import type { Item, Stores, VectorRow, VectorTable } from '../store/ports';
import { ANN_NPROBES, ANN_REFINE_FACTOR, MAX_BASE64_BYTES, MAX_URL_BYTES, RESULT_WINDOW, imageLimits, type Operation } from './contract';
import type { Candidate, LibraryKind, SearchEngine } from './engine';
import { getLibrary, libraryNotCreated, libraryObjectPrefix, libraryTable, type Library } from './library';
import { contSignOf, imageIdOf, type Window } from './params';

/** The image of a request: `image` (base64) wins over `url`. */
export interface ImageSource {
  image?: string;
  url?: string;
}

/** Filter labels of an image: up to two tags, or the product class ids. */
export interface Labels {
  tags?: number[];
  classId1?: number;
  classId2?: number;
}

export interface Filter {
  tags: number[];
  logic: 'and' | 'or';
  classId1?: number;
  classId2?: number;
}

export interface SearchHit {
  cont_sign: string;
  score: number;
  brief: string;
}

export interface SearchResult {
  result_num: number;
  result: SearchHit[];
  has_more: boolean;
}

const CONTENT_TYPES = { jpeg: 'image/jpeg', png: 'image/png', bmp: 'image/bmp', gif: 'image/gif', webp: 'image/webp' } as const;
const EXTENSIONS = { jpeg: 'jpg', png: 'png', bmp: 'bmp', gif: 'gif', webp: 'webp' } as const;

/** Ceiling on nearest neighbours fetched per query vector. */
const MAX_NEIGHBOURS = 10_000;

/** Decodes the request's image: base64 `image` first, else `url`; null when neither is given. */
export async function loadImage(src: ImageSource, kind: LibraryKind, op: Operation): Promise<DecodedImage | null> {
  const limits = imageLimits(kind, op);
  if (src.image !== undefined && src.image !== '') {
    const bytes = decodeBase64Image(src.image, { field: 'image', dataUrl: 'allow', maxEncodedBytes: MAX_BASE64_BYTES });
    return intakeImage(bytes, limits, 'image');
  }
  if (src.url !== undefined && src.url !== '') {
    const bytes = await fetchImage(src.url, { maxUrlLength: MAX_URL_BYTES, maxBytes: limits.maxBytes }, 'url');
    return intakeImage(bytes, limits, 'url');
  }
  return null;
}

export const requireImage = (image: DecodedImage | null): DecodedImage => {
  if (!image) throw new IrisError('MISSING_PARAM', 'param image not exist: send image (base64) or url', { field: 'image' });
  return image;
};

/** The image's cont_sign (from its decoded pixels). */
export const signImage = async (image: DecodedImage): Promise<string> => contSignOf(await image.rgb());

const labelColumns = (l: Labels) => ({
  tag_a: l.tags?.[0] ?? 0,
  tag_b: l.tags?.[1] ?? 0,
  class_1: l.classId1 ?? 0,
  class_2: l.classId2 ?? 0,
});

const labelsOfItem = (item: Item): Labels => ({
  tags: Array.isArray(item.tags) ? (item.tags as unknown[]).map(Number) : [],
  classId1: item.class_id1 === undefined ? undefined : Number(item.class_id1),
  classId2: item.class_id2 === undefined ? undefined : Number(item.class_id2),
});

/** The filter as a LanceDB pre-filter over the label columns. */
export function whereOf(f: Filter): string | undefined {
  const clauses: string[] = [];
  if (f.tags.length > 0) {
    const has = (t: number) => `(tag_a = ${t} OR tag_b = ${t})`;
    clauses.push(`(${f.tags.map(has).join(f.logic === 'and' ? ' AND ' : ' OR ')})`);
  }
  if (f.classId1 !== undefined) clauses.push(`class_1 = ${f.classId1}`);
  if (f.classId2 !== undefined) clauses.push(`class_2 = ${f.classId2}`);
  return clauses.length ? clauses.join(' AND ') : undefined;
}

/** The same filter over an item (the item is the truth; rows may briefly lag an update). */
export function itemMatches(f: Filter, item: Item): boolean {
  const l = labelsOfItem(item);
  if (f.tags.length > 0) {
    const tags = l.tags ?? [];
    const ok = f.logic === 'and' ? f.tags.every((t) => tags.includes(t)) : f.tags.some((t) => tags.includes(t));
    if (!ok) return false;
  }
  if (f.classId1 !== undefined && l.classId1 !== f.classId1) return false;
  if (f.classId2 !== undefined && l.classId2 !== f.classId2) return false;
  return true;
}

const itemExists = (contSign: string): IrisError =>
  new IrisError('CONFLICT', `item has existed: this image is already in the library (cont_sign ${contSign})`, {
    field: 'image',
    codes: { baidu: 216681 },
  });

const notFound = (contSign: string): IrisError =>
  new IrisError('NOT_FOUND', `cont_sign ${contSign} is not in the library`, { field: 'cont_sign' });

const imageKey = (lib: Library, imageId: string) => libraryKeys.image(lib.projectId, lib.kind, lib.generation, imageId);
const sidecarKey = (lib: Library, imageId: string) => `${libraryObjectPrefix(lib)}${imageId}.sidecar`;

async function bestEffort(...steps: Array<() => Promise<unknown>>): Promise<void> {
  for (const step of steps) await step().catch(() => undefined);
}

export interface AddRequest {
  image: DecodedImage;
  brief: string;
  labels: Labels;
}

export interface AddOutcome {
  contSign: string;
}

export interface AddOptions {
  now?: Date;
}

export async function addImage(stores: Stores, engine: SearchEngine, lib: Library, req: AddRequest, opts: AddOptions = {}): Promise<AddOutcome> {
  const now = opts.now ?? new Date();
  const { image, brief, labels } = req;
  if (lib.count >= lib.capacity) throw quotaExceeded(lib);
  const contSign = await signImage(image);
  const imageId = imageIdOf(contSign);
  const key = imageKey(lib, imageId);
  // The common duplicate is refused before anything is written.
  if (await stores.metadata.get(key, { consistent: true })) throw itemExists(contSign);

  const description = await engine.describe(image);
  if (description.vectors.length === 0) {
    throw new IrisError('INTERNAL', `the ${engine.kind} engine described the image with no vectors`);
  }
  const objectKey = `${libraryObjectPrefix(lib)}${imageId}.${EXTENSIONS[image.format]}`;
  const sidecar = description.sidecar ? sidecarKey(lib, imageId) : undefined;
  const rows: VectorRow[] = description.vectors.map((v) => ({
    id: `${imageId}#${v.part}`,
    vector: v.vector,
    item: imageId,
    part: v.part,
    ...labelColumns(labels),
    // Lets a sweep tell an abandoned add's rows from an add still in flight.
    added_at: now.getTime(),
  }));
  const rowIds = rows.map((r) => r.id);
  const tableName = libraryTable(lib);
  const removeObjects = () => stores.objects.deleteMany(sidecar ? [objectKey, sidecar] : [objectKey]);

  // 1. objects
  await stores.objects.put(objectKey, image.bytes, { contentType: CONTENT_TYPES[image.format] });
  let table: VectorTable;
  try {
    if (description.sidecar && sidecar) await stores.objects.put(sidecar, description.sidecar, { contentType: 'application/octet-stream' });
    // 2. vectors
    table = await stores.vectors.openOrCreate(tableName, rows);
    await table.upsert(rows);
  } catch (e) {
    await bestEffort(removeObjects);
    throw e;
  }

  // 3. the item, with the library's count under its capacity: the commit point.
  const item: Item = {
    ...key,
    imageId,
    contSign,
    brief,
    tags: labels.tags ?? [],
    ...(labels.classId1 !== undefined ? { class_id1: labels.classId1 } : {}),
    ...(labels.classId2 !== undefined ? { class_id2: labels.classId2 } : {}),
    objectKey,
    ...(sidecar ? { sidecarKey: sidecar } : {}),
    parts: rows.map((r) => r.part as string),
    format: image.format,
    width: image.width,
    height: image.height,
    createdAt: now.toISOString(),
  };
  // Rows and objects are only rolled back once we know no item owns them (same image id).
  const rollback = async () => {
    const owner = await stores.metadata.get(key, { consistent: true });
    if (!owner) await bestEffort(() => table.deleteIds(rowIds), removeObjects);
    return owner;
  };
  let committed: boolean;
  try {
    committed = await stores.metadata.transact([
      { put: item, condition: { ifNotExists: true } },
      {
        update: libraryKeys.library(lib.projectId, lib.kind),
        spec: { add: { count: 1 }, set: { metric: engine.metric } },
        condition: { ifBelow: { attr: 'count', limit: lib.capacity }, ifMatch: { generation: lib.generation } },
      },
    ]);
  } catch (e) {
    await rollback().catch(() => undefined);
    throw e;
  }
  if (!committed) {
    const owner = await rollback();
    if (owner) {
      // A concurrent add of the same image won; our upsert may have rewritten its rows' labels.
      await bestEffort(() => table.updateWhere(`item = ${sqlString(imageId)}`, labelColumns(labelsOfItem(owner))));
      throw itemExists(contSign);
    }
    const current = await stores.metadata.get(libraryKeys.library(lib.projectId, lib.kind), { consistent: true });
    if (!current || current.generation !== lib.generation) throw libraryNotCreated(lib.kind);
    throw quotaExceeded({ ...lib, count: Number(current.count ?? 0), capacity: Number(current.capacity) });
  }
  // The ANN index is built by the maintenance job (lib/search/maintain.ts), not here: building
  // it takes longer than an API call may.
  return { contSign };
}

function quotaExceeded(lib: Pick<Library, 'kind' | 'capacity' | 'count'>): IrisError {
  return new IrisError('QUOTA', `the ${lib.kind} library is full (${lib.count} of ${lib.capacity} images): request a larger capacity`);
}

export interface SearchRequest {
  image: DecodedImage;
  filter: Filter;
  window: Window;
}

export async function searchImages(stores: Stores, engine: SearchEngine, lib: Library, req: SearchRequest): Promise<SearchResult> {
  const { image, filter, window } = req;
  const empty: SearchResult = { result_num: 0, result: [], has_more: false };
  const description = await engine.describeQuery(image);
  const table = await stores.vectors.open(libraryTable(lib));
  if (!table || description.vectors.length === 0) return empty;

  const candidates = await nearest(table, engine, description.vectors.map((v) => v.vector), whereOf(filter), window.end + 1);
  if (candidates.length === 0) return empty;
  const prefix = libraryObjectPrefix(lib);
  const matches = await engine.rank({ image, description }, candidates, async (id) => {
    const o = await stores.objects.get(`${prefix}${id}.sidecar`);
    return o ? o.body : null;
  });

  // Join to the committed items, best first, until the window (plus one, for has_more) is full.
  // The matches that would fill it are fetched at once (batches in parallel); more only when
  // some of them turn out to have no item (an add that never committed) or a stale label.
  const wanted = window.end + 1;
  const served: SearchHit[] = [];
  let next = 0;
  while (next < matches.length && served.length < wanted) {
    const slice = matches.slice(next, next + Math.max(wanted - served.length, 1));
    next += slice.length;
    const batches: Array<typeof slice> = [];
    for (let i = 0; i < slice.length; i += 100) batches.push(slice.slice(i, i + 100));
    const found = await Promise.all(batches.map((b) => stores.metadata.batchGet(b.map((m) => imageKey(lib, m.id)))));
    const byId = new Map(found.flat().map((it) => [String(it.imageId), it]));
    for (const m of slice) {
      const item = byId.get(m.id);
      if (!item || !itemMatches(filter, item)) continue;
      served.push({ cont_sign: String(item.contSign), score: clamp01(m.score), brief: String(item.brief ?? '') });
      if (served.length >= wanted) break;
    }
  }
  const page = served.slice(window.start, window.end);
  return { result_num: page.length, result: page, has_more: window.end < RESULT_WINDOW && served.length > window.end };
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * Nearest rows for every query vector, grouped per image (best distance wins). An image stored
 * as several part vectors takes several rows, so the fetch widens until `distinct` images are
 * found or the table is exhausted.
 */
async function nearest(table: VectorTable, engine: SearchEngine, vectors: number[][], where: string | undefined, distinct: number): Promise<Candidate[]> {
  let k = Math.max(engine.candidatePool, distinct);
  for (let round = 0; ; round++) {
    const hitLists = await Promise.all(
      vectors.map((v) =>
        table.search(v, { k, where, metric: engine.metric, select: ['item', 'part', '_distance'], nprobes: ANN_NPROBES, refineFactor: ANN_REFINE_FACTOR }),
      ),
    );
    const best = new Map<string, Candidate>();
    for (const hits of hitLists) {
      for (const h of hits) {
        const id = String(h.item);
        const prev = best.get(id);
        if (!prev || h._distance < prev.distance) best.set(id, { id, distance: h._distance, part: String(h.part) });
      }
    }
    const exhausted = hitLists.every((h) => h.length < k);
    if (exhausted || best.size >= distinct || k >= MAX_NEIGHBOURS || round >= 2) {
      return [...best.values()].sort((a, b) => a.distance - b.distance);
    }
    k = Math.min(MAX_NEIGHBOURS, k * 4);
  }
}

/** Which image an update or delete addresses: image > url > cont_sign. */
export async function locate(image: DecodedImage | null, contSign: string | undefined): Promise<string> {
  if (image) return signImage(image);
  if (contSign) return contSign;
  throw new IrisError('MISSING_PARAM', 'param image not exist: send image, url or cont_sign', { field: 'image' });
}

export interface UpdateRequest {
  contSign: string;
  brief?: string;
  labels?: Labels;
}

export async function updateImage(stores: Stores, lib: Library, req: UpdateRequest): Promise<void> {
  const imageId = imageIdOf(req.contSign);
  const set: Record<string, unknown> = {};
  if (req.brief !== undefined) set.brief = req.brief;
  const l = req.labels;
  if (l?.tags !== undefined) set.tags = l.tags;
  if (l?.classId1 !== undefined) set.class_id1 = l.classId1;
  if (l?.classId2 !== undefined) set.class_id2 = l.classId2;
  if (Object.keys(set).length === 0) {
    throw new IrisError('MISSING_PARAM', 'param brief not exist: an update needs brief or tags', { field: 'brief' });
  }
  const item = await stores.metadata.update(imageKey(lib, imageId), { set: { ...set, updatedAt: new Date().toISOString() } }, { ifExists: true });
  if (!item) throw notFound(req.contSign);
  if (l && (l.tags !== undefined || l.classId1 !== undefined || l.classId2 !== undefined)) {
    const table = await stores.vectors.open(libraryTable(lib));
    await table?.updateWhere(`item = ${sqlString(imageId)}`, labelColumns(labelsOfItem(item)));
  }
}

/** Deletes images by cont_sign; returns those that were in the library. NOT_FOUND when none was. */
export async function deleteImages(stores: Stores, lib: Library, contSigns: string[]): Promise<string[]> {
  const removed: Item[] = [];
  for (const contSign of contSigns) {
    const key = imageKey(lib, imageIdOf(contSign));
    const item = await stores.metadata.get(key, { consistent: true });
    if (!item) continue;
    const ok = await stores.metadata.transact([
      { delete: key, condition: { ifExists: true } },
      { update: libraryKeys.library(lib.projectId, lib.kind), spec: { add: { count: -1 } }, condition: { ifMatch: { generation: lib.generation } } },
    ]);
    if (ok) removed.push(item);
  }
  if (removed.length === 0) throw notFound(contSigns.join(';').slice(0, 200));
  const table = await stores.vectors.open(libraryTable(lib));
  if (table) await table.deleteWhere(`item IN (${removed.map((i) => sqlString(String(i.imageId))).join(', ')})`);
  const objectKeys = removed.flatMap((i) => [i.objectKey, i.sidecarKey].filter((k): k is string => typeof k === 'string'));
  if (objectKeys.length) await stores.objects.deleteMany(objectKeys);
  return removed.map((i) => String(i.contSign));
}

export { getLibrary };
