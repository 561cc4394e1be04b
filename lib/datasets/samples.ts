/**
 * Samples of a dataset (ModelArts-compatible): add in batches (ModelArts API reference, "Adding Samples in Batches"), list with filters and
 * paging, show, batch delete, batch update of labels and metadata.
 *
 * Identity: a sample is named by the bucket path of its file, and its id is
 * md5(datasetId + "/" + path) — the 32 hex digits the example of "Adding Samples in Batches" answers as `info`. Adding
 * the same name again (a retried batch, a re-uploaded hard example) overwrites that one sample.
 *
 * Write protocol (lib/store/write.ts): the object first (under a key of its own write, beside the
 * sample's path: see versionedObjectKey), then one transaction that puts the sample item with a
 * version check, puts / deletes its facet items and adds the counter deltas — the commit point.
 * Deletes go the other way: the transaction first, then the object (when delete_source).
 *
 * Listing (key design in lib/store/keys.ts): the most selective key-served filter picks the
 * partition (label_name > hard > sample_state > label_type > sample_type > all); it is read with
 * Query in time order, and the remaining filters (and low_score/high_score) are applied to the
 * items read. `sample_count` comes from the counters when at most one key-served filter is used,
 * otherwise it is counted over that partition.
 */
import { createHash } from 'node:crypto';
import { IrisError } from '../errors';
import { sniffFormat } from '../images/sniff';
import { dataUrlRefused, hasDataUrlHeader } from '../images/base64';
import { datasetKeys } from '../store/keys';
import type { Item, MetadataStore, Stores, TransactOp } from '../store/ports';
import { runWrite, withLease } from '../store/write';
import { CODES, datasetNotFound, IMAGE_SAMPLE_FORMATS, MAX_OBJECT_KEY_BYTES, MAX_SAMPLE_BYTES, type StoredState } from './contract';
import { datasetCounters, runLimited, type Dataset } from './datasets';
import { normalizeBucketPath, objectKeyOf, samplesFolder, splitPath } from './paths';
import { labelSchema, metadataSchema, parseSample, type LabelInput, type SampleInput } from './sample-input';
import { queryPages } from '../store/query';

export interface StoredSample {
  datasetId: string;
  sampleId: string;
  /** Bucket path shown to users (`/bucket/dir/file.jpg`). */
  path: string;
  objectKey: string;
  /** True when Iris wrote the object (in the dataset folder); false for an imported object. */
  owned: boolean;
  size: number;
  sampleType: number;
  state: StoredState;
  labels: LabelInput[];
  metadata: Record<string, unknown>;
  usage?: string;
  encoding?: string;
  time: string;
  version: number;
  /** The write that stored the sample's current object (lib/store/write.ts). */
  writeId?: string;
}

export const sampleIdOf = (datasetId: string, path: string): string => createHash('md5').update(`${datasetId}/${path}`).digest('hex');

/** Default sample_type for a dataset_type ("Creating a Dataset" dataset types ↔ "Adding Samples in Batches" table 4 sample types). */
export function defaultSampleType(datasetType: number): number {
  if (datasetType < 100) return 0;
  if (datasetType < 200) return 1;
  if (datasetType < 300) return 2;
  if (datasetType === 400) return 4;
  if (datasetType === 600) return 6;
  return 9;
}

const isHard = (s: Pick<StoredSample, 'metadata'>): boolean => s.metadata['@modelarts:hard'] === 1 || s.metadata['@modelarts:hard'] === true;

export function stateOf(labels: LabelInput[], finalAnnotation: boolean): StoredState {
  if (labels.length === 0) return '__NONE__';
  return finalAnnotation ? '__ALL__' : '__UNCHECK__';
}

/**
 * The facet of a label name. GSI key values are capped at 2048 bytes, so long names (up to 1024
 * characters, 3 bytes each in CJK) are named by their hash.
 */
export const labelFacet = (name: string): string =>
  Buffer.byteLength(name) <= 512 ? `L#${name}` : `L#sha256:${createHash('sha256').update(name).digest('hex')}`;

/** Facets: label names, label types and the sample type, each a partition of gsi1. */
export function facetsOf(s: Pick<StoredSample, 'labels' | 'sampleType'>): string[] {
  const f = new Set<string>([`TY#${s.sampleType}`]);
  for (const l of s.labels) {
    if (l.name !== undefined) f.add(labelFacet(l.name));
    f.add(`LT#${l.type}`);
  }
  return [...f];
}

/** Counter attributes a sample contributes to (on the dataset's STATS item). */
function countersOf(s: StoredSample | null): Record<string, number> {
  if (!s) return {};
  const c: Record<string, number> = { n: 1, [`st:${s.state}`]: 1 };
  if (isHard(s)) c.hard = 1;
  for (const f of facetsOf(s)) c[`f:${f}`] = 1;
  return c;
}

const sortKey = (s: Pick<StoredSample, 'time' | 'sampleId'>) => `${s.time}#${s.sampleId}`;

function sampleItem(s: StoredSample): Item {
  const sk = sortKey(s);
  return {
    ...datasetKeys.sample(s.datasetId, s.sampleId),
    kind: 'sample',
    ...s,
    gsi1pk: datasetKeys.allIndex(s.datasetId),
    gsi1sk: sk,
    gsi2pk: datasetKeys.stateIndex(s.datasetId, s.state),
    gsi2sk: sk,
    ...(isHard(s) ? { gsi3pk: datasetKeys.hardIndex(s.datasetId), gsi3sk: sk } : {}),
  };
}

const toSample = (i: Item): StoredSample => ({
  datasetId: String(i.datasetId),
  sampleId: String(i.sampleId),
  path: String(i.path),
  objectKey: String(i.objectKey),
  owned: i.owned === true,
  size: Number(i.size ?? 0),
  sampleType: Number(i.sampleType),
  state: i.state as StoredState,
  labels: (i.labels as LabelInput[]) ?? [],
  metadata: (i.metadata as Record<string, unknown>) ?? {},
  usage: i.usage as string | undefined,
  encoding: i.encoding as string | undefined,
  time: String(i.time),
  version: Number(i.version ?? 0),
  ...(typeof i.writeId === 'string' ? { writeId: i.writeId } : {}),
});

export async function getSample(metadata: MetadataStore, datasetId: string, sampleId: string): Promise<StoredSample | null> {
  const item = await metadata.get(datasetKeys.sample(datasetId, sampleId));
  return item ? toSample(item) : null;
}

/**
 * What the list filters look at, copied onto each facet item so that a filtered list can test and
 * count candidates from the facet partition alone and fetch only the page's samples.
 */
export interface FilterView {
  st: string;
  h: 0 | 1;
  ty: number;
  /** Labels as [name, type, score]. */
  lb: Array<[string | null, number, number | null]>;
}

export const filterViewOf = (s: StoredSample): FilterView => ({
  st: s.state,
  h: isHard(s) ? 1 : 0,
  ty: s.sampleType,
  lb: s.labels.map((l) => [l.name ?? null, l.type, l.score ?? null]),
});

const facetItem = (s: StoredSample, f: string): Item => ({
  ...datasetKeys.facet(s.datasetId, s.sampleId, f),
  kind: 'facet',
  sampleId: s.sampleId,
  fv: filterViewOf(s),
  gsi1pk: datasetKeys.facetIndex(s.datasetId, f),
  gsi1sk: sortKey(s),
});

/**
 * The items one committed sample consists of (sample + facets) and its counter contributions —
 * what commitSample writes in one transaction. Exposed for bulk loading (bench/datasets.ts).
 */
export function sampleRecords(s: StoredSample): { items: Item[]; counters: Record<string, number> } {
  const items = [sampleItem(s)];
  for (const f of facetsOf(s)) {
    items.push(facetItem(s, f));
  }
  return { items, counters: countersOf(s) };
}

const MAX_TRANSACT = 100;
const MAX_ITEM_BYTES = 300_000;

/**
 * The transaction that commits `next` over `prev` (null = new, `next` null = delete), guarded by
 * a version check: it fails when someone else changed the sample in between.
 */
function sampleCommitOps(datasetId: string, prev: StoredSample | null, next: StoredSample | null): TransactOp[] {
  const ops: TransactOp[] = [];
  const sampleId = (next ?? prev)!.sampleId;
  const key = datasetKeys.sample(datasetId, sampleId);
  const guard = prev ? { ifMatch: { version: prev.version } } : { ifNotExists: true };
  if (next) {
    const item = sampleItem(next);
    // DynamoDB items are capped at 400 KB; facet items carry the label summary too.
    if (Buffer.byteLength(JSON.stringify(item)) > MAX_ITEM_BYTES) {
      throw new IrisError('BAD_PARAM', `the sample's labels and metadata take more than ${MAX_ITEM_BYTES / 1000} KB`, { field: 'labels', codes: { modelarts: CODES.badParam } });
    }
    ops.push({ put: item, condition: guard });
  }
  else ops.push({ delete: key, condition: guard });
  const nextFacets = next ? facetsOf(next) : [];
  const prevFacets = prev ? facetsOf(prev) : [];
  for (const f of nextFacets) {
    ops.push({ put: facetItem(next!, f) });
  }
  for (const f of prevFacets) if (!nextFacets.includes(f)) ops.push({ delete: datasetKeys.facet(datasetId, sampleId, f) });
  const delta: Record<string, number> = { ...countersOf(next) };
  for (const [k, v] of Object.entries(countersOf(prev))) delta[k] = (delta[k] ?? 0) - v;
  const add = Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== 0));
  // The counters item doubles as the dataset's liveness check: no writes into a deleted dataset.
  if (Object.keys(add).length) ops.push({ update: datasetKeys.stats(datasetId), spec: { add }, condition: { ifExists: true } });
  else ops.push({ check: datasetKeys.stats(datasetId), condition: { ifExists: true } });
  if (ops.length > MAX_TRANSACT) {
    throw new IrisError('BAD_PARAM', `a sample may carry at most ${MAX_TRANSACT - 3} distinct label names and types`, { codes: { modelarts: CODES.badParam } });
  }
  return ops;
}

/** Commits `next` over `prev` in one transaction. Returns false when the sample changed in between. */
export function commitSample(metadata: MetadataStore, datasetId: string, prev: StoredSample | null, next: StoredSample | null): Promise<boolean> {
  // The adapter retries transactions cancelled by a concurrent one (the counters item is shared).
  return metadata.transact(sampleCommitOps(datasetId, prev, next));
}

export interface SampleResult {
  success: boolean;
  name?: string;
  info?: string;
  error_code?: string;
  error_msg?: string;
}

const failure = (name: string | undefined, code: string, msg: string): SampleResult => ({
  success: false,
  ...(name !== undefined ? { name } : {}),
  error_code: code,
  error_msg: msg,
});

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const EXT: Record<string, string> = { jpeg: '.jpg', png: '.png', bmp: '.bmp', gif: '.gif', webp: '.webp' };

export interface SampleWrite {
  path: string;
  bytes?: Buffer;
  contentType?: string;
  /** Size of an imported object. */
  size?: number;
  owned: boolean;
  sampleType: number;
  labels: LabelInput[];
  metadata: Record<string, unknown>;
  finalAnnotation: boolean;
  encoding?: string;
}

/**
 * Writes one sample through the write protocol (lib/store/write.ts): the object (when bytes are
 * given), then the item — the commit point. A sample already stored under the same path is
 * overwritten (its creation time is kept).
 *
 * A sample's object lives at its path (the `source` ModelArts answers), so every write of one
 * path shares one key. Writers of a path therefore hold the path's lease (lib/store/write.ts
 * `withLease`) from the object write to the commit, and so does a delete that removes the object
 * (delete_source): a delete can never remove the object of a write that commits after it.
 */
export async function putSample(
  s: Stores,
  ds: Pick<Dataset, 'projectId' | 'datasetId'>,
  w: SampleWrite,
  now = new Date(),
  opts: { deadline?: number } = {},
): Promise<StoredSample> {
  const sampleId = sampleIdOf(ds.datasetId, w.path);
  const key = datasetKeys.sample(ds.datasetId, sampleId);
  const objectKey = objectKeyOf(ds.projectId, w.path);
  if (Buffer.byteLength(objectKey) > MAX_OBJECT_KEY_BYTES) {
    throw new IrisError('BAD_PARAM', `param name invalid: the sample's path is ${Buffer.byteLength(w.path)} bytes, too long for a bucket key of ${MAX_OBJECT_KEY_BYTES} bytes`, { field: 'name', codes: { modelarts: CODES.badParam } });
  }
  return withLease(s.metadata, datasetKeys.sampleLease(ds.datasetId, sampleId), () =>
    runWrite(s, { deadline: opts.deadline }, async (write) => {
      if (w.bytes) {
        // When a committed sample already names this object, an undo must leave it.
        const named = (await getSample(s.metadata, ds.datasetId, sampleId))?.objectKey === objectKey;
        await write.putObject(objectKey, w.bytes, { contentType: w.contentType, metadata: { 'iris-dataset': ds.datasetId, 'iris-sample': sampleId }, leased: true, keepOnUndo: named });
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        const prev = await getSample(s.metadata, ds.datasetId, sampleId);
        const next: StoredSample = {
          datasetId: ds.datasetId,
          sampleId,
          path: w.path,
          objectKey,
          owned: w.owned,
          size: w.bytes?.length ?? w.size ?? 0,
          sampleType: w.sampleType,
          state: stateOf(w.labels, w.finalAnnotation),
          labels: w.labels,
          metadata: w.metadata,
          ...(w.encoding ? { encoding: w.encoding } : {}),
          ...(prev?.usage ? { usage: prev.usage } : {}),
          time: prev?.time ?? now.toISOString(),
          version: (prev?.version ?? 0) + 1,
          writeId: write.id,
        };
        if (await write.commit(sampleCommitOps(ds.datasetId, prev, next), key)) return next;
        // The dataset is gone (its counters item with it) or the sample changed under us: re-check.
        if (!(await s.metadata.get(datasetKeys.stats(ds.datasetId)))) throw datasetNotFound(ds.datasetId);
      }
      throw new IrisError('CONFLICT', 'the sample is being changed concurrently, retry', { codes: { modelarts: CODES.duplicateName } });
    }),
    { deadline: opts.deadline },
  );
}

/** Resolves one validated sample's file: decoded data into the dataset folder, or an imported object. */
async function resolveFile(s: Stores, ds: Dataset, input: SampleInput, sampleType: number): Promise<SampleWrite | SampleResult> {
  const base = { sampleType, labels: input.labels ?? [], metadata: (input.metadata ?? {}) as Record<string, unknown>, finalAnnotation: true, encoding: input.encoding };
  if (input.data !== undefined) {
    if (hasDataUrlHeader(input.data)) return failure(input.name, CODES.badParam, `param ${dataUrlRefused('data')}`);
    const text = input.data.replace(/\s+/g, '');
    if (!BASE64.test(text) && !BASE64URL.test(text)) return failure(input.name, CODES.badParam, 'param data invalid: not base64');
    const bytes = Buffer.from(text, BASE64.test(text) ? 'base64' : 'base64url');
    if (bytes.length === 0) return failure(input.name, CODES.badParam, 'param data invalid: empty after base64 decoding');
    if (bytes.length > MAX_SAMPLE_BYTES) return failure(input.name, CODES.badParam, `param data invalid: ${bytes.length} bytes exceed ${MAX_SAMPLE_BYTES}`);
    const format = sniffFormat(bytes);
    if (sampleType === 0 && !(IMAGE_SAMPLE_FORMATS as readonly string[]).includes(format ?? '')) return failure(input.name, CODES.badParam, 'param data invalid: an image sample must be JPEG, PNG, BMP, GIF or WebP');
    const name = input.name && input.name !== '' ? input.name : `${createHash('md5').update(bytes).digest('hex')}${format ? EXT[format] ?? '' : ''}`;
    const path = `${samplesFolder(ds.workPath, ds.datasetId)}${name.replace(/^\/+/, '')}`;
    return { ...base, path, bytes, owned: true, contentType: format ? `image/${format}` : 'application/octet-stream' };
  }
  const src = input.data_source!;
  if (src.data_type !== 0) {
    return failure(input.name, CODES.sourceUnsupported, `data_source data_type ${src.data_type} is not supported: Iris imports objects of its bucket (data_type 0) only`);
  }
  if (!src.data_path) return failure(input.name, CODES.badParam, 'param data_source.data_path not exist');
  let path: string;
  try {
    path = normalizeBucketPath(src.data_path, 'data_source.data_path', false);
  } catch (e) {
    return failure(input.name, CODES.badParam, (e as Error).message);
  }
  const head = await s.objects.head(objectKeyOf(ds.projectId, path));
  if (!head) return failure(path, CODES.sourceNotFound, `object ${path} does not exist in the bucket`);
  return { ...base, path, size: head.size, owned: false };
}

/** Adds a batch of samples; every sample gets its own result, a bad one never fails the others. */
export async function addSamples(
  s: Stores,
  ds: Dataset,
  body: { samples?: unknown[]; final_annotation?: boolean },
  now = new Date(),
  opts: { deadline?: number } = {},
): Promise<{ success: boolean; results: SampleResult[] }> {
  const finalAnnotation = body.final_annotation ?? true;
  // Samples of one batch keep the batch order in time-ordered lists (1 ms apart).
  const results = await runLimited(body.samples ?? [], 8, async (raw, i): Promise<SampleResult> => {
    const rawName = raw && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : undefined;
    const parsed = parseSample(raw, finalAnnotation);
    if (!parsed.ok) return failure(rawName, CODES.badParam, parsed.message);
    const input = parsed.sample;
    const sampleType = input.sample_type ?? defaultSampleType(ds.type);
    try {
      const file = await resolveFile(s, ds, input, sampleType);
      if ('success' in file) return file;
      const stored = await putSample(s, ds, { ...file, finalAnnotation }, new Date(now.getTime() + i), { deadline: opts.deadline });
      return { success: true, name: stored.path, info: stored.sampleId };
    } catch (e) {
      if (e instanceof IrisError) return failure(rawName, String(e.codes.modelarts ?? CODES.badParam), e.message);
      throw e;
    }
  });
  return { success: results.every((r) => r.success), results };
}

export interface ListQuery {
  offset: number;
  limit: number;
  order: 'asc' | 'desc';
  labelName?: string;
  labelType?: number;
  sampleState?: string;
  sampleType?: number;
  lowScore: number;
  highScore: number;
  hardOnly: boolean;
}

const STORED_STATES: StoredState[] = ['__ALL__', '__NONE__', '__UNCHECK__'];

/** Filters as predicates over a FilterView, and the key-served ones as partitions. */
function plan(ds: string, q: ListQuery) {
  type Partition = { index: 'gsi1' | 'gsi2' | 'gsi3'; pk: string; facet: boolean };
  const checks: Array<{ partition: Partition; counter: string; test: (v: FilterView) => boolean }> = [];
  const facet = (f: string): Partition => ({ index: 'gsi1', pk: datasetKeys.facetIndex(ds, f), facet: true });
  if (q.labelName !== undefined) {
    const f = labelFacet(q.labelName);
    checks.push({ partition: facet(f), counter: `f:${f}`, test: (v) => v.lb.some((l) => l[0] === q.labelName) });
  }
  if (q.hardOnly) checks.push({ partition: { index: 'gsi3', pk: datasetKeys.hardIndex(ds), facet: false }, counter: 'hard', test: (v) => v.h === 1 });
  if (q.sampleState !== undefined) {
    checks.push({ partition: { index: 'gsi2', pk: datasetKeys.stateIndex(ds, q.sampleState), facet: false }, counter: `st:${q.sampleState}`, test: (v) => v.st === q.sampleState });
  }
  if (q.labelType !== undefined) checks.push({ partition: facet(`LT#${q.labelType}`), counter: `f:LT#${q.labelType}`, test: (v) => v.lb.some((l) => l[1] === q.labelType) });
  if (q.sampleType !== undefined) checks.push({ partition: facet(`TY#${q.sampleType}`), counter: `f:TY#${q.sampleType}`, test: (v) => v.ty === q.sampleType });
  const scoreFilter = q.lowScore > 0 || q.highScore < 1;
  const score = (v: FilterView) => v.lb.some((l) => l[2] !== null && l[2] >= q.lowScore && l[2] <= q.highScore);
  const primary = checks[0] ?? { partition: { index: 'gsi1' as const, pk: datasetKeys.allIndex(ds), facet: false }, counter: 'n', test: () => true };
  const rest = [...checks.slice(1).map((c) => c.test), ...(scoreFilter ? [score] : [])];
  return { primary, rest, exactCounter: rest.length === 0 };
}

/** A candidate read from a partition: the full sample (sample partitions) or only its id and view (facets). */
interface Candidate {
  sampleId: string;
  view: FilterView;
  sample?: StoredSample;
}

/** Pages through a partition in time order. */
async function* readPartition(metadata: MetadataStore, p: { index: 'gsi1' | 'gsi2' | 'gsi3'; pk: string; facet: boolean }, forward: boolean, pageSize: number) {
  for await (const items of queryPages(metadata, { index: p.index, pk: p.pk, forward, limit: pageSize })) {
    yield items.map((i): Candidate => {
      if (p.facet) return { sampleId: String(i.sampleId), view: i.fv as FilterView };
      const sample = toSample(i);
      return { sampleId: sample.sampleId, view: filterViewOf(sample), sample };
    });
  }
}

export async function listSamples(metadata: MetadataStore, ds: Pick<Dataset, 'datasetId'>, q: ListQuery): Promise<{ sample_count: number; samples: StoredSample[] }> {
  if (q.sampleState !== undefined && !STORED_STATES.includes(q.sampleState as StoredState)) return { sample_count: 0, samples: [] };
  const { primary, rest, exactCounter } = plan(ds.datasetId, q);
  const matches = (v: FilterView) => rest.every((t) => t(v));
  const skip = q.offset * q.limit;
  const picked: Candidate[] = [];
  let seen = 0;
  // With an exact counter, read only up to the page; otherwise read the partition to count it.
  const pageSize = exactCounter ? Math.min(skip + q.limit, 1000) : 1000;
  for await (const batch of readPartition(metadata, primary.partition, q.order === 'asc', pageSize)) {
    for (const c of batch) {
      if (!matches(c.view)) continue;
      if (seen++ >= skip && picked.length < q.limit) picked.push(c);
    }
    if (exactCounter && picked.length >= q.limit) break;
  }
  const missing = picked.filter((c) => !c.sample).map((c) => datasetKeys.sample(ds.datasetId, c.sampleId));
  const fetched = new Map((missing.length ? await metadata.batchGet(missing) : []).map((i) => [String(i.sampleId), toSample(i)]));
  const samples = picked.map((c) => c.sample ?? fetched.get(c.sampleId)).filter((x): x is StoredSample => !!x);
  const sample_count = exactCounter ? (await datasetCounters(metadata, ds.datasetId))[primary.counter] ?? 0 : seen;
  return { sample_count, samples };
}

/** The ModelArts wire shape of a sample. */
export function sampleView(s: StoredSample, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { dir, base } = splitPath(s.path);
  const hard = isHard(s);
  return {
    sample_id: s.sampleId,
    sample_name: base,
    sample_dir: dir,
    sample_size: s.size,
    sample_status: s.state,
    sample_time: Date.parse(s.time),
    sample_type: s.sampleType,
    source: s.path,
    labels: s.labels,
    metadata: s.metadata,
    ...(s.usage ? { sample_usage: s.usage } : {}),
    ...(hard
      ? {
          hard_details: Object.fromEntries(
            ((s.metadata['@modelarts:hard_reasons'] as number[] | undefined) ?? []).map((id) => [String(id), { reason: id }]),
          ),
        }
      : {}),
    ...extra,
  };
}

export interface OpResult {
  success: boolean;
  sample_id?: string;
  error_code?: string;
  error_msg?: string;
}

/** Batch delete; `deleteSource` also removes the objects (after the items are gone). */
export async function deleteSamples(s: Stores, ds: Dataset, ids: string[], deleteSource: boolean): Promise<{ success: boolean; results: OpResult[] }> {
  const results = await runLimited(ids, 8, async (id): Promise<OpResult> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const prev = await getSample(s.metadata, ds.datasetId, id);
      if (!prev) return { success: false, sample_id: id, error_code: CODES.sampleNotFound, error_msg: `sample ${id} does not exist in dataset ${ds.datasetId}` };
      if (!deleteSource) {
        if (await commitSample(s.metadata, ds.datasetId, prev, null)) return { success: true, sample_id: id };
        continue;
      }
      // The object goes too: under the path's lease, so that no write of the same path can
      // commit between the item's removal and the object's (see putSample).
      const done = await withLease(s.metadata, datasetKeys.sampleLease(ds.datasetId, id), async () => {
        const current = await getSample(s.metadata, ds.datasetId, id);
        if (!current || !(await commitSample(s.metadata, ds.datasetId, current, null))) return false;
        await s.objects.delete(current.objectKey);
        return true;
      });
      if (done) return { success: true, sample_id: id };
    }
    return { success: false, sample_id: id, error_code: CODES.duplicateName, error_msg: 'the sample is being changed concurrently, retry' };
  });
  return { success: results.every((r) => r.success), results };
}

export interface SampleUpdate {
  sample_id: string;
  labels?: unknown[];
  metadata?: Record<string, unknown>;
  sample_usage?: string;
}

/** Batch update of labels (replaced; an empty list clears them), metadata (merged) and usage. */
export async function updateSamples(s: Stores, ds: Dataset, updates: SampleUpdate[]): Promise<{ success: boolean; results: OpResult[] }> {
  const results = await runLimited(updates, 8, async (u): Promise<OpResult> => {
    const fail = (code: string, msg: string): OpResult => ({ success: false, sample_id: u.sample_id, error_code: code, error_msg: msg });
    const labels = u.labels === undefined ? undefined : labelSchema.array().safeParse(u.labels);
    if (labels && !labels.success) return fail(CODES.badParam, `param labels invalid: ${labels.error.issues[0].path.join('.')} ${labels.error.issues[0].message}`);
    const meta = u.metadata === undefined ? undefined : metadataSchema.safeParse(u.metadata);
    if (meta && !meta.success) return fail(CODES.badParam, `param metadata invalid: ${meta.error.issues[0].path.join('.')} ${meta.error.issues[0].message}`);
    for (let attempt = 0; attempt < 5; attempt++) {
      const prev = await getSample(s.metadata, ds.datasetId, u.sample_id);
      if (!prev) return fail(CODES.sampleNotFound, `sample ${u.sample_id} does not exist in dataset ${ds.datasetId}`);
      const nextLabels = labels ? labels.data : prev.labels;
      const nextMeta = meta ? { ...prev.metadata, ...meta.data } : prev.metadata;
      if (nextLabels.some((l) => l.type === 1) && nextMeta['@modelarts:size'] === undefined) {
        return fail(CODES.badParam, '@modelarts:size is required when the sample has an object detection label');
      }
      const next: StoredSample = {
        ...prev,
        labels: nextLabels,
        metadata: nextMeta,
        // Labels written by an update are confirmed ones.
        state: labels ? stateOf(nextLabels, true) : prev.state,
        ...(u.sample_usage ? { usage: u.sample_usage } : {}),
        version: prev.version + 1,
      };
      if (await commitSample(s.metadata, ds.datasetId, prev, next)) return { success: true, sample_id: u.sample_id };
    }
    return fail(CODES.duplicateName, 'the sample is being changed concurrently, retry');
  });
  return { success: results.every((r) => r.success), results };
}
