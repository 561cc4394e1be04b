import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesListSets',
  config: {
    handler: 'functions/faces/list-sets/handler.main',
    description: 'FRS list face sets',
    events: [{ httpApi: { method: 'GET', path: '/v2/{project_id}/face-sets' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
