import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesBatchDelete',
  config: {
    handler: 'functions/faces/batch-delete/handler.main',
    description: 'FRS batch delete faces by filter',
    events: [{ httpApi: { method: 'DELETE', path: '/v2/{project_id}/face-sets/{face_set_name}/faces/batch' } }],
    memorySize: 512,
    timeout: 30,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
