import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'searchListLibraries',
  config: {
    handler: 'functions/search/list-libraries/handler.main',
    description: 'Image search admin: list libraries with their counts',
    events: [{ httpApi: { method: 'GET', path: '/v1/{project_id}/image-libraries' } }],
    memorySize: 256,
  },
  access: { table: ['read'] },
} satisfies IrisFunction;
