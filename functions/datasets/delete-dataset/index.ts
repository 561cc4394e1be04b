import { defineOperation } from '../../../lib/http/operation';
import { deleteDataset } from '../../../lib/datasets/datasets';
import { z } from 'zod';
import { datasetPath } from '../../../lib/datasets/params';

/** DELETE /v2/{project_id}/datasets/{dataset_id} */
const schema = z.object({ path: datasetPath });

/**
 * DELETE /v2/{project_id}/datasets/{dataset_id} → 204; samples' items, objects and vectors go too.
 * The dataset is gone at once; if removing its samples takes longer than the request may, the
 * answer is still 204 with `x-iris-purge: pending`, and the same DELETE resumes the purge.
 */
export default defineOperation({
  name: 'deleteDataset',
  description: 'Deletes a dataset with its samples, objects and vectors (ModelArts)',
  method: 'DELETE',
  path: '/v2/{project_id}/datasets/{dataset_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  status: 204,
  run: async ({ input, projectId, stores }) => {
    const done = await deleteDataset(stores, projectId, input.path.dataset_id);
    return { statusCode: 204, body: undefined, headers: { 'x-iris-purge': done ? 'done' : 'pending' } };
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete', 'list'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 1024,
  timeout: 29,
});
