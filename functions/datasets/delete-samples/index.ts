import { defineOperation } from '../../../lib/http/operation';
import { getDataset } from '../../../lib/datasets/datasets';
import { deleteSamples } from '../../../lib/datasets/samples';
import { z } from 'zod';
import { MAX_BATCH } from '../../../lib/datasets/contract';
import { datasetPath } from '../../../lib/datasets/params';

/** POST …/data-annotations/samples/delete (ModelArts API reference, "Deleting Samples in Batches"). */
const schema = z.object({
  path: datasetPath,
  body: z.object({
    samples: z.array(z.string().min(1).max(64)).min(1).max(MAX_BATCH),
    delete_source: z.boolean().default(false),
  }),
});

/** POST …/samples/delete → { success, results: [{ success, sample_id, error_code, error_msg }] } */
export default defineOperation({
  name: 'deleteSamples',
  description: 'Deletes samples in batches (ModelArts)',
  method: 'POST',
  path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples/delete',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return deleteSamples(stores, ds, input.body.samples, input.body.delete_source);
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'] },
  memory: 512,
  timeout: 29,
});
