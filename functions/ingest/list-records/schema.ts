import { z } from 'zod';

export const INGEST_STATUSES = ['processing', 'done', 'failed', 'retry'] as const;

export const schema = z.object({
  path: z.object({ project_id: z.string().min(1).max(64) }),
  query: z.object({
    status: z.enum(INGEST_STATUSES).default('failed'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    marker: z.string().max(2048).optional(),
  }),
});
