import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { projectPath } from '../../../lib/datasets/params';
import { createJob } from '../../../lib/classify/jobs';
import { createJobBody } from '../../../lib/classify/params';
import { PREFIX } from '../../../lib/deploy/types';

const schema = z.object({ path: projectPath, body: createJobBody });

/** POST /v2/{project_id}/training-jobs → 201 { job_id, job_name, status }; the run starts in another invocation. */
export default defineOperation({
  name: 'createTrainingJob',
  description: 'Creates an image classification training job on a dataset (ModelArts dialect); training runs asynchronously',
  method: 'POST',
  path: '/v2/{project_id}/training-jobs',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  status: 201,
  response: z.object({ job_id: z.string(), job_name: z.string(), status: z.string(), create_time: z.number() }),
  run: async ({ input, projectId, stores }) => {
    const job = await createJob(stores, projectId, input.body);
    return { statusCode: 201, body: { job_id: job.jobId, job_name: job.jobName, status: job.status, create_time: job.createTime } };
  },
  access: { table: ['read', 'write'], objects: [{ prefix: PREFIX.jobs, actions: ['write'] }] },
  memory: 512,
  timeout: 29,
});
