/**
 * Classification models (training jobs, models, services, predict): limits, defaults and the
 * ModelArts codes Iris chose. Datasets' codes come from lib/datasets/contract.ts (4352 dataset not
 * found, 0102 resource not found, 0103 duplicate, 0104 parameter error); the codes marked
 * *unverified* are Iris's own choices, documented in docs/models.md and kept stable.
 */
import { IrisError } from '../errors';
import { CODES as DATASET_CODES } from '../datasets/contract';

export const CODES = {
  ...DATASET_CODES,
  /** *unverified*: the dataset's type is not image classification (dataset_type 0). */
  notClassification: 'ModelArts.2801',
  /** *unverified*: fewer than 2 labels with confirmed classification samples. */
  tooFewLabels: 'ModelArts.2802',
  /** *unverified*: a label has fewer than 2 confirmed samples. */
  tooFewSamples: 'ModelArts.2803',
  /** *unverified*: the job's state does not allow the request (stop a finished job). */
  jobState: 'ModelArts.2804',
  /** *unverified*: a sample could not be read or decoded while training. */
  sampleUnreadable: 'ModelArts.2805',
  /** *unverified*: the job's runs stopped answering (every delivery of its run failed); set by the sweep. */
  stalled: 'ModelArts.2806',
  /** *unverified*: the model is used by a service (delete refused). */
  modelInUse: 'ModelArts.3502',
  internal: 'ModelArts.0010',
} as const;

/** The one algorithm Iris trains. */
export const MODEL_ALGORITHMS = ['image_classification'] as const;
export const JOB_STATUSES = ['Pending', 'Running', 'Completed', 'Failed', 'Stopped'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL: readonly JobStatus[] = ['Completed', 'Failed', 'Stopped'];

export const DEFAULT_EVAL_RATIO = 0.2;
/** Names: as ModelArts job / model / service names, 1–64 of letters, digits, `_` and `-`. */
export const NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Ids Iris makes: 20 lower-case letters and digits, time-ordered (see newId). */
export const ID = /^[a-z0-9]{20}$/;

/** Predict image rules (the classification predict API's "图片要求"). */
export const PREDICT_LIMITS = { maxBytes: 4 * 1024 * 1024, minSide: 30, maxSide: 4096, maxAspect: 3 } as const;

/** Hard-example defaults of a service. */
export const HARD_DEFAULTS = { confidence_below: 0.6, daily_quota: 100 } as const;
/** The hard reasons (ModelArts hard-sample reason table) Iris assigns. */
export const HARD_REASONS = {
  /** 1: "The confidence is low." — top probability below confidence_below, or top-two margin below margin_below. */
  lowConfidence: 1,
  /** 3: "The prediction result is greatly different from the data of the same type in the training dataset." */
  unlikeClass: 3,
} as const;

export const notFound = (what: string, id: string): IrisError =>
  new IrisError('NOT_FOUND', `${what} ${id} does not exist`, { codes: { modelarts: CODES.resourceNotFound }, status: 404 });

export const refuse = (code: string, message: string, field?: string): IrisError =>
  new IrisError('BAD_PARAM', message, { field, codes: { modelarts: code } });

export const badParam = (field: string, message: string): IrisError =>
  new IrisError('BAD_PARAM', `param ${field} invalid: ${message}`, { field, codes: { modelarts: CODES.badParam } });

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** A new id: 9 base-36 digits of the time, then 11 random ones (sorts by creation time). */
export function newId(now = Date.now()): string {
  let rnd = '';
  const bytes = crypto.getRandomValues(new Uint8Array(11));
  for (const b of bytes) rnd += ALPHABET[b % 36];
  return `${now.toString(36).padStart(9, '0')}${rnd}`;
}
