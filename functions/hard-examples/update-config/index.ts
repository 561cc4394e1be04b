import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'updateHardSampleConfig',
  config: {
    handler: 'functions/hard-examples/update-config/handler.main',
    description: 'Changes a hard-sample configuration (quota, cameras, threshold, model) (HiLens)',
    events: [{ httpApi: { method: 'PUT', path: '/v1/{project_id}/hard-sample-configs/{config_id}' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
