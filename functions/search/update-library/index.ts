import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'searchUpdateLibrary',
  config: {
    handler: 'functions/search/update-library/handler.main',
    description: 'Image search admin: change the capacity of a library',
    events: [{ httpApi: { method: 'PUT', path: '/v1/{project_id}/image-libraries/{kind}' } }],
    memorySize: 256,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
