import { getDataset } from '../../../lib/datasets/datasets';
import { deleteSamples } from '../../../lib/datasets/samples';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** POST …/samples/delete → { success, results: [{ success, sample_id, error_code, error_msg }] } */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return deleteSamples(stores, ds, input.body.samples, input.body.delete_source);
  },
});
