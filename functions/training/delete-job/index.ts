import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { deleteJob } from '../../../lib/classify/jobs';
import { jobPath } from '../../../lib/classify/params';

const schema = z.object({ path: jobPath });

/** DELETE /v2/{project_id}/training-jobs/{job_id} → 204; a run still going stores nothing. Its model, if any, stays. */
export default defineOperation({
  name: 'deleteTrainingJob',
  description: 'Deletes a training job (its model stays) (ModelArts dialect)',
  method: 'DELETE',
  path: '/v2/{project_id}/training-jobs/{job_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  status: 204,
  run: async ({ input, projectId, stores }) => {
    await deleteJob(stores, projectId, input.path.job_id);
    return { statusCode: 204, body: undefined };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
