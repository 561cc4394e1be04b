import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'updateDataset',
  config: {
    handler: 'functions/datasets/update-dataset/handler.main',
    description: "Updates a dataset's name, description and labels (ModelArts)",
    events: [{ httpApi: { method: 'PUT', path: '/v2/{project_id}/datasets/{dataset_id}' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
