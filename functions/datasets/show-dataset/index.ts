import { defineOperation } from '../../../lib/http/operation';
import { datasetCounters, datasetView, getDataset } from '../../../lib/datasets/datasets';
import { z } from 'zod';
import { datasetPath } from '../../../lib/datasets/params';

/** GET /v2/{project_id}/datasets/{dataset_id} */
const schema = z.object({ path: datasetPath });

/** GET /v2/{project_id}/datasets/{dataset_id} → the dataset with its sample counts. */
export default defineOperation({
  name: 'showDataset',
  description: 'Shows a dataset with its sample counts (ModelArts)',
  method: 'GET',
  path: '/v2/{project_id}/datasets/{dataset_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return datasetView(ds, await datasetCounters(stores.metadata, ds.datasetId));
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
