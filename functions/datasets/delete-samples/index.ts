import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'deleteSamples',
  config: {
    handler: 'functions/datasets/delete-samples/handler.main',
    description: 'Deletes samples in batches (ModelArts)',
    events: [{ httpApi: { method: 'POST', path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples/delete' } }],
    memorySize: 512,
    timeout: 29,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'] },
} satisfies IrisFunction;
