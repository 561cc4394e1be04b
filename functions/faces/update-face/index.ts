import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesUpdate',
  config: {
    handler: 'functions/faces/update-face/handler.main',
    description: 'FRS update face (seed 004)',
    events: [{ httpApi: { method: 'PUT', path: '/v2/{project_id}/face-sets/{face_set_name}/faces' } }],
    memorySize: 512,
    timeout: 10,
  },
  access: { table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
