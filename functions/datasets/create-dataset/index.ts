import { defineOperation } from '../../../lib/http/operation';
import { createDataset } from '../../../lib/datasets/datasets';
import { z } from 'zod';
import { DESCRIPTION_MAX } from '../../../lib/datasets/contract';
import { datasetLabel, datasetType, projectPath } from '../../../lib/datasets/params';

/** POST /v2/{project_id}/datasets (ModelArts API reference, "Creating a Dataset"). */
const schema = z.object({
  path: projectPath,
  body: z.object({
    dataset_name: z.string().min(1).max(100),
    dataset_type: datasetType.default(0),
    data_sources: z.array(z.object({ data_type: z.number().int().default(0), data_path: z.string().min(1).max(1024) })).min(1).max(1),
    work_path: z.string().min(1).max(1024),
    work_path_type: z.literal(0).optional(),
    labels: z.array(datasetLabel).max(10000).optional(),
    description: z.string().max(DESCRIPTION_MAX).optional(),
  }),
});

/** POST /v2/{project_id}/datasets → { dataset_id } */
export default defineOperation({
  name: 'createDataset',
  description: 'Creates a dataset (ModelArts)',
  method: 'POST',
  path: '/v2/{project_id}/datasets',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: z.object({ dataset_id: z.string() }),
  run: async ({ input, projectId, stores }) => {
    const ds = await createDataset(stores.metadata, projectId, input.body);
    return { dataset_id: ds.datasetId };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
