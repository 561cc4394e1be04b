import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'deleteHardSampleConfig',
  config: {
    handler: 'functions/hard-examples/delete-config/handler.main',
    description: 'Deletes a hard-sample configuration (HiLens)',
    events: [{ httpApi: { method: 'DELETE', path: '/v1/{project_id}/hard-sample-configs/{config_id}' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
