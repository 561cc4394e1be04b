import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'addSamples',
  config: {
    handler: 'functions/datasets/add-samples/handler.main',
    description: 'Adds samples in batches (ModelArts, seed 001)',
    events: [{ httpApi: { method: 'POST', path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples' } }],
    memorySize: 1024,
    timeout: 29,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'] },
} satisfies IrisFunction;
