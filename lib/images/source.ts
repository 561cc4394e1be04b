/**
 * The one image field of the APIs: where a request's image may come from (base64, URL, a
 * multipart file), under which field names and limits, and its decoding — once, at the edge, into
 * the DecodedImage that domain functions take. Each family states its own rules as an
 * ImageSourceSpec in its contract (lib/search/contract.ts for Baidu, lib/faces/contract.ts for FRS); ModelArts
 * samples are not images here (their bytes are stored as given: lib/datasets/sample-write.ts).
 */
import { IrisError } from '../errors';
import { decodeBase64Image } from './base64';
import { fetchImage } from './fetch';
import { intakeImage, type DecodedImage, type ImageLimits } from './intake';

export interface ImageSourceSpec {
  limits: ImageLimits;
  /** A base64 field (a `data:…;base64,` header is stripped, lib/images/base64.ts). */
  base64?: { field: string; maxChars: number };
  /** A URL field: http(s) through the SSRF-safe fetcher, or s3:// through `s3` when given. */
  url?: { field: string; maxLength: number; s3?: (url: string) => Promise<Buffer> };
  /** A multipart file field. */
  file?: { field: string };
  /**
   * 'first': the first non-empty field in the order base64, url, file wins (Baidu: image over
   * url); 'one': at most one field may be present at all, an empty one included (FRS).
   */
  choose: 'first' | 'one';
}

const fileBytes = (f: unknown): Buffer | undefined => {
  if (Buffer.isBuffer(f)) return f;
  if (f && typeof f === 'object' && Buffer.isBuffer((f as { content?: unknown }).content)) return (f as { content: Buffer }).content;
  return undefined;
};

/** The source fields present in a request, in the spec's order. */
export function givenImageFields(spec: ImageSourceSpec, input: Record<string, unknown>): string[] {
  const fields = [spec.base64?.field, spec.url?.field, spec.file?.field].filter((f): f is string => f !== undefined);
  return fields.filter((f) => (spec.choose === 'one' ? input[f] !== undefined : input[f] !== undefined && input[f] !== ''));
}

/** Decodes the request's image by the spec; null when no source field is given. */
export async function readImageSource(spec: ImageSourceSpec, input: Record<string, unknown>): Promise<DecodedImage | null> {
  const given = givenImageFields(spec, input);
  if (given.length === 0) return null;
  if (spec.choose === 'one' && given.length > 1) throw new IrisError('BAD_PARAM', `${given[1]}: give only one of ${given.join(', ')}`, { field: given[1] });
  const field = given[0];
  const value = input[field];
  if (field === spec.file?.field) {
    const bytes = fileBytes(value);
    if (!bytes) throw new IrisError('BAD_PARAM', `${field}: must be a file part of a multipart/form-data body`, { field });
    return intakeImage(bytes, spec.limits, field);
  }
  if (field === spec.base64?.field) {
    const bytes = decodeBase64Image(value as string, { field, dataUrl: 'allow', maxEncodedBytes: spec.base64.maxChars });
    return intakeImage(bytes, spec.limits, field);
  }
  const url = value as string;
  const { maxLength, s3 } = spec.url!;
  if (s3 && url.startsWith('s3://')) return intakeImage(await s3(url), spec.limits, field);
  const bytes = await fetchImage(url, { maxUrlLength: maxLength, maxBytes: spec.limits.maxBytes }, field);
  return intakeImage(bytes, spec.limits, field);
}
