import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'listIngestRecords',
  config: {
    handler: 'functions/ingest/list-records/handler.main',
    description: 'Lists what the S3 ingest trigger did with uploaded objects (failures by default)',
    events: [{ httpApi: { method: 'GET', path: '/v1/{project_id}/ingest/records' } }],
    memorySize: 256,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
