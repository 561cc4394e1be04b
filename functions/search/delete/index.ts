import type { IrisFunction } from '../../../lib/deploy/types';
import { operationPaths } from '../../../lib/search/contract';

export default {
  name: 'searchDelete',
  config: {
    handler: 'functions/search/delete/handler.main',
    description: 'Image search: delete images from a library (all kinds)',
    events: operationPaths('delete').map((path) => ({ httpApi: { method: 'POST', path } })),
    memorySize: 1024,
    timeout: 29,
  },
  access: {
    objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }],
    table: ['read', 'write'],
    vectors: ['read', 'write'],
    nativeLayer: true,
  },
} satisfies IrisFunction;
