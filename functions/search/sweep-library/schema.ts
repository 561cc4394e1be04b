import { z } from 'zod';
import { LIBRARY_KINDS } from '../../../lib/search/contract';

/** POST /v1/{project_id}/image-libraries/{kind}/sweep */
export const schema = z.object({
  path: z.object({
    project_id: z.string(),
    kind: z.enum(LIBRARY_KINDS as [string, ...string[]], { message: `kind must be one of ${LIBRARY_KINDS.join(', ')}` }),
  }),
});
