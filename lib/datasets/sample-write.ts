/**
 * Adding samples (ModelArts API reference, "Adding Samples in Batches"): each sample of a batch is
 * validated and resolved on its own (decoded data into the dataset folder, or an object of the
 * bucket imported by its path), then written through the write protocol under its path's lease.
 */
import { createHash } from 'node:crypto';
import { IrisError } from '../errors';
import { sniffFormat } from '../images/sniff';
import { dataUrlRefused, decodeBase64Data, hasDataUrlHeader } from '../images/base64';
import { contentTypeOf, extensionOf } from '../images/formats';
import { datasetKeys } from '../store/keys';
import type { Stores } from '../store/ports';
import { runWrite, withLease } from '../store/write';
import { CODES, datasetNotFound, IMAGE_SAMPLE_FORMATS, MAX_OBJECT_KEY_BYTES, MAX_SAMPLE_BYTES } from './contract';
import { runLimited, type Dataset } from './datasets';
import { normalizeBucketPath, objectKeyOf, samplesFolder } from './paths';
import { parseSample, type LabelInput, type SampleInput } from './sample-input';
import { defaultSampleType, getSample, sampleCommitOps, sampleIdOf, stateOf, type StoredSample } from './sample-records';

export interface SampleResult {
  success: boolean;
  name?: string;
  info?: string;
  error_code?: string;
  error_msg?: string;
}

export const failure = (name: string | undefined, code: string, msg: string): SampleResult => ({
  success: false,
  ...(name !== undefined ? { name } : {}),
  error_code: code,
  error_msg: msg,
});

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
    // The bytes are stored as given (even a truncated image): only sniffed, never decoded here.
    const bytes = decodeBase64Data(input.data);
    if (!bytes) return failure(input.name, CODES.badParam, 'param data invalid: not base64');
    if (bytes.length === 0) return failure(input.name, CODES.badParam, 'param data invalid: empty after base64 decoding');
    if (bytes.length > MAX_SAMPLE_BYTES) return failure(input.name, CODES.badParam, `param data invalid: ${bytes.length} bytes exceed ${MAX_SAMPLE_BYTES}`);
    const format = sniffFormat(bytes);
    if (sampleType === 0 && !(IMAGE_SAMPLE_FORMATS as readonly string[]).includes(format ?? '')) return failure(input.name, CODES.badParam, 'param data invalid: an image sample must be JPEG, PNG, BMP, GIF or WebP');
    const extension = format ? extensionOf(format) : undefined;
    const name = input.name && input.name !== '' ? input.name : `${createHash('md5').update(bytes).digest('hex')}${extension ? `.${extension}` : ''}`;
    const path = `${samplesFolder(ds.workPath, ds.datasetId)}${name.replace(/^\/+/, '')}`;
    return { ...base, path, bytes, owned: true, contentType: format ? contentTypeOf(format) : 'application/octet-stream' };
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
