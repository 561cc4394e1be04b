import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesDelete',
  config: {
    handler: 'functions/faces/delete-faces/handler.main',
    description: 'FRS delete faces by face_id / external_image_id / field',
    events: [{ httpApi: { method: 'DELETE', path: '/v2/{project_id}/face-sets/{face_set_name}/faces' } }],
    memorySize: 512,
    timeout: 30,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
