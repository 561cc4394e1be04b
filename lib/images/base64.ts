import { IrisError } from '../errors';

export interface Base64Options {
  /** Request field name, used in error messages. */
  field: string;
  /** Whether a `data:<type>;base64,` prefix is stripped ('allow') or refused ('reject'). */
  dataUrl: 'allow' | 'reject';
  /** Cap on the encoded string's length, checked before any work is done on it. */
  maxEncodedBytes?: number;
}

const DATA_URL_HEADER = /^data:([^,]*),/i;

/**
 * Whether a base64 field starts with a `data:<type>;base64,` header (after leading whitespace).
 * Image fields of Baidu and FRS strip it (decodeBase64Image with dataUrl 'allow'); ModelArts'
 * sample `data` is a file's bytes of any sample type and refuses it with a clear message.
 */
export const hasDataUrlHeader = (input: string): boolean => DATA_URL_HEADER.test(input.trimStart());

/** The message every family that refuses a data-URL header answers with. */
export const dataUrlRefused = (field: string): string =>
  `${field}: base64 decode failed: remove the "data:...;base64," header and send only the base64 data`;
const PERCENT_ESCAPE = /%[0-9a-f]{2}/i;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes a base64 image field as real clients send it.
 *
 * Tolerated:
 * - line breaks and tabs (MIME-style wrapping), leading spaces;
 * - spaces standing for '+': form bodies whose '+' was URL-decoded into ' ' (sent unescaped
 *   or decoded twice). Inside the data a space cannot be anything else; trailing spaces are
 *   resolved by length (see below);
 * - URL-encoded base64 (`%2B`, `%2F`, `%3D`, ...): '%' is not in the alphabet either, so any
 *   `%XX` escape means the whole value was percent-encoded once more; it is decoded once;
 * - the URL-safe alphabet (`-` and `_`) and missing trailing padding.
 *
 * Everything else (foreign characters, misplaced or surplus '=', a length no base64 encoder
 * can produce) is refused with IMAGE_BASE64 rather than silently decoded into garbage bytes.
 */
export function decodeBase64Image(input: string, opts: Base64Options): Buffer {
  const { field } = opts;
  if (typeof input !== 'string') {
    throw new IrisError('IMAGE_BASE64', `${field}: base64 decode failed (expected a string)`, { field });
  }
  if (input.length === 0) throw new IrisError('IMAGE_EMPTY', `${field}: image data is empty`, { field });
  // Length check first, so an oversized body costs nothing beyond reading its length.
  if (opts.maxEncodedBytes !== undefined && input.length > opts.maxEncodedBytes) {
    throw new IrisError(
      'IMAGE_TOO_LARGE',
      `${field}: base64 data is ${input.length} bytes, over the ${opts.maxEncodedBytes}-byte limit`,
      { field },
    );
  }

  let s = input;
  if (PERCENT_ESCAPE.test(s)) {
    try {
      s = decodeURIComponent(s);
    } catch {
      throw new IrisError('IMAGE_BASE64', `${field}: base64 decode failed (malformed URL encoding)`, { field });
    }
  }
  // Line breaks and tabs are formatting. Leading spaces are too: no image format's base64
  // starts with '+' (JPEG is "/9j/", PNG "iVBOR", ...).
  s = s.replace(/[\t\n\r\f\v]+/g, '').replace(/^ +/, '');

  const header = DATA_URL_HEADER.exec(s);
  if (header) {
    if (opts.dataUrl === 'reject') {
      throw new IrisError('IMAGE_BASE64', dataUrlRefused(field), { field });
    }
    if (!/;base64$/i.test(header[1].trim())) {
      throw new IrisError('IMAGE_BASE64', `${field}: base64 decode failed (data URL is not base64-encoded)`, {
        field,
      });
    }
    s = s.slice(header[0].length).replace(/^ +/, '');
  }

  // Trailing spaces are ambiguous: stray whitespace, or final '+'s that became ' '. Base64 with
  // '+' comes from a standard (padding) encoder, so it is a multiple of 4 long: keep the spaces
  // as '+' when that length works out, otherwise drop them. (A wrong guess in favour of '+' only
  // appends bytes after the image's end marker, which decoders ignore.)
  if (s.length % 4 !== 0) s = s.replace(/ +$/, '');

  s = s.replaceAll(' ', '+').replaceAll('-', '+').replaceAll('_', '/');
  if (s.length === 0) throw new IrisError('IMAGE_EMPTY', `${field}: image data is empty`, { field });

  if (!BASE64_BODY.test(s)) {
    throw new IrisError('IMAGE_BASE64', `${field}: base64 decode failed (${describeBadCharacter(s)})`, { field });
  }
  const padded = s.endsWith('=');
  // With padding the length must be a multiple of 4; without it, a remainder of 1 is impossible
  // (one base64 character carries only 6 bits, never a whole byte).
  if ((padded && s.length % 4 !== 0) || (!padded && s.length % 4 === 1)) {
    throw new IrisError('IMAGE_BASE64', `${field}: base64 decode failed (wrong length or padding)`, { field });
  }

  const bytes = Buffer.from(s, 'base64');
  if (bytes.length === 0) {
    throw new IrisError('IMAGE_BASE64', `${field}: base64 decode failed (no data)`, { field });
  }
  return bytes;
}

/** Names the first character that makes `s` invalid, printable or as a code point. */
function describeBadCharacter(s: string): string {
  const body = s.replace(/={1,2}$/, '');
  const bad = [...body].find((c) => !/[A-Za-z0-9+/]/.test(c));
  if (bad === undefined || bad === '=') return 'misplaced "=" padding';
  const printable = /^[\x21-\x7e]$/.test(bad);
  const name = printable ? `"${bad}"` : `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `invalid character ${name}`;
}

const STRICT_BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;
const STRICT_BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes the base64 of a file of any kind (ModelArts sample `data`), stricter than an image
 * field: whitespace is dropped and the standard or the URL-safe alphabet accepted, nothing else is
 * repaired. Returns null when the text is not base64 (the caller words the refusal); the bytes
 * are returned as given, never looked at. A `data:` header is the caller's to refuse first
 * (hasDataUrlHeader).
 */
export function decodeBase64Data(input: string): Buffer | null {
  const text = input.replace(/\s+/g, '');
  if (STRICT_BASE64.test(text)) return Buffer.from(text, 'base64');
  if (STRICT_BASE64URL.test(text)) return Buffer.from(text, 'base64url');
  return null;
}
