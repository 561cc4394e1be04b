/**
 * Thumbnails for `process_parameter` (OBS image processing syntax, e.g. `image/resize,m_lfit,h_200`).
 * Iris supports `image/resize` with `m_lfit` (fit inside, the default) or `m_fixed`, and `h_`/`w_`
 * in 1..4096. The thumbnail is cached next to the dataset's files and handed out as a presigned URL.
 */
import sharp from 'sharp';
import { IrisError } from '../errors';
import type { Stores } from '../store/ports';
import { CODES } from './contract';
import { objectKeyOf, thumbnailFolder } from './paths';
import type { StoredSample } from './samples';

export interface Resize {
  mode: 'lfit' | 'fixed';
  width?: number;
  height?: number;
}

export function parseProcessParameter(p: string): Resize {
  const bad = (why: string) => new IrisError('BAD_PARAM', `param process_parameter invalid: ${why}`, { field: 'process_parameter', codes: { modelarts: CODES.badParam } });
  const [op, ...args] = p.split(',');
  if (op !== 'image/resize') throw bad('only image/resize is supported, e.g. image/resize,m_lfit,h_200');
  const r: Resize = { mode: 'lfit' };
  for (const a of args) {
    const m = /^([mhw])_(\w+)$/.exec(a);
    if (!m) throw bad(`unknown argument ${a}`);
    if (m[1] === 'm') {
      if (m[2] !== 'lfit' && m[2] !== 'fixed') throw bad('m_ is lfit or fixed');
      r.mode = m[2];
    } else {
      const n = Number(m[2]);
      if (!Number.isInteger(n) || n < 1 || n > 4096) throw bad(`${m[1]}_ must be an integer in 1..4096`);
      if (m[1] === 'h') r.height = n;
      else r.width = n;
    }
  }
  if (!r.width && !r.height) throw bad('give h_ or w_');
  return r;
}

/** Presigned URL of the sample's thumbnail, made (and cached) on first use. */
export async function thumbnailUrl(s: Stores, projectId: string, workPath: string, sample: StoredSample, resize: Resize): Promise<string> {
  const key = objectKeyOf(projectId, `${thumbnailFolder(workPath, sample.datasetId)}${sample.sampleId}-v${sample.version}-${resize.mode}-${resize.width ?? 0}x${resize.height ?? 0}.jpg`);
  if (!(await s.objects.head(key))) {
    const original = await s.objects.get(sample.objectKey);
    if (!original) throw new IrisError('NOT_FOUND', `the file of sample ${sample.sampleId} is gone`, { codes: { modelarts: CODES.resourceNotFound } });
    let jpeg: Buffer;
    try {
      jpeg = await sharp(original.body)
        .rotate()
        .resize({ width: resize.width, height: resize.height, fit: resize.mode === 'fixed' ? 'fill' : 'inside' })
        .jpeg({ quality: 80 })
        .toBuffer();
    } catch {
      throw new IrisError('BAD_PARAM', 'the sample is not an image a thumbnail can be made of', { field: 'process_parameter', codes: { modelarts: CODES.badParam } });
    }
    await s.objects.put(key, jpeg, { contentType: 'image/jpeg' });
  }
  return s.objects.presignGet(key);
}
