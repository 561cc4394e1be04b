import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'searchCreateLibrary',
  config: {
    handler: 'functions/search/create-library/handler.main',
    description: 'Image search admin: provision a library of a kind',
    events: [{ httpApi: { method: 'POST', path: '/v1/{project_id}/image-libraries' } }],
    memorySize: 256,
  },
  access: { table: ['read', 'write'] },
} satisfies IrisFunction;
