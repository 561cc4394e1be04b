import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'updateSamples',
  config: {
    handler: 'functions/datasets/update-samples/handler.main',
    description: 'Updates sample labels and metadata in batches (ModelArts)',
    events: [{ httpApi: { method: 'PUT', path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples' } }],
    memorySize: 512,
    timeout: 29,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
