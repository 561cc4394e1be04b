/**
 * Add, search, update and delete of library images — the domain of the Baidu-compatible
 * image-search API, for every library kind. The matching engine (lib/search/engines) is passed
 * in; this module owns storage, limits, filters and paging.
 *
 * Storage of one image (the write protocol of lib/store/write.ts; every key and row id carries
 * the add's write id, so concurrent adds of one image never share a file):
 *   1. S3: the original under data/{project}/libraries/{kind}/{generation}/{id}.{writeId}.{ext},
 *      and the engine's sidecar (local features …) beside it as {id}.{writeId}.sidecar;
 *   2. LanceDB: one row per engine part vector, `id` = "{imageId}#{writeId}#{part}", with the
 *      filter columns (tag_a, tag_b, class_1, class_2; 0 = none) beside the vector so that tag
 *      filters run inside the vector query;
 *   3. DynamoDB: the image item (with its `writeId`), written in one transaction with the
 *      library's count (capacity check) — THE COMMIT POINT. Search joins vector hits to items
 *      and serves a row only when the item was committed by the row's own write: rows of a
 *      failed or losing add are never served, and the sweeper removes them.
 * Update rewrites the item first (the item is the truth that search re-checks), then the rows'
 * filter columns. Delete runs in reverse: item (+count) first, then rows, then objects.
 */
import { IrisError } from '../errors';
import { contentTypeOf, extensionOf, type DecodedImage } from '../images';
import { libraryKeys } from '../store/keys';
import type { Item, Stores, VectorFilter, VectorHit, VectorRow, VectorTable } from '../store/ports';
import { committedWrites, keyString, removeCommitted, runWrite } from '../store/write';
import { ANN_NPROBES, ANN_REFINE_FACTOR, RESULT_WINDOW, VECTOR_PRECISION } from './contract';
import { WHOLE_IMAGE, type Candidate, type Description, type Match, type PartSearch, type PartVector, type QueryHint, type Region, type SearchEngine } from './engine';
import { getLibrary, libraryNotCreated, libraryObjectPrefix, libraryTable, type Library } from './library';
import { contSignOf, imageIdOf, type Window } from './params';

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

/** A box in an image's pixels (Iris addition: the subject the similar / product engines embedded). */
export interface SubjectBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Iris's addition to Baidu's hit (same-image and picture-book kinds): where the query lies in the
 * matched stored image — the query's outline (its corners top-left, top-right, bottom-right,
 * bottom-left) mapped into the stored image's pixel coordinates by the transform the verification
 * found; `width` and `height` are the stored image's size. Points may lie outside the image when
 * the query shows more than it (a collage, a border).
 */
export interface HitRegion {
  points: Array<[number, number]>;
  width: number;
  height: number;
}

export interface SearchHit {
  cont_sign: string;
  score: number;
  brief: string;
  region?: HitRegion;
  /** Iris addition (similar, product): the stored image's main subject, in its pixels. */
  subject?: SubjectBox;
}

export interface SearchResult {
  result_num: number;
  result: SearchHit[];
  has_more: boolean;
  /** Iris addition (similar, product): the query's main subject, in the query's pixels. */
  query_subject?: SubjectBox;
}

/**
 * A class profile as stored in an item: one byte per class (score × 255), base64 — 80 classes
 * in 108 characters. Scores are in [0, 1]; the byte's rounding (±0.002) is far below what moves a ranking.
 */
export function encodeProfile(profile: number[]): string {
  return Buffer.from(profile.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255))).toString('base64');
}

/** The stored class profile, or undefined when the item has none (or a malformed one). */
export function decodeProfile(v: unknown): Float32Array | undefined {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const bytes = Buffer.from(v, 'base64');
  return bytes.length > 0 ? Float32Array.from(bytes, (b) => b / 255) : undefined;
}

/** A stored subject box, if the item holds a well-formed one. */
function subjectOf(v: unknown): SubjectBox | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const n = (k: string) => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? Math.round(o[k] as number) : NaN);
  const box = { left: n('left'), top: n('top'), width: n('width'), height: n('height') };
  return Object.values(box).every((x) => !Number.isNaN(x)) ? box : undefined;
}

/** Ceiling on nearest neighbours fetched per query vector. */
const MAX_NEIGHBOURS = 10_000;

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

/** The filter as a vector pre-filter over the label columns. */
export function whereOf(f: Filter): VectorFilter | undefined {
  const clauses: VectorFilter[] = [];
  if (f.tags.length > 0) {
    const has = (t: number): VectorFilter => ({ or: [{ eq: { tag_a: t } }, { eq: { tag_b: t } }] });
    clauses.push(f.logic === 'and' ? { and: f.tags.map(has) } : { or: f.tags.map(has) });
  }
  if (f.classId1 !== undefined) clauses.push({ eq: { class_1: f.classId1 } });
  if (f.classId2 !== undefined) clauses.push({ eq: { class_2: f.classId2 } });
  return clauses.length === 0 ? undefined : clauses.length === 1 ? clauses[0] : { and: clauses };
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
  /** Absolute time (ms) by which the add must have committed (the invocation's budget). */
  deadline?: number;
  onUndoFailure?: (what: string, error: unknown) => void;
}

/**
 * Row ids carry the write id: `{imageId}#{writeId}#{part}`. Rows of images stored before write
 * ids existed are `{imageId}#{part}`, and their items have no `writeId`.
 */
export const rowIdOf = (imageId: string, writeId: string | undefined, part: string): string =>
  writeId ? `${imageId}#${writeId}#${part}` : `${imageId}#${part}`;

/** The write id of a row id ('' for rows written before write ids). */
export const writeOfRow = (id: string): string => {
  const parts = id.split('#');
  return parts.length >= 3 ? parts[1] : '';
};

/** The rows a committed item owns. */
const rowIdsOfItem = (item: Item): string[] =>
  (Array.isArray(item.parts) ? (item.parts as string[]) : []).map((p) => rowIdOf(String(item.imageId), item.writeId as string | undefined, p));

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
  const thumbnailBytes = await thumbnailOf(image);
  // Every key and row id below carries this attempt's write id, so a concurrent add of the same
  // image never shares one and undoing a lost race can only remove this attempt's own files.
  return runWrite(stores, { deadline: opts.deadline, onUndoFailure: opts.onUndoFailure }, async (w) => {
    const r = addRecord(lib, { imageId, contSign, writeId: w.id, image, description, brief, labels, now });
    // 1. objects
    await w.putObject(r.objectKey, image.bytes, { contentType: contentTypeOf(image.format) });
    if (description.sidecar && r.sidecarKey) await w.putObject(r.sidecarKey, description.sidecar, { contentType: 'application/octet-stream' });
    await w.putObject(r.thumbnailKey, thumbnailBytes, { contentType: contentTypeOf('jpeg') });
    // 2. vectors
    await w.putRows(libraryTable(lib), r.rows, { precision: VECTOR_PRECISION });
    // 3. the item, with the library's count under its capacity: the commit point.
    const item = r.item;
    const committed = await w.commit(
      [
        { put: item, condition: { ifNotExists: true } },
        {
          update: libraryKeys.library(lib.projectId, lib.kind),
          spec: { add: { count: 1 }, set: { metric: engine.metric } },
          condition: { ifBelow: { attr: 'count', limit: lib.capacity }, ifMatch: { generation: lib.generation } },
        },
      ],
      key,
    );
    if (!committed) {
      // A concurrent add of the same image won (its files are its own), the library went, or it is full.
      if (await stores.metadata.get(key, { consistent: true })) throw itemExists(contSign);
      const current = await stores.metadata.get(libraryKeys.library(lib.projectId, lib.kind), { consistent: true });
      if (!current || current.generation !== lib.generation) throw libraryNotCreated(lib.kind);
      throw quotaExceeded({ ...lib, count: Number(current.count ?? 0), capacity: Number(current.capacity) });
    }
    // The ANN index is built by the maintenance job (lib/search/maintain.ts), not here: building
    // it takes longer than an API call may.
    return { contSign };
  });
}

export interface AddRecord {
  objectKey: string;
  sidecarKey?: string;
  thumbnailKey: string;
  rows: VectorRow[];
  /** The image's item: its commit point. */
  item: Item;
}

/** What one add of an image stores, named under the add's write id (the keys, the rows, the item). */
export function addRecord(
  lib: Library,
  a: { imageId: string; contSign: string; writeId: string; image: Pick<DecodedImage, 'format' | 'width' | 'height'>; description: Description; brief: string; labels: Labels; now: Date },
): AddRecord {
  const base = `${libraryObjectPrefix(lib)}${a.imageId}.${a.writeId}`;
  const objectKey = `${base}.${extensionOf(a.image.format)}`;
  const sidecarKey = a.description.sidecar ? `${base}.sidecar` : undefined;
  const thumbnailKey = `${base}.thumb.jpg`;
  const rows: VectorRow[] = a.description.vectors.map((v) => ({
    id: rowIdOf(a.imageId, a.writeId, v.part),
    vector: v.vector,
    item: a.imageId,
    part: v.part,
    ...labelColumns(a.labels),
    added_at: a.now.getTime(),
  }));
  const item: Item = {
    ...imageKey(lib, a.imageId),
    imageId: a.imageId,
    contSign: a.contSign,
    brief: a.brief,
    tags: a.labels.tags ?? [],
    ...(a.labels.classId1 !== undefined ? { class_id1: a.labels.classId1 } : {}),
    ...(a.labels.classId2 !== undefined ? { class_id2: a.labels.classId2 } : {}),
    writeId: a.writeId,
    objectKey,
    ...(sidecarKey ? { sidecarKey } : {}),
    thumbnailKey,
    ...(a.description.subject ? { subject: subjectOf(a.description.subject) } : {}),
    ...(a.description.profile?.length ? { profile: encodeProfile(a.description.profile) } : {}),
    parts: rows.map((r) => r.part as string),
    format: a.image.format,
    width: a.image.width,
    height: a.image.height,
    createdAt: a.now.toISOString(),
  };
  return { objectKey, sidecarKey, thumbnailKey, rows, item };
}

/** Longest side of the thumbnail stored with each image (the console's grid). */
export const THUMBNAIL_SIDE = 320;

/** The thumbnail stored beside an image: at most THUMBNAIL_SIDE px on its longest side, JPEG q80, transparency on white. */
async function thumbnailOf(image: DecodedImage): Promise<Buffer> {
  return image
    .sharp()
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** The objects a committed item owns: the image, and its sidecar and thumbnail when it has them. */
export const objectsOfItem = (item: Item): string[] =>
  [item.objectKey, item.sidecarKey, item.thumbnailKey].filter((k): k is string => typeof k === 'string');

function quotaExceeded(lib: Pick<Library, 'kind' | 'capacity' | 'count'>): IrisError {
  return new IrisError('QUOTA', `the ${lib.kind} library is full (${lib.count} of ${lib.capacity} images): request a larger capacity`);
}

export interface SearchRequest {
  image: DecodedImage;
  filter: Filter;
  window: Window;
  /** A subject the caller chose (similar, product), in the query's pixels. */
  subject?: QueryHint['subject'];
}

export async function searchImages(stores: Stores, engine: SearchEngine, lib: Library, req: SearchRequest): Promise<SearchResult> {
  const { image, filter, window } = req;
  let empty: SearchResult = { result_num: 0, result: [], has_more: false };
  const table = await stores.vectors.open(libraryTable(lib));
  if (!table) return empty;
  const where = whereOf(filter);

  // An engine that verifies a handful of candidates (same-image) needs no more images than those:
  // its exact path answers at most that many near-identical copies, its full path verifies them.
  const need = Math.min(window.end + 1, engine.candidateImages ?? Infinity);
  // The exact path: a stored image whose perceptual hash is (nearly) the query's is the answer,
  // found without running a model.
  const probe = engine.exactProbe ? await engine.exactProbe(image) : null;
  if (probe) {
    const hits = await table.search(probe.vector, {
      k: Math.max(10, need),
      where: onPart(where, probe.part),
      metric: engine.metric,
      select: ['item', 'part', '_distance'],
      nprobes: ANN_NPROBES,
      refineFactor: ANN_REFINE_FACTOR,
    });
    const close = hits.filter((h) => h._distance <= probe.maxDistance).map(rowOf);
    const served = await committedRows(stores, lib, close, filter);
    if (served.size) {
      const matches = [...served.values()].map(({ row, item }) => ({ match: { id: row.item, score: probe.score(row.distance), region: WHOLE_IMAGE }, item }));
      return page(matches.sort((a, b) => b.match.score - a.match.score), window);
    }
  }

  const description = await engine.describeQuery(image, req.subject ? { subject: req.subject } : undefined);
  const querySubject = subjectOf(description.subject);
  if (querySubject) empty = { ...empty, query_subject: querySubject };
  if (description.vectors.length === 0 && !description.next) return empty;
  const candidatesOf = async (vectors: PartVector[], words: PartSearch | undefined) => {
    const rows = vectors.length ? await nearest(table, engine, vectors.map((v) => v.vector), where, need, words?.part) : [];
    return committedRows(stores, lib, rows, filter, need);
  };
  const byImage = await candidatesOf(description.vectors, description.partSearch);
  const candidateOf = ({ row, item }: Served): Candidate => {
    const profile = decodeProfile(item.profile);
    return { id: row.item, distance: row.distance, part: row.part, ...(profile ? { profile } : {}) };
  };
  const candidates = [...byImage.values()].map(candidateOf);
  const words = description.partSearch?.vectors.length ? description.partSearch : undefined;
  if (candidates.length === 0 && !words && !description.next) return empty;
  // The next stage and the part search run only if the engine asks for them (SearchEngine.rank `more`).
  const later = new Map<string, Served>();
  const more =
    words || description.next
      ? async (): Promise<Candidate[]> => {
          const stage = description.next ? await description.next() : undefined;
          const search = stage?.partSearch?.vectors.length ? stage.partSearch : words;
          const [embedded, byPart] = await Promise.all([
            stage ? candidatesOf(stage.vectors, search) : new Map<string, Served>(),
            search ? partNearest(table, engine, search, where).then((rows) => committedRows(stores, lib, rows, filter, search.images)) : new Map<string, Served>(),
          ]);
          for (const [id, hit] of [...embedded, ...byPart]) if (!later.has(id) && !byImage.has(id)) later.set(id, hit);
          return [...embedded.values()].map(candidateOf).concat([...byPart.values()].slice(0, search?.images ?? 0).map(candidateOf));
        }
      : undefined;
  const itemOf = (id: string) => (byImage.get(id) ?? later.get(id))?.item;
  const matches = await engine.rank(
    { image, description },
    candidates,
    async (id) => {
      const key = itemOf(id)?.sidecarKey;
      const o = typeof key === 'string' ? await stores.objects.get(key) : null;
      return o ? o.body : null;
    },
    more,
  );
  return page(
    matches.map((m) => ({ match: m, item: itemOf(m.id)! })),
    window,
    querySubject,
  );
}

/** The region in the stored image's pixels (its stored width and height). */
function hitRegion(region: Region, item: Item): HitRegion | undefined {
  const width = Number(item.width);
  const height = Number(item.height);
  if (!(width > 0 && height > 0)) return undefined;
  const px = (v: number) => Math.round(v * 10) / 10;
  return { points: region.points.map(([x, y]) => [px(x * width), px(y * height)] as [number, number]), width, height };
}

function page(matches: Array<{ match: Match; item: Item }>, window: Window, querySubject?: SubjectBox): SearchResult {
  const served: SearchHit[] = matches.map(({ match: m, item }) => {
    const hit: SearchHit = { cont_sign: String(item.contSign), score: clamp01(m.score), brief: String(item.brief ?? '') };
    const region = m.region ? hitRegion(m.region, item) : undefined;
    if (region) hit.region = region;
    const subject = subjectOf(item.subject);
    if (subject) hit.subject = subject;
    return hit;
  });
  const shown = served.slice(window.start, window.end);
  return {
    result_num: shown.length,
    result: shown,
    has_more: window.end < RESULT_WINDOW && served.length > window.end,
    ...(querySubject ? { query_subject: querySubject } : {}),
  };
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

interface NearRow {
  item: string;
  write: string;
  part: string;
  distance: number;
}

/** A row served for its committed image. */
interface Served {
  row: NearRow;
  item: Item;
}

/** The rows of one part (and the search's filter). */
const onPart = (where: VectorFilter | undefined, part: string): VectorFilter => (where ? { and: [where, { eq: { part } }] } : { eq: { part } });

const rowOf = (h: VectorHit): NearRow => ({
  item: String(h.item),
  write: writeOfRow(String(h.id)),
  part: String(h.part),
  distance: h._distance,
});

/**
 * The rows that may be served, best first, one per image: a row is served only when its image's
 * item exists, was committed by the row's own write and still matches the filter (the item is the
 * truth; rows may briefly lag an update). Rows of an add that never committed, or that lost a race
 * to a concurrent add of the same image, are never ranked.
 */
/**
 * The committed image of each row, nearest first, for up to `need` images: items are read in
 * distance order, a chunk at a time, so a search that answers 300 images reads about 300 items,
 * not the thousand or more rows its vector search returned. A row whose write is not the image's
 * committed one (an add in flight, a replaced image) or whose item fails the filter is skipped,
 * and the next chunk is read until `need` images are served or the rows run out.
 */
async function committedRows(stores: Stores, lib: Library, rows: NearRow[], filter: Filter, need = Infinity): Promise<Map<string, Served>> {
  const served = new Map<string, Served>();
  const order = [...new Set(rows.map((r) => r.item))];
  for (let from = 0; from < order.length && served.size < need; ) {
    const size = Number.isFinite(need) ? Math.max(Math.min(JOIN_CHUNK, 2 * need), need - served.size) : order.length;
    const chunk = new Set(order.slice(from, from + size));
    from += chunk.size;
    const items = await committedWrites(stores, [...chunk].map((id) => imageKey(lib, id)));
    for (const row of rows) {
      if (!chunk.has(row.item) || served.has(row.item)) continue;
      const item = items.get(keyString(imageKey(lib, row.item)));
      if (!item || String(item.writeId ?? '') !== row.write || !itemMatches(filter, item)) continue;
      served.set(row.item, { row, item });
    }
  }
  // Nearest first, whatever chunk an image came from.
  return new Map([...served.entries()].sort((a, b) => a[1].row.distance - b[1].row.distance));
}

/** Fewest items read at a time when joining rows to their committed images (twice the images asked for, when fewer). */
const JOIN_CHUNK = 100;

/**
 * Nearest rows for every query vector, best distance per (image, write) first. An image stored
 * as several part vectors takes several rows, so the fetch widens until `distinct` images are
 * found or the table is exhausted.
 */
async function nearest(
  table: VectorTable,
  engine: SearchEngine,
  vectors: number[][],
  where: VectorFilter | undefined,
  distinct: number,
  searchedPart?: string,
): Promise<NearRow[]> {
  const own = new Set([...(engine.ownParts ?? []), ...(searchedPart ? [searchedPart] : [])]);
  let k = Math.max(engine.candidatePool, distinct);
  for (let round = 0; ; round++) {
    const hitLists = await Promise.all(
      vectors.map((v) =>
        table.search(v, { k, where, metric: engine.metric, select: ['item', 'part', '_distance'], nprobes: ANN_NPROBES, refineFactor: ANN_REFINE_FACTOR }),
      ),
    );
    // Rows of the engine's own parts and of the searched part live in other spaces; they answer their own searches only.
    const best = bestRows(hitLists.flat(), (row) => !own.has(row.part));
    const exhausted = hitLists.every((h) => h.length < k);
    const images = new Set(best.map((r) => r.item)).size;
    if (exhausted || images >= distinct || k >= MAX_NEIGHBOURS || round >= 2) return best;
    k = Math.min(MAX_NEIGHBOURS, k * 4);
  }
}

/**
 * The rows of the probe's part nearest any of its vectors, best per (image, write) first: a few
 * more than the images it asks for, so that an add still in flight does not take a place.
 */
async function partNearest(table: VectorTable, engine: SearchEngine, probe: PartSearch, where: VectorFilter | undefined): Promise<NearRow[]> {

  const k = probe.images + PART_SEARCH_SPARE;
  const hitLists = await Promise.all(
    probe.vectors.map((v) => table.search(v, { k, where: onPart(where, probe.part), metric: engine.metric, select: ['item', 'part', '_distance'], nprobes: ANN_NPROBES, refineFactor: ANN_REFINE_FACTOR })),
  );
  return bestRows(hitLists.flat());
}

/** The nearest row of each (image, write) among the hits that `keep` accepts, nearest first. */
function bestRows(hits: VectorHit[], keep: (row: NearRow) => boolean = () => true): NearRow[] {
  const best = new Map<string, NearRow>();
  for (const h of hits) {
    const row = rowOf(h);
    if (!keep(row)) continue;
    const id = `${row.item}#${row.write}`;
    const prev = best.get(id);
    if (!prev || row.distance < prev.distance) best.set(id, row);
  }
  return [...best.values()].sort((a, b) => a.distance - b.distance);
}

/** Rows beyond the images a probe asks for, per probe vector. */
const PART_SEARCH_SPARE = 4;

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
    // Only the committed write's rows: another attempt's rows are not this item's.
    const ids = rowIdsOfItem(item);
    const table = await stores.vectors.open(libraryTable(lib));
    if (table && ids.length) await table.updateWhere({ in: { id: ids } }, labelColumns(labelsOfItem(item)));
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
  // Rows and objects of the removed writes only: a concurrent add of the same image, started
  // after the item went, writes under its own write id and must keep its files.
  await removeCommitted(stores, {
    ops: [],
    rows: { table: libraryTable(lib), ids: removed.flatMap(rowIdsOfItem) },
    objects: removed.flatMap(objectsOfItem),
  });
  return removed.map((i) => String(i.contSign));
}

export { getLibrary };
