import { z } from 'zod';
import { MAX_BATCH } from '../../../lib/datasets/contract';
import { datasetPath } from '../../../lib/datasets/params';

/**
 * POST …/datasets/{dataset_id}/data-annotations/samples (seed 001 table 2). Each sample is
 * validated on its own in lib/datasets/sample-input.ts so that a bad one gets its own result.
 */
const separator = z
  .string()
  .length(1, 'a separator is one character')
  .regex(/^[A-Za-z0-9!@#$%^&*_=|?/':.;,\t]$/, 'a separator is a letter, a digit or one of !@#$%^&*_=|?/\':.;,');

export const schema = z.object({
  path: datasetPath,
  body: z.object({
    final_annotation: z.boolean().default(true),
    label_format: z
      .object({
        label_type: z.enum(['0', '1']).optional(),
        text_label_separator: separator.optional(),
        text_sample_separator: separator.optional(),
      })
      .optional(),
    samples: z.array(z.unknown()).max(MAX_BATCH, `at most ${MAX_BATCH} samples per request`).default([]),
  }),
});
