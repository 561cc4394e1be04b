import { z } from 'zod';
import { DESCRIPTION_MAX } from '../../../lib/datasets/contract';
import { datasetLabel, datasetPath } from '../../../lib/datasets/params';

/** PUT /v2/{project_id}/datasets/{dataset_id} */
export const schema = z.object({
  path: datasetPath,
  body: z.object({
    dataset_name: z.string().min(1).max(100).optional(),
    description: z.string().max(DESCRIPTION_MAX).optional(),
    labels: z.array(datasetLabel).max(10000).optional(),
    add_labels: z.array(datasetLabel).max(10000).optional(),
    delete_labels: z.array(z.object({ name: z.string().min(1) })).max(10000).optional(),
  }),
});
