import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { jobView, stopJob } from '../../../lib/classify/jobs';
import { jobPath, jobView as jobSchema } from '../../../lib/classify/params';

const schema = z.object({ path: jobPath });

/** POST /v2/{project_id}/training-jobs/{job_id}/stop → the job (Stopped when it was pending; a running one stops at its next check). */
export default defineOperation({
  name: 'stopTrainingJob',
  description: 'Stops a training job (ModelArts dialect)',
  method: 'POST',
  path: '/v2/{project_id}/training-jobs/{job_id}/stop',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: jobSchema,
  run: async ({ input, projectId, stores }) => jobView(await stopJob(stores, projectId, input.path.job_id)),
  access: { table: ['read', 'write'] },
  memory: 256,
  timeout: 10,
});
