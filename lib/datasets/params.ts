/** Request pieces shared by the dataset operations' schemas (functions/datasets/*). */
import { z } from 'zod';
import { DATASET_TYPES } from './contract';

export const projectPath = z.object({ project_id: z.string().min(1).max(64) });
export const datasetPath = projectPath.extend({ dataset_id: z.string().min(1).max(64) });
export const samplePath = datasetPath.extend({ sample_id: z.string().regex(/^[0-9a-f]{32}$/, 'a sample id is 32 hex digits') });

export const datasetType = z.number().int().refine((t) => (DATASET_TYPES as readonly number[]).includes(t), `dataset_type must be one of ${DATASET_TYPES.join(', ')}`);

export const datasetLabel = z.object({
  name: z.string().min(1).max(1024),
  type: z.number().int().optional(),
  property: z.record(z.string(), z.unknown()).optional(),
});

/** Query strings arrive as strings: "true"/"1" and numbers are coerced. */
export const queryBool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');
