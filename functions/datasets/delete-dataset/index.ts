import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'deleteDataset',
  config: {
    handler: 'functions/datasets/delete-dataset/handler.main',
    description: 'Deletes a dataset with its samples, objects and vectors (ModelArts)',
    events: [{ httpApi: { method: 'DELETE', path: '/v2/{project_id}/datasets/{dataset_id}' } }],
    memorySize: 1024,
    timeout: 29,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete', 'list'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
