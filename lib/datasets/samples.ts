/**
 * Samples of a dataset (ModelArts-compatible): add in batches (ModelArts API reference, "Adding Samples in Batches"), list with filters and
 * paging, show, batch delete, batch update of labels and metadata.
 *
 * Identity: a sample is named by the bucket path of its file, and its id is
 * md5(datasetId + "/" + path) — the 32 hex digits the example of "Adding Samples in Batches" answers as `info`. Adding
 * the same name again (a retried batch, a re-uploaded hard example) overwrites that one sample.
 *
 * Write protocol (lib/store/write.ts): the object first (at the sample's path, under that path's
 * lease: see sample-write.ts), then one transaction that puts the sample item with a
 * version check, puts / deletes its facet items and adds the counter deltas — the commit point.
 * Deletes go the other way: the transaction first, then the object (when delete_source).
 *
 * The code is split along its seams, and this module gathers it:
 *   sample-records.ts  the items of one sample (sample, facets, counters), its commit, its wire shape;
 *   sample-write.ts    add in batches: resolve each sample's file, write it under its path's lease;
 *   sample-list.ts     list with filters and paging (which partition serves which filter);
 *   sample-batch.ts    batch delete and batch update.
 */
export {
  commitSample,
  defaultSampleType,
  facetsOf,
  filterViewOf,
  getSample,
  labelFacet,
  sampleIdOf,
  sampleRecords,
  sampleView,
  stateOf,
  type FilterView,
  type StoredSample,
} from './sample-records';
export { addSamples, putSample, type SampleResult, type SampleWrite } from './sample-write';
export { listSamples, type ListQuery } from './sample-list';
export { deleteSamples, updateSamples, type OpResult, type SampleUpdate } from './sample-batch';
