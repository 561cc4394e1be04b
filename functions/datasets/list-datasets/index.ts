import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'listDatasets',
  config: {
    handler: 'functions/datasets/list-datasets/handler.main',
    description: "Lists the project's datasets (ModelArts)",
    events: [{ httpApi: { method: 'GET', path: '/v2/{project_id}/datasets' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
