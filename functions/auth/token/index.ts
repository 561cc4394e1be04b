import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'authToken',
  config: {
    handler: 'functions/auth/token/handler.main',
    description: 'Baidu-style OAuth client-credentials token endpoint',
    events: [
      { httpApi: { method: 'POST', path: '/oauth/2.0/token' } },
      { httpApi: { method: 'GET', path: '/oauth/2.0/token' } },
    ],
    memorySize: 256,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
