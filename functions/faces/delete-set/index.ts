import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesDeleteSet',
  config: {
    handler: 'functions/faces/delete-set/handler.main',
    description: 'FRS delete face set (faces, vectors, images)',
    events: [{ httpApi: { method: 'DELETE', path: '/v2/{project_id}/face-sets/{face_set_name}' } }],
    memorySize: 512,
    timeout: 30,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'delete', 'list'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
