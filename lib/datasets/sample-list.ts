/**
 * Listing samples (ModelArts API reference, "Querying the Sample List"). Key design in
 * lib/store/keys.ts: the most selective key-served filter picks the partition (label_name > hard >
 * sample_state > label_type > sample_type > all); it is read with Query in time order, and the
 * remaining filters (and low_score/high_score) are applied to the items read. `sample_count`
 * comes from the counters when at most one key-served filter is used, otherwise it is counted over
 * that partition.
 */
import { datasetKeys } from '../store/keys';
import type { MetadataStore } from '../store/ports';
import { queryPages } from '../store/query';
import type { StoredState } from './contract';
import { datasetCounters, type Dataset } from './datasets';
import { filterViewOf, labelFacet, toSample, type FilterView, type StoredSample } from './sample-records';

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
