import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'showDataset',
  config: {
    handler: 'functions/datasets/show-dataset/handler.main',
    description: 'Shows a dataset with its sample counts (ModelArts)',
    events: [{ httpApi: { method: 'GET', path: '/v2/{project_id}/datasets/{dataset_id}' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
