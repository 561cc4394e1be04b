import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesSearch',
  config: {
    handler: 'functions/faces/search/handler.main',
    description: 'FRS search faces',
    events: [{ httpApi: { method: 'POST', path: '/v2/{project_id}/face-sets/{face_set_name}/search' } }],
    memorySize: 2048,
    timeout: 30,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read'] }, { prefix: 'ingest/', actions: ['read'] }], table: ['read'], vectors: ['read'], nativeLayer: true },
} satisfies IrisFunction;
