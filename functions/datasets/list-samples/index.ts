import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'listSamples',
  config: {
    handler: 'functions/datasets/list-samples/handler.main',
    description: "Lists a dataset's samples with filters and paging (ModelArts)",
    events: [{ httpApi: { method: 'GET', path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples' } }],
    memorySize: 512,
    timeout: 29,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
