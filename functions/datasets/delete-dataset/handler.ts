import { deleteDataset } from '../../../lib/datasets/datasets';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/**
 * DELETE /v2/{project_id}/datasets/{dataset_id} → 204; samples' items, objects and vectors go too.
 * The dataset is gone at once; if removing its samples takes longer than the request may, the
 * answer is still 204 with `x-iris-purge: pending`, and the same DELETE resumes the purge.
 */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const done = await deleteDataset(stores, projectId, input.path.dataset_id);
    return { statusCode: 204, body: undefined, headers: { 'x-iris-purge': done ? 'done' : 'pending' } };
  },
});
