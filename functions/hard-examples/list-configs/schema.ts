import { z } from 'zod';

/** GET /v1/{project_id}/hard-sample-configs?device_id=&skill_id= */
export const schema = z.object({
  path: z.object({ project_id: z.string().min(1).max(64) }),
  query: z.object({ device_id: z.string().min(1).max(128).optional(), skill_id: z.string().min(1).max(128).optional() }),
});
