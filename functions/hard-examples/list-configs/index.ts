import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'listHardSampleConfigs',
  config: {
    handler: 'functions/hard-examples/list-configs/handler.main',
    description: 'get_hard_sample_config: the hard-sample settings of a device or skill (HiLens)',
    events: [{ httpApi: { method: 'GET', path: '/v1/{project_id}/hard-sample-configs' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
