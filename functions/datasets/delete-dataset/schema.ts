import { z } from 'zod';
import { datasetPath } from '../../../lib/datasets/params';

/** DELETE /v2/{project_id}/datasets/{dataset_id} */
export const schema = z.object({ path: datasetPath });
