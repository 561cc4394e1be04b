import { createDataset } from '../../../lib/datasets/datasets';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** POST /v2/{project_id}/datasets → { dataset_id } */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const ds = await createDataset(stores.metadata, projectId, input.body);
    return { dataset_id: ds.datasetId };
  },
});
