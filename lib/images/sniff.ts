/**
 * Image format detection from magic bytes. Formats are never taken from a file name,
 * a data-URL media type or a Content-Type header: clients get those wrong all the time.
 */
export type SniffedFormat = 'jpeg' | 'png' | 'bmp' | 'gif' | 'webp' | 'tiff';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Sizes of the BMP DIB headers we know about (core, info, v2, v3, OS/2 v2, v4, v5).
 * "BM" alone is two printable ASCII letters, so the header-size field is checked too
 * to avoid classifying text that happens to start with "BM" as a bitmap.
 */
const BMP_DIB_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

const ascii = (buf: Buffer, start: number, end: number): string =>
  buf.length >= end ? buf.toString('latin1', start, end) : '';

export function sniffFormat(buf: Buffer): SniffedFormat | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  const gif = ascii(buf, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';
  // Classic TIFF ("II*\0" / "MM\0*") and BigTIFF ("II+\0" / "MM\0+").
  const tiff = ascii(buf, 0, 4);
  if (tiff === 'II*\0' || tiff === 'MM\0*' || tiff === 'II+\0' || tiff === 'MM\0+') return 'tiff';
  if (ascii(buf, 0, 2) === 'BM' && buf.length >= 18 && BMP_DIB_HEADER_SIZES.has(buf.readUInt32LE(14))) {
    return 'bmp';
  }
  return null;
}
