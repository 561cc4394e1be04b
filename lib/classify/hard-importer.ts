/**
 * The `classify-hard` importer: uncertain predictions that predict handed to the ingest path
 * (`ingest/{project}/classify-hard/{serviceId}/{sha256}.{jpg|png}`, the prediction in the object's
 * metadata) become samples of the service's hard-example dataset:
 *
 * - the image in the dataset's `hard_examples/` folder, named by its content hash, so the same image
 *   twice is one sample;
 * - the predicted label with its `score`, to be confirmed (`__UNCHECK__`);
 * - metadata `@modelarts:hard` = 1, `@modelarts:hard_coefficient` (1 − top probability) and
 *   `@modelarts:hard_reasons` (1: low confidence; 3: unlike the label's training samples).
 *
 * The daily quota holds under any concurrency: one transaction puts the image's marker (once per
 * dataset and image) and adds one to the service's counter for the day, conditional on it being
 * below the quota; only then is the sample written.
 */
import { IrisError } from '../errors';
import { getDataset } from '../datasets/datasets';
import { hardExampleFolder } from '../datasets/paths';
import { getSample, putSample, sampleIdOf } from '../datasets/samples';
import type { IngestObject } from '../ingest/port';
import type { Stores } from '../store/ports';
import { classifyKeys } from './keys';
import { utcDay } from './predict';

const DAY_S = 86_400;

export async function importClassifyHard(obj: IngestObject, s: Stores): Promise<Record<string, unknown>> {
  const m = /^([a-z0-9]{20})\/([0-9a-f]{64})\.(jpg|png)$/.exec(obj.rest);
  if (!m) throw new IrisError('BAD_PARAM', `expected classify-hard/{service_id}/{sha256}.jpg|png, got ${obj.rest}`, { field: 'key' });
  const [, serviceId, sha, ext] = m;
  const meta = obj.head.metadata ?? {};
  const datasetId = meta['dataset-id'];
  const quota = Number(meta['daily-quota']);
  const label = meta.label !== undefined ? decodeURIComponent(meta.label) : undefined;
  const score = Number(meta.score);
  if (!datasetId || !label || !Number.isFinite(score) || !Number.isInteger(quota)) throw new IrisError('BAD_PARAM', 'the object lacks its prediction metadata (dataset-id, daily-quota, label, score)', { field: 'metadata' });
  const ds = await getDataset(s.metadata, obj.projectId, datasetId);
  const path = `${hardExampleFolder(ds.workPath, ds.datasetId)}${serviceId}-${sha.slice(0, 32)}.${ext}`;
  const sampleId = sampleIdOf(ds.datasetId, path);

  const predictedAt = Number(meta['predicted-at']) || Date.now();
  const day = utcDay(predictedAt);
  const marker = classifyKeys.hardImage(ds.datasetId, sha);
  const counted = await s.metadata.transact([
    { put: { ...marker, sampleId, serviceId, ttl: Math.floor(Date.now() / 1000) + 365 * DAY_S }, condition: { ifNotExists: true } },
    { update: classifyKeys.hardQuota(serviceId, day), spec: { add: { n: 1 }, set: { ttl: Math.floor(predictedAt / 1000) + 2 * DAY_S } }, condition: { ifBelow: { attr: 'n', limit: quota } } },
  ]);
  if (!counted) {
    if (await s.metadata.get(marker, { consistent: true })) {
      // Seen before: stored once. (A marker without its sample is a previous attempt that died
      // between the two steps: it is finished here, already counted.)
      if (await getSample(s.metadata, ds.datasetId, sampleId)) return { duplicate: true, sample_id: sampleId };
    } else {
      return { skipped: 'daily quota used up', quota, day };
    }
  }
  const got = await s.objects.get(obj.bucketKey);
  if (!got) throw new Error(`object ${obj.bucketKey} vanished while importing`); // transient: retried
  const reasons = (meta['hard-reasons'] ?? '1').split('-').map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n <= 30);
  const coefficient = Math.min(1, Math.max(0, Number(meta['hard-coefficient'] ?? 1 - score)));
  const sample = await putSample(s, ds, {
    path,
    bytes: got.body,
    contentType: ext === 'png' ? 'image/png' : 'image/jpeg',
    owned: true,
    sampleType: 0,
    labels: [{ type: 0, name: label, score }],
    metadata: {
      '@modelarts:hard': 1,
      '@modelarts:hard_coefficient': coefficient,
      '@modelarts:hard_reasons': reasons,
      iris_service_id: serviceId,
      ...(meta['model-id'] ? { iris_model_id: meta['model-id'] } : {}),
    },
    finalAnnotation: false,
  });
  return { sample_id: sample.sampleId, source: sample.path };
}
