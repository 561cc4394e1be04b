import type { IrisFunction } from '../../../lib/deploy/types';
import { operationPaths } from '../../../lib/search/contract';

export default {
  name: 'searchAdd',
  config: {
    handler: 'functions/search/add/handler.main',
    description: 'Image search: add an image to a library (all kinds)',
    events: operationPaths('add').map((path) => ({ httpApi: { method: 'POST', path } })),
    memorySize: 2048,
    timeout: 29,
  },
  access: {
    objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }],
    table: ['read', 'write'],
    vectors: ['read', 'write'],
    nativeLayer: true,
  },
} satisfies IrisFunction;
