import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'showSample',
  config: {
    handler: 'functions/datasets/show-sample/handler.main',
    description: 'Shows a sample with a presigned URL and an optional thumbnail (ModelArts)',
    events: [{ httpApi: { method: 'GET', path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples/{sample_id}' } }],
    memorySize: 1024,
    timeout: 29,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write'] }], table: ['read'], nativeLayer: true },
} satisfies IrisFunction;
