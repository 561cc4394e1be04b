import { z } from 'zod';
import { LIBRARY_KINDS, MAX_CAPACITY } from '../../../lib/search/contract';

const kind = z.enum(LIBRARY_KINDS as [string, ...string[]], { message: `kind must be one of ${LIBRARY_KINDS.join(', ')}` });

/** PUT /v1/{project_id}/image-libraries/{kind} */
export const schema = z.object({
  path: z.object({ project_id: z.string(), kind }),
  body: z.object({ capacity: z.number().int().min(1).max(MAX_CAPACITY) }),
});
