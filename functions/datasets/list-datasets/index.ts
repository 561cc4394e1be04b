import { defineOperation } from '../../../lib/http/operation';
import { datasetCounters, datasetView, listDatasets } from '../../../lib/datasets/datasets';
import { z } from 'zod';
import { projectPath } from '../../../lib/datasets/params';

/** GET /v2/{project_id}/datasets?offset=&limit=&search_content=&dataset_type= */
const schema = z.object({
  path: projectPath,
  query: z.object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
    search_content: z.string().max(100).optional(),
    dataset_type: z.coerce.number().int().optional(),
  }),
});

/** GET /v2/{project_id}/datasets → { total_number, datasets } */
export default defineOperation({
  name: 'listDatasets',
  description: 'Lists the project\'s datasets (ModelArts)',
  method: 'GET',
  path: '/v2/{project_id}/datasets',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const q = input.query;
    const { total, datasets } = await listDatasets(stores.metadata, projectId, { offset: q.offset, limit: q.limit, searchContent: q.search_content, datasetType: q.dataset_type });
    const views = await Promise.all(datasets.map(async (d) => datasetView(d, await datasetCounters(stores.metadata, d.datasetId))));
    return { total_number: total, datasets: views };
  },
  access: { table: ['read'] },
  memory: 256,
  timeout: 10,
});
