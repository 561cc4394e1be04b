import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { deleteModel } from '../../../lib/classify/models';
import { modelPath } from '../../../lib/classify/params';
import { PREFIX } from '../../../lib/deploy/types';

const schema = z.object({ path: modelPath });

/** DELETE /v1/{project_id}/models/{model_id} → 204; refused (ModelArts.3502) while a service uses the model. */
export default defineOperation({
  name: 'deleteModel',
  description: 'Deletes a model that no service uses (ModelArts dialect)',
  method: 'DELETE',
  path: '/v1/{project_id}/models/{model_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  status: 204,
  run: async ({ input, projectId, stores }) => {
    await deleteModel(stores, projectId, input.path.model_id);
    return { statusCode: 204, body: undefined };
  },
  access: { table: ['read', 'write'], objects: [{ prefix: PREFIX.data, actions: ['delete'] }] },
  memory: 256,
  timeout: 10,
});
