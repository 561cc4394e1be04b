/**
 * ModelArts dataset contract: limits, enumerations and error codes.
 * Sources: ../shared/seeds/001_e3d31c0f879ad753.txt (add samples in batches, tables 2–10) and
 * ../shared/REFERENCE.md "Datasets and samples". Values marked *unverified* are Iris's choice,
 * documented here and kept stable.
 */
import { IrisError } from '../errors';

/** REFERENCE: dataset_name 1–100 chars of [A-Za-z0-9_-]; description 0–256 chars. */
export const DATASET_NAME = /^[A-Za-z0-9_-]{1,100}$/;
export const DESCRIPTION_MAX = 256;
/** REFERENCE: dataset_type. */
export const DATASET_TYPES = [0, 1, 3, 100, 101, 102, 200, 201, 202, 400, 600, 900] as const;

/** Seed table 4: name 0–1024 chars without !<>=&"'. */
export const SAMPLE_NAME_MAX = 1024;
export const SAMPLE_NAME_FORBIDDEN = /[!<>="'&]/;
/** Seed table 4: sample_type. */
export const SAMPLE_TYPES = [0, 1, 2, 4, 6, 9] as const;
/** Seed table 4: encoding of text samples. */
export const ENCODINGS = ['UTF-8', 'GBK', 'GB2312'] as const;
/** Seed table 5: data_type (0 OBS is the only one Iris imports). */
export const DATA_SOURCE_TYPES = [0, 1, 2, 3, 4, 5, 6] as const;
/** Seed table 8: label type codes. */
export const LABEL_TYPES = [0, 1, 100, 101, 102, 103, 200, 201, 202, 600] as const;
export const DETECTION_LABEL = 1;
/** Seed table 9: @modelarts:shape. */
export const SHAPES = ['bndbox', 'polygon', 'circle', 'line', 'dashed', 'point', 'polyline'] as const;
/** Seed tables 9/10: hard reason ids. */
export const HARD_REASON_MAX = 30;
/** Seed table 9: keys a label property may carry. */
export const LABEL_PROPERTY_KEYS = [
  '@modelarts:content',
  '@modelarts:end_index',
  '@modelarts:end_time',
  '@modelarts:feature',
  '@modelarts:from',
  '@modelarts:hard',
  '@modelarts:hard_coefficient',
  '@modelarts:hard_reasons',
  '@modelarts:shape',
  '@modelarts:source',
  '@modelarts:start_index',
  '@modelarts:start_time',
  '@modelarts:to',
] as const;
/** Seed table 2: to-be-confirmed labels exist for image classification and detection only. */
export const UNCHECK_LABEL_TYPES = [0, 1];

/** Samples per add/delete/update request. *unverified*: Iris's limit. */
export const MAX_BATCH = 100;
/** Decoded bytes of one sample's `data`. *unverified* (the request itself is capped at 10 MB). */
export const MAX_SAMPLE_BYTES = 8 * 1024 * 1024;
/**
 * Formats of an image sample (sample_type 0). ModelArts' documentation lists JPG/JPEG, PNG and
 * BMP for image datasets; Iris also takes GIF and WebP (first frame), which it can decode safely.
 * TIFF is neither documented nor decodable through the image guard, so it is refused at add.
 */
export const IMAGE_SAMPLE_FORMATS = ['jpeg', 'png', 'bmp', 'gif', 'webp'] as const;
/**
 * Every decode of a stored sample (thumbnails, previews) goes through lib/images' guard with these
 * limits: the header-declared pixel count is checked before any pixel is decoded (40 MP, as every
 * other family), and a file is not even read past MAX_DECODE_BYTES. *unverified*: Iris's limits;
 * the bytes themselves are stored as given.
 */
export const MAX_DECODE_PIXELS = 40_000_000;
export const MAX_DECODE_BYTES = 32 * 1024 * 1024;
/**
 * OBS and S3 both cap an object key at 1,024 bytes, and a sample's file is stored under its full
 * bucket path (`data/{project_id}` + path): longer paths are refused per sample (ModelArts.0104)
 * instead of failing in the object store.
 */
export const MAX_OBJECT_KEY_BYTES = 1024;
/** List paging (REFERENCE): limit 1–100, default 10. */
export const LIST_LIMIT_MAX = 100;
export const LIST_LIMIT_DEFAULT = 10;

/**
 * Stored sample states and the list filter values (REFERENCE: `__ALL__` labeled, `__NONE__`
 * unlabeled, `__UNCHECK__` to be confirmed; the review states exist in ModelArts' team-labeling
 * workflow, which Iris does not run, so filtering by them returns nothing).
 */
export type StoredState = '__ALL__' | '__NONE__' | '__UNCHECK__';
export const SAMPLE_STATES = [
  '__ALL__',
  '__NONE__',
  '__UNCHECK__',
  '__ACCEPTED__',
  '__REJECTED__',
  '__UNREVIEWED__',
  '__REVIEWED__',
  '__WORKFORCE_SAMPLED__',
  '__WORKFORCE_SAMPLED_UNCHECK__',
  '__WORKFORCE_SAMPLED_CHECKED__',
  '__WORKFORCE_SAMPLED_ACCEPTED__',
  '__WORKFORCE_SAMPLED_REJECTED__',
  '__AUTO_ANNOTATION__',
] as const;
export const SAMPLE_USAGES = ['TRAIN', 'EVAL', 'TEST', 'INFERENCE'] as const;

/** Error codes (REFERENCE "Known codes"; the others are *unverified* Iris choices). */
export const CODES = {
  resourceNotFound: 'ModelArts.0102',
  duplicateName: 'ModelArts.0103',
  badParam: 'ModelArts.0104',
  quota: 'ModelArts.0106',
  datasetNotFound: 'ModelArts.4352',
  /** *unverified*: a data source type Iris cannot import (anything but OBS). */
  sourceUnsupported: 'ModelArts.4371',
  /** *unverified*: the data_source object does not exist in the bucket. */
  sourceNotFound: 'ModelArts.4372',
  /** *unverified*: sample not found in the dataset. */
  sampleNotFound: 'ModelArts.4360',
  /**
   * A stored sample cannot be decoded where it must be (a thumbnail): not an image, corrupt,
   * truncated, or over the pixel limit. ModelArts' parameter error, since the request asked for a
   * derivative of this sample; the message says which.
   */
  undecodable: 'ModelArts.0104',
} as const;

export const datasetNotFound = (datasetId: string): IrisError =>
  new IrisError('NOT_FOUND', `dataset ${datasetId} does not exist`, { codes: { modelarts: CODES.datasetNotFound }, status: 404 });

export const badParam = (field: string, message: string): IrisError =>
  new IrisError('BAD_PARAM', `param ${field} invalid: ${message}`, { field, codes: { modelarts: CODES.badParam } });
