import { updateDataset } from '../../../lib/datasets/datasets';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** PUT /v2/{project_id}/datasets/{dataset_id} → { dataset_id } */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const ds = await updateDataset(stores.metadata, projectId, input.path.dataset_id, input.body);
    return { dataset_id: ds.datasetId };
  },
});
