/** Request pieces shared by the hard-example operations' schemas (functions/hard-examples/*). */
import { z } from 'zod';
import { MAX_CAMERAS, MAX_DATA_COUNT, MODEL_ALGORITHMS, NAME_MAX } from './contract';

export const configPath = z.object({ project_id: z.string().min(1).max(64), config_id: z.string().regex(/^[0-9a-f]{20}$/, 'unknown config id') });
const name = z.string().min(1).max(NAME_MAX);
export const configFields = {
  camera_names: z.array(name).max(MAX_CAMERAS),
  data_count: z.number().int().min(0).max(MAX_DATA_COUNT),
  model_algorithm: z.enum(MODEL_ALGORITHMS),
  model_id: z.string().max(64),
  model_name: name,
  /** Iris addition: the classification service whose current model the config names. */
  service_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a service id is letters, digits, "-" or "_"'),
  setting_config: z.object({ thr: z.number().min(0).max(1) }).partial(),
};
/** Multipart fields are strings; JSON sends numbers. */
export const intField = z.union([z.number(), z.string().regex(/^\d+$/, 'must be an integer').transform(Number)]).pipe(z.number().int().min(0));
