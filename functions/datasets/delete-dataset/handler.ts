import { deleteDataset } from '../../../lib/datasets/datasets';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** DELETE /v2/{project_id}/datasets/{dataset_id} → 204; samples' items, objects and vectors go too. */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    await deleteDataset(stores, projectId, input.path.dataset_id);
    return { statusCode: 204, body: undefined };
  },
});
