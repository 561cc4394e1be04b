/**
 * Thumbnails for `process_parameter` (OBS image processing syntax, e.g. `image/resize,m_lfit,h_200`).
 * Iris supports `image/resize` with `m_lfit` (fit inside, the default) or `m_fixed`, and `h_`/`w_`
 * in 1..4096. The thumbnail is cached next to the dataset's files and handed out as a presigned URL.
 * Samples are stored as given; decoding one (here) goes through lib/images' decompression-bomb
 * guard (decodeSample), never through sharp directly.
 */
import { IrisError, isIrisError } from '../errors';
import { contentTypeOf, intakeImage, type DecodedImage, type ImageLimits } from '../images';
import type { Stores } from '../store/ports';
import { CODES, IMAGE_SAMPLE_FORMATS, MAX_DECODE_BYTES, MAX_DECODE_PIXELS, MAX_OBJECT_KEY_BYTES } from './contract';
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

/** The guard's limits for a stored sample (lib/images: format allow-list, byte cap, pixel cap before decoding). */
export const SAMPLE_DECODE_LIMITS: ImageLimits = { formats: [...IMAGE_SAMPLE_FORMATS], maxBytes: MAX_DECODE_BYTES, maxPixels: MAX_DECODE_PIXELS };

/**
 * Decodes a stored sample through the same bomb guard as every other family. The sample was
 * stored as given, so anything may be in it: a file that is not an image of an accepted format,
 * corrupt or truncated, over the byte cap or declaring more pixels than the limit answers
 * ModelArts.0104 naming the sample and the reason, and is never decoded further.
 */
export async function decodeSample(s: Stores, sample: StoredSample): Promise<DecodedImage> {
  const head = await s.objects.head(sample.objectKey);
  if (!head) throw new IrisError('NOT_FOUND', `the file of sample ${sample.sampleId} is gone`, { codes: { modelarts: CODES.resourceNotFound } });
  const refuse = (why: string, cause?: unknown) =>
    new IrisError('BAD_PARAM', `sample ${sample.sampleId} cannot be decoded as an image: ${why}`, { field: 'process_parameter', codes: { modelarts: CODES.undecodable }, cause });
  // Checked before the download, so a huge referenced object is never read into memory.
  if (head.size > MAX_DECODE_BYTES) throw refuse(`the file is ${head.size} bytes, over the ${MAX_DECODE_BYTES}-byte limit for decoding`);
  const original = await s.objects.get(sample.objectKey);
  if (!original) throw new IrisError('NOT_FOUND', `the file of sample ${sample.sampleId} is gone`, { codes: { modelarts: CODES.resourceNotFound } });
  try {
    return await intakeImage(original.body, SAMPLE_DECODE_LIMITS, 'sample');
  } catch (e) {
    // The guard's message names the reason (format, corrupt, declared pixels over the limit).
    if (isIrisError(e)) throw refuse(e.message.replace(/^sample: /, ''), e);
    throw e;
  }
}

/** Presigned URL of the sample's thumbnail, made (and cached) on first use. */
export async function thumbnailUrl(s: Stores, projectId: string, workPath: string, sample: StoredSample, resize: Resize): Promise<string> {
  const key = objectKeyOf(projectId, `${thumbnailFolder(workPath, sample.datasetId)}${sample.sampleId}-v${sample.version}-${resize.mode}-${resize.width ?? 0}x${resize.height ?? 0}.jpg`);
  if (Buffer.byteLength(key) > MAX_OBJECT_KEY_BYTES) {
    throw new IrisError('BAD_PARAM', `sample ${sample.sampleId}: the dataset's work path is too long for a thumbnail key (${MAX_OBJECT_KEY_BYTES} bytes)`, {
      field: 'process_parameter',
      codes: { modelarts: CODES.badParam },
    });
  }
  if (!(await s.objects.head(key))) {
    const image = await decodeSample(s, sample);
    let jpeg: Buffer;
    try {
      jpeg = await image
        .sharp()
        .resize({ width: resize.width, height: resize.height, fit: resize.mode === 'fixed' ? 'fill' : 'inside' })
        .jpeg({ quality: 80 })
        .toBuffer();
    } catch (cause) {
      throw new IrisError('BAD_PARAM', `sample ${sample.sampleId} cannot be decoded as an image: no thumbnail can be made of it`, {
        field: 'process_parameter',
        codes: { modelarts: CODES.undecodable },
        cause,
      });
    }
    await s.objects.put(key, jpeg, { contentType: contentTypeOf('jpeg') });
  }
  return s.objects.presignGet(key);
}
