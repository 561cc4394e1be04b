import { getDataset } from '../../../lib/datasets/datasets';
import { listSamples, sampleView } from '../../../lib/datasets/samples';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** GET …/data-annotations/samples → { sample_count, samples } */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const q = input.query;
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    const { sample_count, samples } = await listSamples(stores.metadata, ds, {
      offset: q.offset,
      limit: q.limit,
      order: q.order,
      labelName: q.label_name,
      labelType: q.label_type,
      sampleState: q.sample_state,
      sampleType: q.sample_type,
      lowScore: q.low_score,
      highScore: q.high_score,
      hardOnly: q.only_hard,
    });
    return { sample_count, samples: samples.map((s) => sampleView(s)) };
  },
});
