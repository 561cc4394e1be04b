import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesShowSet',
  config: {
    handler: 'functions/faces/show-set/handler.main',
    description: 'FRS show face set',
    events: [{ httpApi: { method: 'GET', path: '/v2/{project_id}/face-sets/{face_set_name}' } }],
    memorySize: 256,
    timeout: 10,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
