/**
 * The `hard-examples` importer: objects put at
 * `ingest/{project_id}/hard-examples/{config_id}/{model_name-camera_name-index}.jpg` (or `.nv21` /
 * `.nv12` with `width` and `height` in the object's metadata, as the presigned PUT signs them)
 * become hard-example samples exactly like an HTTP upload. Bad objects throw an IrisError, which
 * the ledger records as a permanent failure while the object stays in place for inspection.
 */
import { IrisError } from '../errors';
import type { IngestObject } from '../ingest/port';
import type { Stores } from '../store/ports';
import { getConfig } from './configs';
import { HARD_EXAMPLE_IMPORTER } from './names';
import { acceptHardExample, type Frame } from './upload';

export { HARD_EXAMPLE_IMPORTER };

const dimension = (meta: Record<string, string>, name: string): number => {
  const v = Number(meta[name]);
  if (!Number.isInteger(v) || v <= 0) throw new IrisError('BAD_PARAM', `an NV21 object needs an integer "${name}" in its metadata (x-amz-meta-${name})`, { field: name });
  return v;
};

/** Parses `model-camera-index` back out of the base name (index is the last `-` part). */
export function parseBaseName(base: string): { modelName: string; cameraName: string; index: number } {
  const m = /^(.+)-(.+)-(\d+)$/.exec(base);
  if (!m) throw new IrisError('BAD_PARAM', `object name ${base} is not model_name-camera_name-index`, { field: 'key' });
  // Model names may contain '-'; camera names take the part before the index (cameras named with '-' should use the HTTP path or metadata).
  return { modelName: m[1], cameraName: m[2], index: Number(m[3]) };
}

export async function importHardExample(obj: IngestObject, s: Stores): Promise<Record<string, unknown>> {
  const parts = obj.rest.split('/');
  if (parts.length !== 2) throw new IrisError('BAD_PARAM', `expected ${HARD_EXAMPLE_IMPORTER}/{config_id}/{name}.jpg|.nv21, got ${obj.rest}`, { field: 'key' });
  const [configId, file] = parts;
  const dot = file.lastIndexOf('.');
  const ext = dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
  const base = dot > 0 ? file.slice(0, dot) : file;
  if (!['jpg', 'jpeg', 'nv21', 'nv12'].includes(ext)) throw new IrisError('IMAGE_FORMAT', `unsupported hard-example object ${file}: use .jpg or .nv21`, { field: 'key' });
  const c = await getConfig(s.metadata, obj.projectId, configId);
  const meta = obj.head.metadata ?? {};
  const names = meta['model-name'] && meta['camera-name'] && meta.index !== undefined
    ? { modelName: meta['model-name'], cameraName: meta['camera-name'], index: Number(meta.index) }
    : parseBaseName(base);
  const got = await s.objects.get(obj.bucketKey);
  if (!got) throw new Error(`object ${obj.bucketKey} vanished while importing`); // transient: retried
  const frame: Frame =
    ext === 'jpg' || ext === 'jpeg'
      ? { format: 'jpeg', bytes: got.body }
      : { format: ext as 'nv21' | 'nv12', bytes: got.body, width: dimension(meta, 'width'), height: dimension(meta, 'height') };
  const sample = await acceptHardExample(s, c, { ...names, frame });
  return { sample_id: sample.sampleId, source: sample.path, datacur_count: sample.datacurCount };
}
