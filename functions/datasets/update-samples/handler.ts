import { getDataset } from '../../../lib/datasets/datasets';
import { updateSamples } from '../../../lib/datasets/samples';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** PUT …/data-annotations/samples → { success, results: [{ success, sample_id, error_code, error_msg }] } */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    return updateSamples(stores, ds, input.body.samples);
  },
});
