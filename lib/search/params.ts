/** Parsing of the Baidu image-search parameters that the schemas leave as strings. */
import { createHash } from 'node:crypto';
import { IrisError } from '../errors';
import type { Rect } from '../vision/pixels';
import {
  CLASS_ID_MAX,
  CLASS_ID_MIN,
  DEFAULT_PAGE,
  MAX_BRIEF_BYTES,
  MAX_DELETE_SIGNS,
  MAX_TAGS,
  MAX_URL_BYTES,
  RESULT_WINDOW,
  TAG_MAX,
  TAG_MIN,
} from './contract';

const INTEGER = /^\s*\d+\s*$/;

/** `tags`: up to two integers 1–65535, comma-separated ("100,11"). Empty → none. */
export function parseTags(value: string | undefined, field = 'tags'): number[] {
  if (value === undefined || value.trim() === '') return [];
  const parts = value.split(',');
  if (parts.length > MAX_TAGS) {
    throw new IrisError('BAD_PARAM', `param ${field} invalid: at most ${MAX_TAGS} tags, separated by a comma`, { field });
  }
  const tags = parts.map((p) => {
    if (!INTEGER.test(p)) throw new IrisError('BAD_PARAM', `param ${field} invalid: "${p.trim()}" is not an integer`, { field });
    const n = Number(p);
    if (n < TAG_MIN || n > TAG_MAX) {
      throw new IrisError('BAD_PARAM', `param ${field} invalid: ${n} is outside ${TAG_MIN}..${TAG_MAX}`, { field });
    }
    return n;
  });
  return [...new Set(tags)];
}

/** Product `class_id1` / `class_id2`: an integer 1–60, or absent. */
export function parseClassId(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!INTEGER.test(value)) throw new IrisError('BAD_PARAM', `param ${field} invalid: not an integer`, { field });
  const n = Number(value);
  if (n < CLASS_ID_MIN || n > CLASS_ID_MAX) {
    throw new IrisError('BAD_PARAM', `param ${field} invalid: ${n} is outside ${CLASS_ID_MIN}..${CLASS_ID_MAX}`, { field });
  }
  return n;
}

/** `tag_logic`: 0 = AND (default), 1 = OR. */
export function parseTagLogic(value: string | undefined): 'and' | 'or' {
  if (value === undefined || value.trim() === '' || value.trim() === '0') return 'and';
  if (value.trim() === '1') return 'or';
  throw new IrisError('BAD_PARAM', 'param tag_logic invalid: use 0 (and) or 1 (or)', { field: 'tag_logic' });
}

export interface Window {
  start: number;
  /** Exclusive; never past RESULT_WINDOW. */
  end: number;
}

/**
 * `pn` / `rn`: without paging the top 300; the window never reaches past result 1000
 * ("起始位置为900,截取条数500条 … 只返回第900 - 1000条的结果,共计100条").
 */
export function parseWindow(pn: string | undefined, rn: string | undefined): Window {
  const num = (v: string | undefined, field: string, min: number): number | undefined => {
    if (v === undefined || v.trim() === '') return undefined;
    if (!INTEGER.test(v)) throw new IrisError('BAD_PARAM', `param ${field} invalid: not an integer`, { field });
    const n = Number(v);
    if (n < min) throw new IrisError('BAD_PARAM', `param ${field} invalid: must be at least ${min}`, { field });
    return n;
  };
  const start = num(pn, 'pn', 0) ?? 0;
  const count = num(rn, 'rn', 1) ?? DEFAULT_PAGE;
  if (start >= RESULT_WINDOW) {
    throw new IrisError('BAD_PARAM', `param pn invalid: results stop at ${RESULT_WINDOW}, pn must be below it`, { field: 'pn' });
  }
  return { start, end: Math.min(start + count, RESULT_WINDOW) };
}

export function checkBrief(brief: string, field = 'brief'): string {
  const bytes = Buffer.byteLength(brief, 'utf8');
  if (bytes > MAX_BRIEF_BYTES) {
    throw new IrisError('PARAM_TOO_LONG', `param ${field} too long: ${bytes} bytes, at most ${MAX_BRIEF_BYTES}`, { field });
  }
  return brief;
}

export function checkUrl(url: string, field = 'url'): string {
  const bytes = Buffer.byteLength(url, 'utf8');
  if (bytes > MAX_URL_BYTES) {
    throw new IrisError('PARAM_TOO_LONG', `param ${field} too long: ${bytes} bytes, at most ${MAX_URL_BYTES}`, { field });
  }
  return url;
}

const UINT32_MAX = 0xffff_ffff;
const CONT_SIGN = /^\s*(\d{1,10})\s*,\s*(\d{1,10})\s*$/;

/** A cont_sign as clients send it: two unsigned 32-bit integers, "4261577168,501945506". */
export function parseContSign(value: string, field = 'cont_sign'): string {
  const m = CONT_SIGN.exec(value);
  if (!m || Number(m[1]) > UINT32_MAX || Number(m[2]) > UINT32_MAX) {
    throw new IrisError('BAD_PARAM', `param ${field} invalid: "${value.slice(0, 40)}" is not a cont_sign ("<uint32>,<uint32>")`, { field });
  }
  return `${Number(m[1])},${Number(m[2])}`;
}

/** Up to 100 cont_signs separated by ';' (batch delete). */
export function parseContSignList(value: string, field = 'cont_sign'): string[] {
  const parts = value.split(';').filter((p) => p.trim() !== '');
  if (parts.length === 0) throw new IrisError('MISSING_PARAM', `param ${field} not exist`, { field });
  if (parts.length > MAX_DELETE_SIGNS) {
    throw new IrisError('BAD_PARAM', `param ${field} invalid: ${parts.length} cont_signs, at most ${MAX_DELETE_SIGNS} per call`, { field });
  }
  return [...new Set(parts.map((p) => parseContSign(p, field)))];
}

/**
 * The image's signature: two uint32 taken from a SHA-256 of the decoded pixels (and their size),
 * so the same picture gives the same cont_sign whatever container it came in (PNG or BMP of the
 * same pixels are the same image; a re-compressed JPEG is not, and is left to the engine).
 */
export function contSignOf(pixels: { data: Buffer; width: number; height: number }): string {
  const h = createHash('sha256').update(`${pixels.width}x${pixels.height}:`).update(pixels.data).digest();
  return `${h.readUInt32BE(0)},${h.readUInt32BE(4)}`;
}

/** Storage id of an image (object keys, vector rows, DynamoDB sort key) from its cont_sign. */
export const imageIdOf = (contSign: string): string => contSign.replace(',', '_');

/** Least side (px) of a caller's subject box after clipping to the image. */
export const MIN_SUBJECT_SIDE = 8;

/**
 * `subject` (Iris addition, similar and product search): the box to search for, "left,top,width,height"
 * in the query's pixels (after EXIF orientation) — the form `query_subject` is answered in. Clipped to
 * the image; a box that leaves less than MIN_SUBJECT_SIDE px on a side is refused.
 */
export function parseSubject(value: string | undefined, width: number, height: number): Rect | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parts = value.split(',').map((p) => p.trim());
  const bad = (why: string) => new IrisError('BAD_PARAM', `param subject invalid: ${why}`, { field: 'subject' });
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,6}$/.test(p))) throw bad('give left,top,width,height as four non-negative integers (pixels)');
  const [left, top, w, h] = parts.map(Number);
  const right = Math.min(width, left + w);
  const bottom = Math.min(height, top + h);
  if (right - left < MIN_SUBJECT_SIDE || bottom - top < MIN_SUBJECT_SIDE) {
    throw bad(`the box must cover at least ${MIN_SUBJECT_SIDE} x ${MIN_SUBJECT_SIDE} pixels of the ${width} x ${height} image`);
  }
  return { left, top, width: right - left, height: bottom - top };
}
