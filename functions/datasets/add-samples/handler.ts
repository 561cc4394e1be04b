import { getDataset } from '../../../lib/datasets/datasets';
import { addSamples } from '../../../lib/datasets/samples';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** POST …/data-annotations/samples → { success, results: [{ success, name, info | error_code, error_msg }] } */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return addSamples(stores, ds, input.body);
  },
});
