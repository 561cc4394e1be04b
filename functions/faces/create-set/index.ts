import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'facesCreateSet',
  config: {
    handler: 'functions/faces/create-set/handler.main',
    description: 'FRS create face set',
    events: [{ httpApi: { method: 'POST', path: '/v2/{project_id}/face-sets' } }],
    memorySize: 512,
    timeout: 10,
  },
  access: { table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
