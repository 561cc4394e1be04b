import { z } from 'zod';

/** GET /v1/{project_id}/image-libraries */
export const schema = z.object({ path: z.object({ project_id: z.string() }) });
