import { z } from 'zod';
import { MAX_BATCH, SAMPLE_USAGES } from '../../../lib/datasets/contract';
import { datasetPath } from '../../../lib/datasets/params';

/** PUT …/data-annotations/samples (REFERENCE "update sample labels"); labels and metadata are checked per sample. */
export const schema = z.object({
  path: datasetPath,
  body: z.object({
    samples: z
      .array(
        z.object({
          sample_id: z.string().min(1).max(64),
          labels: z.array(z.unknown()).max(1000).optional(),
          metadata: z.record(z.string(), z.unknown()).optional(),
          sample_usage: z.enum(SAMPLE_USAGES).optional(),
        }),
      )
      .min(1)
      .max(MAX_BATCH),
  }),
});
