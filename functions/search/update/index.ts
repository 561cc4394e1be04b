import type { IrisFunction } from '../../../lib/deploy/types';
import { operationPaths } from '../../../lib/search/contract';

export default {
  name: 'searchUpdate',
  config: {
    handler: 'functions/search/update/handler.main',
    description: 'Image search: update the brief / tags of an image (all kinds)',
    events: operationPaths('update').map((path) => ({ httpApi: { method: 'POST', path } })),
    memorySize: 1024,
    timeout: 29,
  },
  access: {
    table: ['read', 'write'],
    vectors: ['read', 'write'],
    nativeLayer: true,
  },
} satisfies IrisFunction;
