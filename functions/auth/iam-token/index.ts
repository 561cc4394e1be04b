import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'iamToken',
  config: {
    handler: 'functions/auth/iam-token/handler.main',
    description: 'Huawei IAM-style token endpoint (X-Subject-Token)',
    events: [{ httpApi: { method: 'POST', path: '/v3/auth/tokens' } }],
    memorySize: 256,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
