import { z } from 'zod';
import { projectPath } from '../../../lib/datasets/params';

/** GET /v2/{project_id}/datasets?offset=&limit=&search_content=&dataset_type= */
export const schema = z.object({
  path: projectPath,
  query: z.object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
    search_content: z.string().max(100).optional(),
    dataset_type: z.coerce.number().int().optional(),
  }),
});
