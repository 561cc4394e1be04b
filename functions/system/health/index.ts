import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'health',
  config: {
    handler: 'functions/system/health/handler.main',
    description: 'Reports the state of S3, DynamoDB and the vector tables',
    events: [{ httpApi: { method: 'GET', path: '/health' } }],
    memorySize: 512,
  },
  access: { objects: [{ prefix: 'vectors/', actions: ['list'] }], table: ['describe'], vectors: ['read'], nativeLayer: true },
} satisfies IrisFunction;
