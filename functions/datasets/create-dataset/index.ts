import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'createDataset',
  config: {
    handler: 'functions/datasets/create-dataset/handler.main',
    description: 'Creates a dataset (ModelArts)',
    events: [{ httpApi: { method: 'POST', path: '/v2/{project_id}/datasets' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
