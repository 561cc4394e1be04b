/** The one image field (lib/images/source.ts), the format table and the strict base64 of sample data. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, decodeBase64Data, extensionOf, readImageSource, type ImageSourceSpec } from '../../../lib/images';
import { expectIrisError } from './helpers';

const png = () => sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toBuffer();
const limits = { formats: ['jpeg' as const, 'png' as const], maxBytes: 1 << 20 };
const first: ImageSourceSpec = { limits, base64: { field: 'image', maxChars: 1 << 20 }, url: { field: 'url', maxLength: 1024 }, choose: 'first' };
const one: ImageSourceSpec = {
  limits,
  base64: { field: 'image_base64', maxChars: 1 << 20 },
  url: { field: 'image_url', maxLength: 1024, s3: async () => png() },
  file: { field: 'image_file' },
  choose: 'one',
};

describe('readImageSource', () => {
  it("'first': the first non-empty field wins, none gives null", async () => {
    const b64 = (await png()).toString('base64');
    expect((await readImageSource(first, { image: b64, url: 'http://never.invalid/x' }))!.width).toBe(40);
    expect(await readImageSource(first, { image: '', url: '' })).toBeNull();
    expect(await readImageSource(first, {})).toBeNull();
    // A data: header is stripped from an image field.
    expect((await readImageSource(first, { image: `data:image/png;base64,${b64}` }))!.format).toBe('png');
  });

  it("'one': exactly one field, an empty one included, each decoded by its kind", async () => {
    await expectIrisError(() => readImageSource(one, { image_base64: '', image_url: 's3://b/k' }), 'BAD_PARAM', 'image_url', /give only one of image_base64, image_url/);
    await expectIrisError(() => readImageSource(one, { image_base64: '' }), 'IMAGE_EMPTY', 'image_base64');
    await expectIrisError(() => readImageSource(one, { image_file: 'not a file' }), 'BAD_PARAM', 'image_file', /multipart/);
    expect((await readImageSource(one, { image_file: { content: await png() } }))!.height).toBe(30);
    expect((await readImageSource(one, { image_url: 's3://bucket/key' }))!.format).toBe('png');
    await expectIrisError(async () => readImageSource(one, { image_base64: Buffer.from('GIF89a....').toString('base64') }), 'IMAGE_FORMAT', 'image_base64');
  });
});

describe('the format table', () => {
  it('names the extension and content type of each stored format, and none for TIFF', () => {
    expect([extensionOf('jpeg'), contentTypeOf('jpeg')]).toEqual(['jpg', 'image/jpeg']);
    expect([extensionOf('webp'), contentTypeOf('bmp')]).toEqual(['webp', 'image/bmp']);
    expect([extensionOf('tiff'), contentTypeOf('tiff')]).toEqual([undefined, 'image/tiff']);
  });
});

describe('decodeBase64Data', () => {
  it('takes the standard or the URL-safe alphabet with whitespace, returns the bytes as given, and nothing else', () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xfe, 0xfb, 0x00]); // a truncated JPEG stays as it is
    expect(decodeBase64Data(bytes.toString('base64').replace(/(.{4})/g, '$1\n'))!.equals(bytes)).toBe(true);
    expect(decodeBase64Data(bytes.toString('base64url'))!.equals(bytes)).toBe(true);
    expect(decodeBase64Data('not base64!')).toBeNull();
    expect(decodeBase64Data('ab%2B')).toBeNull();
    expect(decodeBase64Data('')!.length).toBe(0);
  });
});
