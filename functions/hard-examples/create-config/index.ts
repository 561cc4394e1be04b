import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'createHardSampleConfig',
  config: {
    handler: 'functions/hard-examples/create-config/handler.main',
    description: 'Creates a hard-sample configuration for a device or skill (HiLens)',
    events: [{ httpApi: { method: 'POST', path: '/v1/{project_id}/hard-sample-configs' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
