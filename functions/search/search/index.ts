import type { IrisFunction } from '../../../lib/deploy/types';
import { operationPaths } from '../../../lib/search/contract';

export default {
  name: 'searchSearch',
  config: {
    handler: 'functions/search/search/handler.main',
    description: 'Image search: search a library (all kinds)',
    events: operationPaths('search').map((path) => ({ httpApi: { method: 'POST', path } })),
    memorySize: 2048,
    timeout: 29,
  },
  access: {
    objects: [{ prefix: 'data/', actions: ['read'] }],
    table: ['read'],
    vectors: ['read'],
    nativeLayer: true,
  },
} satisfies IrisFunction;
