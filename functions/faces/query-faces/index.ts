import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesQuery',
  config: {
    handler: 'functions/faces/query-faces/handler.main',
    description: 'FRS query faces',
    events: [{ httpApi: { method: 'GET', path: '/v2/{project_id}/face-sets/{face_set_name}/faces' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
