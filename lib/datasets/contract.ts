/**
 * The contract of the ModelArts-compatible dataset API: limits, enumerations and error codes, from
 * the Huawei Cloud ModelArts API reference — "Adding Samples in Batches" (its tables 2–10 are
 * cited as "table N" below), "Creating a Dataset", "Querying the Dataset List", "Querying the
 * Sample List", "Deleting Samples in Batches", "Updating Sample Labels in Batches" — and its
 * "Error Codes" page. Values marked *unverified* are Iris's choice, listed in docs/datasets.md and
 * kept stable.
 */
import { IrisError, type ErrorKind } from '../errors';

/** "Creating a Dataset": dataset_name 1–100 chars of [A-Za-z0-9_-]; description 0–256 chars. */
export const DATASET_NAME = /^[A-Za-z0-9_-]{1,100}$/;
export const DESCRIPTION_MAX = 256;
/** "Creating a Dataset": dataset_type. */
export const DATASET_TYPES = [0, 1, 3, 100, 101, 102, 200, 201, 202, 400, 600, 900] as const;

/** Table 4: name 0–1024 chars without !<>=&"'. */
export const SAMPLE_NAME_MAX = 1024;
export const SAMPLE_NAME_FORBIDDEN = /[!<>="'&]/;
/** Table 4: sample_type. */
export const SAMPLE_TYPES = [0, 1, 2, 4, 6, 9] as const;
/** Table 4: encoding of text samples. */
export const ENCODINGS = ['UTF-8', 'GBK', 'GB2312'] as const;
/** Table 5: data_type (0 OBS is the only one Iris imports). */
export const DATA_SOURCE_TYPES = [0, 1, 2, 3, 4, 5, 6] as const;
/** Table 8: label type codes. */
export const LABEL_TYPES = [0, 1, 100, 101, 102, 103, 200, 201, 202, 600] as const;
export const DETECTION_LABEL = 1;
/** Table 9: @modelarts:shape. */
export const SHAPES = ['bndbox', 'polygon', 'circle', 'line', 'dashed', 'point', 'polyline'] as const;
/** Tables 9/10: hard reason ids. */
export const HARD_REASON_MAX = 30;
/** Table 9: keys a label property may carry. */
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
/** Table 2: to-be-confirmed labels exist for image classification and detection only. */
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
/** List paging ("Querying the Sample List"): limit 1–100, default 10. */
export const LIST_LIMIT_MAX = 100;
export const LIST_LIMIT_DEFAULT = 10;

/**
 * Stored sample states and the list filter values ("Querying the Sample List": `__ALL__` labeled, `__NONE__`
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

/** Error codes (ModelArts "Error Codes": 0102, 0103, 0104, 0106, 4352; the others are *unverified* Iris choices). */
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

/**
 * The code and HTTP status of each error kind (`{error_code: "ModelArts.xxxx", error_msg}`); the
 * auth codes are the API gateway's (APIG.xxxx), as Huawei Cloud answers them in front of every
 * service. Unverified choices are listed in the README's error table and kept stable.
 */
export const modelartsCodes: Record<ErrorKind, [string, number]> = {
  AUTH_MISSING: ['APIG.1000', 401],
  AUTH_INVALID: ['APIG.0301', 401],
  AUTH_EXPIRED: ['APIG.0307', 401],
  FORBIDDEN_PROJECT: ['ModelArts.0107', 403],
  ROUTE_NOT_FOUND: ['APIG.0101', 404],
  METHOD_NOT_ALLOWED: ['APIG.0101', 405],
  BODY_NOT_JSON: ['ModelArts.0104', 400],
  BODY_TOO_LARGE: ['ModelArts.0104', 413],
  UNSUPPORTED_MEDIA_TYPE: ['ModelArts.0104', 415],
  MISSING_PARAM: ['ModelArts.0104', 400],
  BAD_PARAM: ['ModelArts.0104', 400],
  PARAM_TOO_LONG: ['ModelArts.0104', 400],
  IMAGE_EMPTY: ['ModelArts.0104', 400],
  IMAGE_BASE64: ['ModelArts.0104', 400],
  IMAGE_FORMAT: ['ModelArts.0104', 400],
  IMAGE_TOO_LARGE: ['ModelArts.0104', 400],
  IMAGE_DIMENSIONS: ['ModelArts.0104', 400],
  IMAGE_ASPECT: ['ModelArts.0104', 400],
  IMAGE_URL: ['ModelArts.0104', 400],
  NOT_FOUND: ['ModelArts.0102', 404],
  CONFLICT: ['ModelArts.0103', 400],
  QUOTA: ['ModelArts.0106', 400],
  RATE_LIMIT: ['APIG.0308', 429],
  INTERNAL: ['ModelArts.0010', 500],
};
