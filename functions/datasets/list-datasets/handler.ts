import { datasetCounters, datasetView, listDatasets } from '../../../lib/datasets/datasets';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** GET /v2/{project_id}/datasets → { total_number, datasets } */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const q = input.query;
    const { total, datasets } = await listDatasets(stores.metadata, projectId, { offset: q.offset, limit: q.limit, searchContent: q.search_content, datasetType: q.dataset_type });
    const views = await Promise.all(datasets.map(async (d) => datasetView(d, await datasetCounters(stores.metadata, d.datasetId))));
    return { total_number: total, datasets: views };
  },
});
