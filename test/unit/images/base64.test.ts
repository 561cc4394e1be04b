import { describe, it, expect } from 'vitest';
import { decodeBase64Image, hasDataUrlHeader } from '../../../lib/images/base64';
import { expectIrisError } from './helpers';

// Bytes chosen so their base64 uses '+' and '/' and needs '=' padding.
const BYTES = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x10, 0x83, 0xfe]);
const B64 = BYTES.toString('base64'); // "+/+/ABCD/g=="
// Real image data never starts with '+'; this one ends its unpadded body with one.
const TAIL_PLUS = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x3e]); // "/9j/4AA+"
const allow = { field: 'image', dataUrl: 'allow' as const };
const reject = { field: 'image', dataUrl: 'reject' as const };

describe('decodeBase64Image', () => {
  it('decodes standard padded base64', () => {
    expect(B64).toMatch(/\+/);
    expect(B64).toMatch(/\//);
    expect(B64).toMatch(/=$/);
    expect(decodeBase64Image(B64, allow)).toEqual(BYTES);
  });

  it('tolerates line breaks, tabs and surrounding whitespace', () => {
    const wrapped = `  ${B64.slice(0, 4)}\r\n${B64.slice(4, 8)}\n\t${B64.slice(8)}\n `;
    expect(decodeBase64Image(wrapped, allow)).toEqual(BYTES);
  });

  it("reads spaces as '+' (form bodies decoded once too often)", () => {
    const b64 = TAIL_PLUS.toString('base64');
    expect(b64).toBe('/9j/4AA+');
    expect(decodeBase64Image(b64.replaceAll('+', ' '), allow)).toEqual(TAIL_PLUS);
    const inner = Buffer.from([0xff, 0xd8, 0xff, 0xfb, 0xef, 0xbe]).toString('base64'); // "/9j/++++"
    expect(decodeBase64Image(inner.replaceAll('+', ' '), allow)).toEqual(Buffer.from(inner, 'base64'));
  });

  it('drops stray leading and trailing spaces that cannot be a lost \'+\'', () => {
    const b64 = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]).toString('base64'); // "/9j/4AAQ"
    expect(decodeBase64Image(`  ${b64}   `, allow)).toEqual(Buffer.from(b64, 'base64'));
  });

  it('percent-decodes URL-encoded base64 once', () => {
    const encoded = encodeURIComponent(B64);
    expect(encoded).toMatch(/%2B/);
    expect(encoded).toMatch(/%2F/);
    expect(encoded).toMatch(/%3D/);
    expect(decodeBase64Image(encoded, allow)).toEqual(BYTES);
    expect(decodeBase64Image(encoded.replace(/%2B/g, '%2b'), allow)).toEqual(BYTES); // lower-case escapes
  });

  it('accepts the URL-safe alphabet with or without padding', () => {
    const urlSafe = BYTES.toString('base64url');
    expect(urlSafe).toMatch(/[-_]/);
    expect(urlSafe).not.toMatch(/=/);
    expect(decodeBase64Image(urlSafe, allow)).toEqual(BYTES);
  });

  it('strips a data: header when the API allows it', () => {
    expect(decodeBase64Image(`data:image/png;base64,${B64}`, allow)).toEqual(BYTES);
    expect(decodeBase64Image(`DATA:image/jpeg;BASE64,\n${B64}`, allow)).toEqual(BYTES);
  });

  it('rejects a data: header when the API forbids it with IMAGE_BASE64', async () => {
    await expectIrisError(
      () => decodeBase64Image(`data:image/png;base64,${B64}`, reject),
      'IMAGE_BASE64',
      'image',
      /remove the "data:\.\.\.;base64," header/,
    );
  });

  it('hasDataUrlHeader tells a data: header (as the families that refuse it check) from base64', () => {
    expect(hasDataUrlHeader(`data:image/png;base64,${B64}`)).toBe(true);
    expect(hasDataUrlHeader(` \n DATA:text/plain;base64,${B64}`)).toBe(true);
    expect(hasDataUrlHeader('data:,')).toBe(true);
    expect(hasDataUrlHeader(B64)).toBe(false);
    // ':' is not in the base64 alphabet, so no base64 data can look like a header.
    expect(hasDataUrlHeader('ZGF0YTppbWFnZS9wbmc7YmFzZTY0LA==')).toBe(false);
  });

  it('rejects a data: URL that is not base64-encoded', async () => {
    await expectIrisError(() => decodeBase64Image('data:image/png,abcd', allow), 'IMAGE_BASE64', 'image', /not base64/);
  });

  it('rejects an empty string with IMAGE_EMPTY, and a header with no payload too', async () => {
    await expectIrisError(() => decodeBase64Image('', allow), 'IMAGE_EMPTY', 'image');
    await expectIrisError(() => decodeBase64Image(' \n ', allow), 'IMAGE_EMPTY', 'image');
    await expectIrisError(() => decodeBase64Image('data:image/png;base64,', allow), 'IMAGE_EMPTY', 'image');
  });

  it('rejects characters outside the base64 alphabet with IMAGE_BASE64, naming the character', async () => {
    const decode = (s: string) => () => decodeBase64Image(s, allow);
    await expectIrisError(decode('abcd!efg'), 'IMAGE_BASE64', 'image', /base64 decode failed.*"!"/);
    await expectIrisError(decode('abcd\u00e9fgh'), 'IMAGE_BASE64', 'image', /U\+00E9/);
    await expectIrisError(decode('{"not":"base64"}'), 'IMAGE_BASE64', 'image');
  });

  it('rejects wrong padding and impossible lengths with IMAGE_BASE64', async () => {
    const decode = (s: string) => () => decodeBase64Image(s, allow);
    await expectIrisError(decode('abcde'), 'IMAGE_BASE64', 'image', /length or padding/); // 4n+1 characters
    await expectIrisError(decode('abcdef='), 'IMAGE_BASE64', 'image', /length or padding/);
    await expectIrisError(decode('ab=cd'), 'IMAGE_BASE64', 'image', /misplaced "="/);
    await expectIrisError(decode('abc==='), 'IMAGE_BASE64', 'image');
    await expectIrisError(decode('===='), 'IMAGE_BASE64', 'image');
  });

  it('rejects malformed percent-encoding with IMAGE_BASE64', async () => {
    await expectIrisError(() => decodeBase64Image('abcd%2B%E0%A4%A', allow), 'IMAGE_BASE64', 'image', /URL encoding/);
  });

  it('rejects oversized input with IMAGE_TOO_LARGE before decoding it', async () => {
    // Garbage that would fail decoding: getting IMAGE_TOO_LARGE shows the length check ran first.
    const huge = '!'.repeat(2001);
    await expectIrisError(
      () => decodeBase64Image(huge, { ...allow, maxEncodedBytes: 2000 }),
      'IMAGE_TOO_LARGE',
      'image',
      /2001 bytes, over the 2000-byte limit/,
    );
    expect(decodeBase64Image(B64, { ...allow, maxEncodedBytes: B64.length })).toEqual(BYTES);
  });

  it('names the caller-supplied field in messages', async () => {
    const opts = { field: 'image_base64', dataUrl: 'allow' } as const;
    await expectIrisError(() => decodeBase64Image('@@@@', opts), 'IMAGE_BASE64', 'image_base64');
  });
});
