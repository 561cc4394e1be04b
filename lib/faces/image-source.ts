/**
 * The image of an add or search request: exactly one of `image_base64`, `image_url`
 * (http(s) through the SSRF-safe fetcher, or s3:// of this deployment's bucket under the
 * caller's own prefixes) and a multipart `image_file`. Decoded once, here.
 */
import { decodeBase64Image, fetchImage, intakeImage, type DecodedImage } from '../images';
import type { ObjectStore } from '../store/ports';
import { IrisError } from '../errors';
import { IMAGE_LIMITS, MAX_BASE64_CHARS, MAX_URL_CHARS, frsError } from './contract';
import { objectKeys } from '../store/keys';

export interface ImageInput {
  image_base64?: string;
  image_url?: string;
  image_file?: unknown;
}

const fileBytes = (f: unknown): Buffer | undefined => {
  if (Buffer.isBuffer(f)) return f;
  if (f && typeof f === 'object' && Buffer.isBuffer((f as { content?: unknown }).content)) return (f as { content: Buffer }).content;
  return undefined;
};

export const hasImage = (i: ImageInput): boolean =>
  i.image_base64 !== undefined || i.image_url !== undefined || i.image_file !== undefined;

export async function readImage(
  input: ImageInput,
  ctx: { projectId: string; bucket: string; objects: ObjectStore },
): Promise<DecodedImage> {
  const given = (['image_base64', 'image_url', 'image_file'] as const).filter((k) => input[k] !== undefined);
  if (given.length === 0) throw frsError.missingParam('image_base64', 'one of image_base64, image_url, image_file is required');
  if (given.length > 1) throw frsError.badParam(given[1], `give only one of ${given.join(', ')}`);
  const field = given[0];
  if (field === 'image_file') {
    const bytes = fileBytes(input.image_file);
    if (!bytes) throw frsError.badParam('image_file', 'must be a file part of a multipart/form-data body');
    return intakeImage(bytes, IMAGE_LIMITS, 'image_file');
  }
  if (field === 'image_base64') {
    const bytes = decodeBase64Image(input.image_base64!, { field, dataUrl: 'allow', maxEncodedBytes: MAX_BASE64_CHARS });
    return intakeImage(bytes, IMAGE_LIMITS, field);
  }
  const url = input.image_url!;
  if (url.startsWith('s3://')) return intakeImage(await readOwnObject(url, ctx), IMAGE_LIMITS, field);
  const bytes = await fetchImage(url, { maxUrlLength: MAX_URL_CHARS, maxBytes: IMAGE_LIMITS.maxBytes }, field);
  return intakeImage(bytes, IMAGE_LIMITS, field);
}

async function readOwnObject(url: string, ctx: { projectId: string; bucket: string; objects: ObjectStore }): Promise<Buffer> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  const refuse = (why: string) => new IrisError('IMAGE_URL', `image_url: ${why}`, { field: 'image_url' });
  if (!m) throw refuse('malformed s3:// URL');
  const [, bucket, key] = m;
  const own = key.startsWith(objectKeys.project(ctx.projectId)) || key.startsWith(objectKeys.ingest(ctx.projectId));
  if (bucket !== ctx.bucket || !own || key.includes('..')) throw refuse('only objects of this project in this deployment\'s bucket can be read');
  const obj = await ctx.objects.get(key);
  if (!obj) throw refuse('object not found');
  return obj.body;
}
