import { defineOperation } from '../../../lib/http/operation';
import { getDataset } from '../../../lib/datasets/datasets';
import { listSamples, sampleView } from '../../../lib/datasets/samples';
import { z } from 'zod';
import { LABEL_TYPES, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, SAMPLE_STATES, SAMPLE_TYPES } from '../../../lib/datasets/contract';
import { datasetPath, queryBool } from '../../../lib/datasets/params';

const score = z.coerce.number().min(0).max(1);

/** GET …/data-annotations/samples (ModelArts API reference, "Querying the Sample List"); `only_hard` is Iris's addition. */
const schema = z.object({
  path: datasetPath,
  query: z
    .object({
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).default(LIST_LIMIT_DEFAULT),
      order: z.enum(['asc', 'desc']).default('desc'),
      label_name: z.string().min(1).max(1024).optional(),
      label_type: z.coerce.number().int().refine((t) => (LABEL_TYPES as readonly number[]).includes(t), 'unknown label_type').optional(),
      sample_state: z.enum(SAMPLE_STATES).optional(),
      sample_type: z.coerce.number().int().refine((t) => (SAMPLE_TYPES as readonly number[]).includes(t), 'unknown sample_type').optional(),
      low_score: score.default(0),
      high_score: score.default(1),
      only_hard: queryBool.default(false),
    })
    .refine((q) => q.low_score <= q.high_score, { message: 'low_score must be ≤ high_score', path: ['low_score'] }),
});

/** GET …/data-annotations/samples → { sample_count, samples } */
export default defineOperation({
  name: 'listSamples',
  description: 'Lists a dataset\'s samples with filters and paging (ModelArts)',
  method: 'GET',
  path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
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
  access: { table: ['read'] },
  memory: 512,
  timeout: 29,
});
