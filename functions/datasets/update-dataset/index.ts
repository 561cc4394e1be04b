import { defineOperation } from '../../../lib/http/operation';
import { updateDataset } from '../../../lib/datasets/datasets';
import { z } from 'zod';
import { DESCRIPTION_MAX } from '../../../lib/datasets/contract';
import { datasetLabel, datasetPath } from '../../../lib/datasets/params';

/** PUT /v2/{project_id}/datasets/{dataset_id} */
const schema = z.object({
  path: datasetPath,
  body: z.object({
    dataset_name: z.string().min(1).max(100).optional(),
    description: z.string().max(DESCRIPTION_MAX).optional(),
    labels: z.array(datasetLabel).max(10000).optional(),
    add_labels: z.array(datasetLabel).max(10000).optional(),
    delete_labels: z.array(z.object({ name: z.string().min(1) })).max(10000).optional(),
  }),
});

/** PUT /v2/{project_id}/datasets/{dataset_id} → { dataset_id } */
export default defineOperation({
  name: 'updateDataset',
  description: 'Updates a dataset\'s name, description and labels (ModelArts)',
  method: 'PUT',
  path: '/v2/{project_id}/datasets/{dataset_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const ds = await updateDataset(stores.metadata, projectId, input.path.dataset_id, input.body);
    return { dataset_id: ds.datasetId };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
