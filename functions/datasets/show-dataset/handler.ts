import { datasetCounters, datasetView, getDataset } from '../../../lib/datasets/datasets';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** GET /v2/{project_id}/datasets/{dataset_id} → the dataset with its sample counts. */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return datasetView(ds, await datasetCounters(stores.metadata, ds.datasetId));
  },
});
