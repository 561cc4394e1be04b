import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'ingestObject',
  config: {
    handler: 'functions/ingest/on-object/handler.main',
    description: 'Imports objects put under ingest/{project_id}/{importer}/ (bulk import, hard examples)',
    events: [{ s3: { bucket: 'objects', event: 's3:ObjectCreated:*', rules: [{ prefix: 'ingest/' }] } }],
    memorySize: 2048,
    timeout: 300,
  },
  access: {
    objects: [
      { prefix: 'ingest/', actions: ['read'] },
      { prefix: 'data/', actions: ['read', 'write', 'delete'] },
    ],
    table: ['read', 'write'],
    vectors: ['read', 'write'],
    nativeLayer: true,
  },
} satisfies IrisFunction;
