import { z } from 'zod';
import { MAX_BATCH } from '../../../lib/datasets/contract';
import { datasetPath } from '../../../lib/datasets/params';

/** POST …/data-annotations/samples/delete (REFERENCE "delete samples"). */
export const schema = z.object({
  path: datasetPath,
  body: z.object({
    samples: z.array(z.string().min(1).max(64)).min(1).max(MAX_BATCH),
    delete_source: z.boolean().default(false),
  }),
});
