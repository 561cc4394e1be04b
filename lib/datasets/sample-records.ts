/**
 * What one sample is in the metadata store (ModelArts-compatible samples; lib/datasets/samples.ts
 * describes the whole): the sample item, its facet items (label names, label types, sample type:
 * partitions of gsi1 that the list filters read), its contributions to the dataset's counters,
 * the one transaction that commits a sample over its previous version, and its wire shape.
 */
import { createHash } from 'node:crypto';
import { IrisError } from '../errors';
import { datasetKeys } from '../store/keys';
import type { Item, MetadataStore, TransactOp } from '../store/ports';
import { CODES, type StoredState } from './contract';
import { splitPath } from './paths';
import type { LabelInput } from './sample-input';

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

export const isHard = (s: Pick<StoredSample, 'metadata'>): boolean => s.metadata['@modelarts:hard'] === 1 || s.metadata['@modelarts:hard'] === true;

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

export const toSample = (i: Item): StoredSample => ({
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
export function sampleCommitOps(datasetId: string, prev: StoredSample | null, next: StoredSample | null): TransactOp[] {
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
