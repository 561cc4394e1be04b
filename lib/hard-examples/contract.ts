/**
 * The contract of the HiLens-compatible hard-example API: the configuration a device reads
 * (HiLens Kit Python API, `get_hard_sample_config`), the upload (`upload_jpeg(upload_url, index,
 * model_name, camera_name, frame)`, 难例图片上传) and the error codes. The configuration routes and
 * the upload URL answer in the ModelArts envelope (the frames become ModelArts dataset samples),
 * so the codes are ModelArts' (lib/datasets/contract.ts); docs/datasets.md states the rules.
 */
import { CODES } from '../datasets/contract';
import { IrisError } from '../errors';

/** `model_algorithm` of a configuration, as `get_hard_sample_config` returns it. */
export const MODEL_ALGORITHMS = ['image_classification', 'object_detection'] as const;
export type ModelAlgorithm = (typeof MODEL_ALGORITHMS)[number];
/** Upload quota bounds (`data_count`). *unverified*: Iris's choice. */
export const MAX_DATA_COUNT = 1_000_000;
/** `upload_jpeg`: "obs文件名长度限制为1024个字符" — the file name `model_name-camera_name-index.jpg` is at most 1024 characters. */
export const FILE_NAME_MAX = 1024;
/** A model or camera name (1–256 characters), and at most 64 cameras per configuration. *unverified*: Iris's choice. */
export const NAME_MAX = 256;
export const MAX_CAMERAS = 64;

/** The codes the hard-example operations answer with, beside the envelope's defaults. */
export const HARD_EXAMPLE_CODES = {
  badParam: CODES.badParam,
  /** `datacur_count >= data_count`: the device's quota is used up. */
  quota: CODES.quota,
  configNotFound: CODES.resourceNotFound,
} as const;

export const badParam = (field: string, message: string): IrisError =>
  new IrisError('BAD_PARAM', `param ${field} invalid: ${message}`, { field, codes: { modelarts: HARD_EXAMPLE_CODES.badParam } });

export const configNotFound = (configId: string): IrisError =>
  new IrisError('NOT_FOUND', `hard sample config ${configId} does not exist`, { codes: { modelarts: HARD_EXAMPLE_CODES.configNotFound }, status: 404 });

export const quotaUsedUp = (dataCount: number): IrisError =>
  new IrisError('QUOTA', `the hard-example quota of ${dataCount} uploads is used up (datacur_count ≥ data_count)`, { codes: { modelarts: HARD_EXAMPLE_CODES.quota } });

export const notJpeg = (): IrisError => new IrisError('IMAGE_FORMAT', 'the object is not a JPEG', { field: 'frame', codes: { modelarts: HARD_EXAMPLE_CODES.badParam } });
