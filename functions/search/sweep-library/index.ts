import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'searchSweepLibrary',
  config: {
    handler: 'functions/search/sweep-library/handler.main',
    description: 'Image search admin: remove leftovers of interrupted adds from a library',
    events: [{ httpApi: { method: 'POST', path: '/v1/{project_id}/image-libraries/{kind}/sweep' } }],
    memorySize: 1024,
    timeout: 29,
  },
  access: { objects: [{ prefix: 'data/', actions: ['list', 'delete'] }], table: ['read'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
