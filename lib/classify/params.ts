/** Request pieces shared by the training, model and service operations (functions/training, models, services). */
import { z } from 'zod';
import { datasetId, projectPath } from '../datasets/params';
import { MODEL_ALGORITHMS } from './contract';

/** Iris's job, model and service ids are 20 of [a-z0-9]; anything up to 64 of [A-Za-z0-9_-] is "not found". */
export const resourceId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'an id is letters, digits, "-" or "_"');
export const name = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, '1–64 letters, digits, "-" or "_"');
export const jobPath = projectPath.extend({ job_id: resourceId });
export const modelPath = projectPath.extend({ model_id: resourceId });
export const servicePath = projectPath.extend({ service_id: resourceId });
export const paging = z.object({
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

const parameterValue = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i).transform(Number)]);
const knownParameters = z
  .object({
    l2: parameterValue.pipe(z.number().min(0).max(10)).optional(),
    learning_rate: parameterValue.pipe(z.number().gt(0).max(10)).optional(),
    max_epochs: parameterValue.pipe(z.number().int().min(1).max(5000)).optional(),
    seed: parameterValue.pipe(z.number().int().min(0).max(2 ** 31)).optional(),
  })
  .strict();

/** `parameters`: an object, or ModelArts' list of `{name, value}`. */
export const trainParameters = z
  .union([z.array(z.object({ name: z.string().max(64), value: z.union([z.string().max(64), z.number()]) })).max(20).transform((l) => Object.fromEntries(l.map((p) => [p.name, p.value]))), z.record(z.string().max(64), z.unknown())])
  .pipe(knownParameters);

export const createJobBody = z.object({
  job_name: name,
  dataset_id: datasetId,
  model_algorithm: z.enum(MODEL_ALGORITHMS).default('image_classification'),
  model_name: name.optional(),
  eval_ratio: z.number().gt(0).lt(1).optional(),
  parameters: trainParameters.optional(),
  description: z.string().max(256).optional(),
});

export const hardExamples = z.object({
  dataset_id: datasetId,
  confidence_below: z.number().gt(0).max(1).optional(),
  margin_below: z.number().gt(0).max(1).optional(),
  daily_quota: z.number().int().min(0).max(1_000_000).optional(),
});

export const jobView = z.object({
  job_id: z.string(),
  job_name: z.string(),
  dataset_id: z.string(),
  status: z.string(),
  progress: z.number(),
  create_time: z.number(),
  update_time: z.number(),
  model_id: z.string().optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  error_code: z.string().optional(),
  error_msg: z.string().optional(),
});

export const modelViewSchema = z.object({
  model_id: z.string(),
  model_name: z.string(),
  model_version: z.string(),
  labels: z.array(z.string()),
  metrics: z.record(z.string(), z.unknown()),
  dataset_id: z.string(),
  job_id: z.string(),
  create_time: z.number(),
  size: z.number(),
});

export const serviceViewSchema = z.object({
  service_id: z.string(),
  service_name: z.string(),
  model_id: z.string(),
  predict_url: z.string(),
  status: z.string(),
  hard_examples: z.record(z.string(), z.unknown()).optional(),
});
