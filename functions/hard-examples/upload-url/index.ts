import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'hardExampleUploadUrl',
  config: {
    handler: 'functions/hard-examples/upload-url/handler.main',
    description: 'Presigned PUT URL for uploading a hard example straight into S3 (HiLens)',
    events: [{ httpApi: { method: 'POST', path: '/v1/{project_id}/hard-sample-configs/{config_id}/upload-url' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { objects: [{ prefix: 'ingest/', actions: ['write'] }], table: ['read'] },
} satisfies IrisFunction;
