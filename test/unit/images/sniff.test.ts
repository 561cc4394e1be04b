import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { sniffFormat } from '../../../lib/images/sniff';
import { bmp24 } from './helpers';

const solid = () => sharp({ create: { width: 4, height: 3, channels: 3, background: '#3366cc' } });

describe('sniffFormat', () => {
  it('identifies each supported format from its magic bytes', async () => {
    expect(sniffFormat(await solid().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffFormat(await solid().png().toBuffer())).toBe('png');
    expect(sniffFormat(await solid().gif().toBuffer())).toBe('gif');
    expect(sniffFormat(await solid().webp().toBuffer())).toBe('webp');
    expect(sniffFormat(await solid().tiff().toBuffer())).toBe('tiff');
    expect(sniffFormat(bmp24([[[1, 2, 3]]]))).toBe('bmp');
  });

  it('recognises both GIF versions and big-endian and BigTIFF headers', () => {
    expect(sniffFormat(Buffer.from('GIF87a\x01\x00', 'latin1'))).toBe('gif');
    expect(sniffFormat(Buffer.from('MM\x00\x2a\x00\x00\x00\x08', 'latin1'))).toBe('tiff');
    expect(sniffFormat(Buffer.from('II\x2b\x00\x08\x00\x00\x00', 'latin1'))).toBe('tiff');
  });

  it('does not take text starting with "BM" for a bitmap', () => {
    expect(sniffFormat(Buffer.from('BM is not a bitmap, just text.'))).toBeNull();
  });

  it('returns null for unknown, empty and too-short input', () => {
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
    expect(sniffFormat(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffFormat(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull(); // RIFF but not WebP
  });
});
