import { defineOperation } from '../../../lib/http/operation';
import { listIngestRecords } from '../../../lib/ingest/records';
import { z } from 'zod';

export const INGEST_STATUSES = ['processing', 'done', 'failed', 'retry'] as const;

const schema = z.object({
  path: z.object({ project_id: z.string().min(1).max(64) }),
  query: z.object({
    status: z.enum(INGEST_STATUSES).default('failed'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    marker: z.string().max(2048).optional(),
  }),
});

/** GET /v1/{project_id}/ingest/records?status=failed — what the S3 ingest trigger did, newest first. */
export default defineOperation({
  name: 'listIngestRecords',
  description: 'Lists what the S3 ingest trigger did with uploaded objects (failures by default)',
  method: 'GET',
  path: '/v1/{project_id}/ingest/records',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => listIngestRecords(stores.metadata, projectId, input.query),
  access: { table: ['read'] },
  memory: 256,
});
