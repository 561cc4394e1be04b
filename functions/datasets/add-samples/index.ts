import { defineOperation } from '../../../lib/http/operation';
import { getDataset } from '../../../lib/datasets/datasets';
import { addSamples } from '../../../lib/datasets/samples';
import { z } from 'zod';
import { MAX_BATCH } from '../../../lib/datasets/contract';
import { datasetPath } from '../../../lib/datasets/params';

/**
 * POST …/datasets/{dataset_id}/data-annotations/samples (ModelArts API reference, "Adding Samples in Batches"). Each sample is
 * validated on its own in lib/datasets/sample-input.ts so that a bad one gets its own result.
 */
const separator = z
  .string()
  .length(1, 'a separator is one character')
  .regex(/^[A-Za-z0-9!@#$%^&*_=|?/':.;,\t]$/, 'a separator is a letter, a digit or one of !@#$%^&*_=|?/\':.;,');

const schema = z.object({
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

/** POST …/data-annotations/samples → { success, results: [{ success, name, info | error_code, error_msg }] } */
export default defineOperation({
  name: 'addSamples',
  description: 'Adds samples in batches (ModelArts)',
  method: 'POST',
  path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores, deadline }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return addSamples(stores, ds, input.body, new Date(), { deadline });
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'] },
  memory: 1024,
  timeout: 29,
});
