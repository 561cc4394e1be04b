/**
 * Limits, defaults and error codes of the FRS-compatible face-set API
 * (../shared/REFERENCE.md "Face sets", seed 004 for update face). Codes the reference marks
 * as unverified are chosen here and documented in the API docs.
 */
import { IrisError } from '../errors';
import type { ImageLimits } from '../images';

export const FACE_SET_NAME = /^[^\s/][^/]{0,63}$/;
export const FACE_SET_NAME_MAX = 64;
export const DEFAULT_CAPACITY = 100_000;
export const MAX_CAPACITY = 100_000;
export const MAX_EXTERNAL_FIELDS = 10;
export const FIELD_KEY = /^[A-Za-z0-9_-]{1,36}$/;
export const EXTERNAL_IMAGE_ID = /^[A-Za-z0-9_-]{1,36}$/;
export const MAX_STRING_VALUE = 256;
export const FIELD_TYPES = ['long', 'integer', 'boolean', 'string', 'double', 'float'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Faces smaller than this (either side, in the original image's pixels) are not used. */
export const MIN_FACE_PX = 80;
export const TOP_N_DEFAULT = 10;
export const TOP_N_MAX = 1000;
export const QUERY_LIMIT_DEFAULT = 5;
export const QUERY_WINDOW = 10_000;
/** Faces written per DynamoDB transaction (plus the face set's counter). */
export const FACES_PER_TRANSACTION = 99;
/** Detection runs on the image scaled down to this long side (faces keep ≥ 80 px at 1024 px in practice). */
export const DETECT_MAX_SIDE = 1280;

/** JPG, JPEG, PNG, BMP; under 8 MB. */
export const IMAGE_LIMITS: ImageLimits = { formats: ['jpeg', 'png', 'bmp'], maxBytes: 8 * 1024 * 1024 - 1, maxSide: 8192 };
/** base64 of an 8 MB image. */
export const MAX_BASE64_CHARS = Math.ceil((8 * 1024 * 1024) / 3) * 4 + 64;
export const MAX_URL_CHARS = 2048;

export const frsError = {
  setNotFound: (name: string) => new IrisError('NOT_FOUND', `face set ${name} does not exist`, { codes: { frs: 'FRS.0302' }, status: 400 }),
  setExists: (name: string) => new IrisError('CONFLICT', `face set ${name} already exists`, { codes: { frs: 'FRS.0301' }, status: 400 }),
  faceNotFound: () =>
    new IrisError('NOT_FOUND', 'The face id is not exist, checkout your input.', { codes: { frs: 'FRS.0303' }, status: 400 }),
  noFaceToAdd: () => new IrisError('BAD_PARAM', 'no face detected in the image, cannot add it to the face set', { codes: { frs: 'FRS.0404' }, status: 400 }),
  noFaceToSearch: () => new IrisError('BAD_PARAM', 'no face detected in the image, cannot search', { codes: { frs: 'FRS.0304' }, status: 400 }),
  faceTooSmall: (w: number, h: number) =>
    new IrisError('IMAGE_DIMENSIONS', `the faces found are too small (largest ${w}x${h} px; at least ${MIN_FACE_PX}x${MIN_FACE_PX} px)`, {
      codes: { frs: 'FRS.0013' },
      status: 400,
    }),
  capacity: (capacity: number) =>
    new IrisError('QUOTA', `face set capacity exceeded (${capacity} faces)`, { codes: { frs: 'FRS.0306' }, status: 403 }),
  fieldType: (key: string, message: string) =>
    new IrisError('BAD_PARAM', `external_fields.${key}: ${message}`, { field: `external_fields.${key}`, codes: { frs: 'FRS.0406' }, status: 400 }),
  sortField: (key: string) =>
    new IrisError('BAD_PARAM', `sort: field ${key} is not a numeric field of the face set`, { field: 'sort', codes: { frs: 'FRS.0032' }, status: 400 }),
  deleteMatchedNothing: () => new IrisError('NOT_FOUND', 'no face matched the delete', { codes: { frs: 'FRS.0401' }, status: 400 }),
  batchMatchedNothing: () => new IrisError('NOT_FOUND', 'no face matched the filter', { codes: { frs: 'FRS.0407' }, status: 400 }),
  badParam: (field: string, message: string) => new IrisError('BAD_PARAM', `${field}: ${message}`, { field }),
  missingParam: (field: string, message: string) => new IrisError('MISSING_PARAM', `${field}: ${message}`, { field }),
};
