/**
 * Reading the FRS image field (lib/faces/contract.ts `imageSource`, decoded by lib/images/source.ts):
 * exactly one of `image_base64`, `image_url` (http(s) through the SSRF-safe fetcher, or s3:// of
 * this deployment's bucket under the caller's own prefixes) and a multipart `image_file`.
 */
import { readImageSource, type DecodedImage } from '../images';
import type { ObjectStore } from '../store/ports';
import { IrisError } from '../errors';
import { frsError, imageSource } from './contract';
import { objectKeys } from '../store/keys';

export interface ImageInput {
  image_base64?: string;
  image_url?: string;
  image_file?: unknown;
}

export const hasImage = (i: ImageInput): boolean =>
  i.image_base64 !== undefined || i.image_url !== undefined || i.image_file !== undefined;

export async function readImage(
  input: ImageInput,
  ctx: { projectId: string; bucket: string; objects: ObjectStore },
): Promise<DecodedImage> {
  const image = await readImageSource(imageSource((url) => readOwnObject(url, ctx)), input as Record<string, unknown>);
  if (!image) throw frsError.missingParam('image_base64', 'one of image_base64, image_url, image_file is required');
  return image;
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
