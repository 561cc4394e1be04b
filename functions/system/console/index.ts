import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'console',
  config: {
    handler: 'functions/system/console/handler.main',
    description: 'Serves the web console (a static page using the public API)',
    events: [
      { httpApi: { method: 'GET', path: '/console' } },
      { httpApi: { method: 'GET', path: '/' } },
    ],
    memorySize: 128,
  },
  access: {},
} satisfies IrisFunction;
