import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'searchDeleteLibrary',
  config: {
    handler: 'functions/search/delete-library/handler.main',
    description: 'Image search admin: delete a library and its images',
    events: [{ httpApi: { method: 'DELETE', path: '/v1/{project_id}/image-libraries/{kind}' } }],
    memorySize: 1024,
    // The API answers within API Gateway's 30 s; a big purge keeps running to completion (its
    // library item is gone first, so an interrupted purge only leaves unreachable data).
    timeout: 900,
  },
  access: { objects: [{ prefix: 'data/', actions: ['list', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
