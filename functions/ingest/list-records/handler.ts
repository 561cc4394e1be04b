import { httpApi } from '../../../lib/http/handler';
import { listIngestRecords } from '../../../lib/ingest/records';
import { schema } from './schema';

/** GET /v1/{project_id}/ingest/records?status=failed — what the S3 ingest trigger did, newest first. */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => listIngestRecords(stores.metadata, projectId, input.query),
});
