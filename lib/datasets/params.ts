/** Request pieces shared by the dataset operations' schemas (functions/datasets/*). */
import { z } from 'zod';
import { DATASET_TYPES } from './contract';

export const projectPath = z.object({ project_id: z.string().min(1).max(64) });
/**
 * ModelArts dataset ids are 20 letters and digits (Iris makes them the same way); up to 64 of
 * `[A-Za-z0-9_-]` are accepted, so an unknown id is "not found" (ModelArts.4352) and an odd or
 * over-long one a parameter error (ModelArts.0104) before it reaches a store.
 */
export const datasetId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a dataset id is letters, digits, "-" or "_"');
export const datasetPath = projectPath.extend({ dataset_id: datasetId });
export const samplePath = datasetPath.extend({ sample_id: z.string().regex(/^[0-9a-f]{32}$/, 'a sample id is 32 hex digits') });

export const datasetType = z.number().int().refine((t) => (DATASET_TYPES as readonly number[]).includes(t), `dataset_type must be one of ${DATASET_TYPES.join(', ')}`);

export const datasetLabel = z.object({
  name: z.string().min(1).max(1024),
  type: z.number().int().optional(),
  property: z.record(z.string(), z.unknown()).optional(),
});

/** Query strings arrive as strings: "true"/"1" and numbers are coerced. */
export const queryBool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');
