/**
 * The one format table: each image format Iris stores, with the file extension its objects get and
 * the content type they are stored with. (Formats are recognised from magic bytes, lib/images/sniff.ts,
 * never from names or headers.) No image code here: functions without the native layer use it.
 */
import type { SniffedFormat } from './sniff';

export const IMAGE_FORMATS = {
  jpeg: { extension: 'jpg', contentType: 'image/jpeg' },
  png: { extension: 'png', contentType: 'image/png' },
  bmp: { extension: 'bmp', contentType: 'image/bmp' },
  gif: { extension: 'gif', contentType: 'image/gif' },
  webp: { extension: 'webp', contentType: 'image/webp' },
} as const;

export type StoredImageFormat = keyof typeof IMAGE_FORMATS;

const isStored = (f: string): f is StoredImageFormat => Object.hasOwn(IMAGE_FORMATS, f);

/** The extension objects of this format get (without the dot); none for a format Iris does not store as an image (TIFF). */
export function extensionOf(format: StoredImageFormat): string;
export function extensionOf(format: SniffedFormat): string | undefined;
export function extensionOf(format: SniffedFormat): string | undefined {
  return isStored(format) ? IMAGE_FORMATS[format].extension : undefined;
}

/** The content type of a sniffed format (`image/tiff` for TIFF, which has no row above). */
export const contentTypeOf = (format: SniffedFormat): string => (isStored(format) ? IMAGE_FORMATS[format].contentType : `image/${format}`);
