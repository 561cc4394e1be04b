import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { projectPath } from '../../../lib/datasets/params';
import { jobView, listJobs } from '../../../lib/classify/jobs';
import { jobView as jobSchema, paging } from '../../../lib/classify/params';

const schema = z.object({ path: projectPath, query: paging });

/** GET /v2/{project_id}/training-jobs?offset=&limit= → { total, count, jobs } (newest first; offset is a page index). */
export default defineOperation({
  name: 'listTrainingJobs',
  description: 'Lists training jobs, newest first (ModelArts dialect)',
  method: 'GET',
  path: '/v2/{project_id}/training-jobs',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  response: z.object({ total: z.number(), count: z.number(), jobs: z.array(jobSchema) }),
  run: async ({ input, projectId, stores }) => {
    const { total, jobs } = await listJobs(stores, projectId, input.query.offset, input.query.limit);
    return { total, count: jobs.length, jobs: jobs.map(jobView) };
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
