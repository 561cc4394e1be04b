import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { getJob, jobView } from '../../../lib/classify/jobs';
import { jobPath, jobView as jobSchema } from '../../../lib/classify/params';

const schema = z.object({ path: jobPath });

/** GET /v2/{project_id}/training-jobs/{job_id} → the job: status, progress, model_id, metrics, error_code / error_msg. */
export default defineOperation({
  name: 'showTrainingJob',
  description: 'Shows a training job: status, progress, metrics and its model (ModelArts dialect)',
  method: 'GET',
  path: '/v2/{project_id}/training-jobs/{job_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: jobSchema,
  run: async ({ input, projectId, stores }) => jobView(await getJob(stores, projectId, input.path.job_id)),
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
