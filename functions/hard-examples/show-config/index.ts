import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'showHardSampleConfig',
  config: {
    handler: 'functions/hard-examples/show-config/handler.main',
    description: 'Shows a hard-sample configuration (HiLens)',
    events: [{ httpApi: { method: 'GET', path: '/v1/{project_id}/hard-sample-configs/{config_id}' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
