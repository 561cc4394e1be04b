/**
 * Datasets (ModelArts-compatible): create, list, show, update, delete. A dataset's name is unique
 * in its project (a guard item written in the same transaction as the dataset). Deleting removes
 * the dataset item first (it disappears at once), then its samples' items, its objects and its
 * vector table.
 */
import { randomBytes } from 'node:crypto';
import { IrisError } from '../errors';
import { datasetKeys } from '../store/keys';
import type { Item, MetadataStore, Stores } from '../store/ports';
import { CODES, DATASET_NAME, datasetNotFound } from './contract';
import { datasetFolder, normalizeBucketPath, objectKeyOf } from './paths';
import { queryAll, queryPages } from '../store/query';

export interface DatasetLabel {
  name: string;
  type?: number;
  property?: Record<string, unknown>;
}

export interface Dataset {
  projectId: string;
  datasetId: string;
  name: string;
  type: number;
  dataSources: Array<{ data_type: number; data_path: string }>;
  workPath: string;
  labels: DatasetLabel[];
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface DatasetCreate {
  dataset_name: string;
  dataset_type: number;
  data_sources: Array<{ data_type: number; data_path: string }>;
  work_path: string;
  work_path_type?: number;
  labels?: DatasetLabel[];
  description?: string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** ModelArts dataset ids look like "gfghHSokody6AJigS5A": 20 alphanumerics here. */
export const newDatasetId = (): string => [...randomBytes(20)].map((b) => ALNUM[b % ALNUM.length]).join('');


const toDataset = (i: Item): Dataset => ({
  projectId: String(i.projectId),
  datasetId: String(i.datasetId),
  name: String(i.name),
  type: Number(i.type),
  dataSources: (i.dataSources as Dataset['dataSources']) ?? [],
  workPath: String(i.workPath),
  labels: (i.labels as DatasetLabel[]) ?? [],
  description: String(i.description ?? ''),
  createdAt: String(i.createdAt),
  updatedAt: String(i.updatedAt),
});

const duplicateName = (name: string) =>
  new IrisError('CONFLICT', `dataset name ${name} already exists`, { field: 'dataset_name', codes: { modelarts: CODES.duplicateName } });

function checkName(name: string): void {
  if (!DATASET_NAME.test(name)) {
    throw new IrisError('BAD_PARAM', 'param dataset_name invalid: 1–100 characters of letters, digits, _ and -', {
      field: 'dataset_name',
      codes: { modelarts: CODES.badParam },
    });
  }
}

function checkLabels(labels: DatasetLabel[]): void {
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l.name)) throw new IrisError('BAD_PARAM', `param labels invalid: label ${l.name} appears twice`, { field: 'labels', codes: { modelarts: CODES.badParam } });
    seen.add(l.name);
  }
}

export async function createDataset(metadata: MetadataStore, projectId: string, input: DatasetCreate, now = new Date()): Promise<Dataset> {
  checkName(input.dataset_name);
  if (input.data_sources.length !== 1) {
    throw new IrisError('BAD_PARAM', 'param data_sources invalid: give exactly one data source', { field: 'data_sources', codes: { modelarts: CODES.badParam } });
  }
  const src = input.data_sources[0];
  if (src.data_type !== 0) {
    throw new IrisError('BAD_PARAM', 'param data_sources invalid: only data_type 0 (bucket) is supported', {
      field: 'data_sources',
      codes: { modelarts: CODES.sourceUnsupported },
    });
  }
  const dataPath = normalizeBucketPath(src.data_path, 'data_sources.data_path', true);
  const workPath = normalizeBucketPath(input.work_path, 'work_path', true);
  if (workPath.startsWith(dataPath)) {
    throw new IrisError('BAD_PARAM', 'param work_path invalid: the work path must not be inside the input path', {
      field: 'work_path',
      codes: { modelarts: CODES.badParam },
    });
  }
  const labels = input.labels ?? [];
  checkLabels(labels);
  const datasetId = newDatasetId();
  const t = now.toISOString();
  const item = {
    ...datasetKeys.dataset(projectId, datasetId),
    projectId,
    datasetId,
    name: input.dataset_name,
    type: input.dataset_type,
    dataSources: [{ data_type: 0, data_path: dataPath }],
    workPath,
    labels,
    description: input.description ?? '',
    createdAt: t,
    updatedAt: t,
  };
  const ok = await metadata.transact([
    { put: { ...datasetKeys.nameGuard(projectId, input.dataset_name), datasetId }, condition: { ifNotExists: true } },
    { put: item, condition: { ifNotExists: true } },
    { put: { ...datasetKeys.stats(datasetId), datasetId, n: 0 }, condition: { ifNotExists: true } },
  ]);
  if (!ok) throw duplicateName(input.dataset_name);
  return toDataset(item);
}

export async function getDataset(metadata: MetadataStore, projectId: string, datasetId: string): Promise<Dataset> {
  const item = await metadata.get(datasetKeys.dataset(projectId, datasetId));
  if (!item) throw datasetNotFound(datasetId);
  return toDataset(item);
}

export async function datasetCounters(metadata: MetadataStore, datasetId: string): Promise<Record<string, number>> {
  const item = await metadata.get(datasetKeys.stats(datasetId), { consistent: false });
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

/** Lists a project's datasets (one Query of the project's partition), optionally by name substring. */
export async function listDatasets(
  metadata: MetadataStore,
  projectId: string,
  opts: { offset: number; limit: number; searchContent?: string; datasetType?: number },
): Promise<{ total: number; datasets: Dataset[] }> {
  const all = (await queryAll(metadata, { pk: datasetKeys.datasets(projectId) })).map(toDataset);
  const filtered = all
    .filter((d) => (opts.searchContent ? d.name.includes(opts.searchContent) : true))
    .filter((d) => (opts.datasetType === undefined ? true : d.type === opts.datasetType))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { total: filtered.length, datasets: filtered.slice(opts.offset * opts.limit, (opts.offset + 1) * opts.limit) };
}

export interface DatasetUpdate {
  dataset_name?: string;
  description?: string;
  labels?: DatasetLabel[];
  add_labels?: DatasetLabel[];
  delete_labels?: Array<{ name: string }>;
}

export async function updateDataset(metadata: MetadataStore, projectId: string, datasetId: string, input: DatasetUpdate, now = new Date()): Promise<Dataset> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getDataset(metadata, projectId, datasetId);
    let labels = input.labels ?? current.labels;
    if (input.add_labels) labels = [...labels, ...input.add_labels];
    if (input.delete_labels) {
      const drop = new Set(input.delete_labels.map((l) => l.name));
      labels = labels.filter((l) => !drop.has(l.name));
    }
    checkLabels(labels);
    const set: Record<string, unknown> = { labels, updatedAt: now.toISOString() };
    if (input.description !== undefined) set.description = input.description;
    const key = datasetKeys.dataset(projectId, datasetId);
    const rename = input.dataset_name !== undefined && input.dataset_name !== current.name;
    if (rename) checkName(input.dataset_name!);
    const ops = [
      { update: key, spec: { set: { ...set, ...(rename ? { name: input.dataset_name } : {}) } }, condition: { ifMatch: { updatedAt: current.updatedAt } } },
      ...(rename
        ? [
            { put: { ...datasetKeys.nameGuard(projectId, input.dataset_name!), datasetId }, condition: { ifNotExists: true } },
            { delete: datasetKeys.nameGuard(projectId, current.name) },
          ]
        : []),
    ];
    if (await metadata.transact(ops)) return getDataset(metadata, projectId, datasetId);
    if (rename) {
      const guard = await metadata.get(datasetKeys.nameGuard(projectId, input.dataset_name!));
      if (guard && guard.datasetId !== datasetId) throw duplicateName(input.dataset_name!);
    }
  }
  throw new IrisError('CONFLICT', 'the dataset changed concurrently, retry', { codes: { modelarts: CODES.duplicateName } });
}

/**
 * Deletes a dataset: its item, name guard and counters go in one transaction with a purge marker
 * (the commit point: from then on the dataset does not exist), then the sample and facet items, the
 * objects in its folder and its vector table. The purge stops after `budgetMs` (a Lambda behind
 * API Gateway has 29 s); a DELETE of the same id resumes it while the marker exists. Objects
 * imported from elsewhere in the bucket (data_source) are the user's originals and are kept.
 * Returns whether the purge finished.
 */
export async function deleteDataset(s: Stores, projectId: string, datasetId: string, budgetMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + budgetMs;
  const marker = datasetKeys.purge(projectId, datasetId);
  const item = await s.metadata.get(datasetKeys.dataset(projectId, datasetId));
  if (!item) {
    const pending = await s.metadata.get(marker);
    if (!pending) throw datasetNotFound(datasetId);
    return purgeDataset(s, toDataset(pending), deadline);
  }
  const ds = toDataset(item);
  const ok = await s.metadata.transact([
    { delete: datasetKeys.dataset(projectId, datasetId), condition: { ifMatch: { updatedAt: ds.updatedAt } } },
    { delete: datasetKeys.nameGuard(projectId, ds.name) },
    { delete: datasetKeys.stats(datasetId) },
    { put: { ...item, ...marker } },
  ]);
  if (!ok) throw new IrisError('CONFLICT', 'the dataset changed while being deleted, retry', { codes: { modelarts: CODES.duplicateName } });
  return purgeDataset(s, ds, deadline);
}

/** Removes what a deleted dataset left; true when done (the purge marker is then removed). */
export async function purgeDataset(s: Stores, ds: Pick<Dataset, 'projectId' | 'datasetId' | 'workPath'>, deadline = Infinity): Promise<boolean> {
  const pk = datasetKeys.samplePartition(ds.datasetId);
  for await (const items of queryPages(s.metadata, { pk, limit: 500 })) {
    if (Date.now() > deadline) return false;
    await runLimited(items, 16, (i) => s.metadata.delete({ pk: String(i.pk), sk: String(i.sk) }));
  }
  const prefix = objectKeyOf(ds.projectId, datasetFolder(ds.workPath, ds.datasetId));
  for (;;) {
    if (Date.now() > deadline) return false;
    const objects = await s.objects.list(prefix, { limit: 1000 });
    if (objects.length === 0) break;
    await s.objects.deleteMany(objects.map((o) => o.key));
  }
  await s.metadata.delete(datasetKeys.purge(ds.projectId, ds.datasetId));
  return true;
}

/** Runs `fn` over items with at most `n` in flight. */
export async function runLimited<T, R>(items: T[], n: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** The ModelArts wire shape of a dataset. */
export function datasetView(d: Dataset, counters: Record<string, number> = {}): Record<string, unknown> {
  return {
    dataset_id: d.datasetId,
    dataset_name: d.name,
    dataset_type: d.type,
    data_sources: d.dataSources,
    work_path: d.workPath,
    work_path_type: 0,
    labels: d.labels,
    description: d.description,
    status: 1,
    create_time: Date.parse(d.createdAt),
    update_time: Date.parse(d.updatedAt),
    total_sample_count: counters.n ?? 0,
    annotated_sample_count: (counters['st:__ALL__'] ?? 0),
    unconfirmed_sample_count: counters['st:__UNCHECK__'] ?? 0,
    hard_sample_count: counters.hard ?? 0,
  };
}
