import { defineOperation } from '../../../lib/http/operation';
import { getDataset } from '../../../lib/datasets/datasets';
import { updateSamples } from '../../../lib/datasets/samples';
import { z } from 'zod';
import { MAX_BATCH, SAMPLE_USAGES } from '../../../lib/datasets/contract';
import { datasetPath } from '../../../lib/datasets/params';

/** PUT …/data-annotations/samples (ModelArts API reference, "Updating Sample Labels in Batches"); labels and metadata are checked per sample. */
const schema = z.object({
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

/** PUT …/data-annotations/samples → { success, results: [{ success, sample_id, error_code, error_msg }] } */
export default defineOperation({
  name: 'updateSamples',
  description: 'Updates sample labels and metadata in batches (ModelArts)',
  method: 'PUT',
  path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return updateSamples(stores, ds, input.body.samples);
  },
  access: { table: ['read', 'write'] },
  memory: 512,
  timeout: 29,
});
