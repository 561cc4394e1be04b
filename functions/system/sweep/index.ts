import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'sweep',
  config: {
    handler: 'functions/system/sweep/handler.main',
    description: 'Upkeep: remove rows and objects that no committed item names, in every family of every project',
    events: [{ schedule: 'rate(1 hour)' }],
    memorySize: 1024,
    timeout: 900,
  },
  access: { objects: [{ prefix: 'data/', actions: ['list', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
