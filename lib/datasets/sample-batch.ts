/**
 * Batch delete ("Deleting Samples in Batches") and batch update of labels and metadata
 * ("Updating Sample Labels in Batches") of the ModelArts API: one result per sample, each
 * committed on its own with a version check and retried when the sample changed meanwhile.
 */
import type { Stores } from '../store/ports';
import { datasetKeys } from '../store/keys';
import { withLease } from '../store/write';
import { CODES } from './contract';
import { runLimited, type Dataset } from './datasets';
import { labelSchema, metadataSchema } from './sample-input';
import { commitSample, getSample, stateOf, type StoredSample } from './sample-records';

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
