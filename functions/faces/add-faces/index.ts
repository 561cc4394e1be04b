import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesAdd',
  config: {
    handler: 'functions/faces/add-faces/handler.main',
    description: 'FRS add faces',
    events: [{ httpApi: { method: 'POST', path: '/v2/{project_id}/face-sets/{face_set_name}/faces' } }],
    memorySize: 2048,
    timeout: 30,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }, { prefix: 'ingest/', actions: ['read'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
