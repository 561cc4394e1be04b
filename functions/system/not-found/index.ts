import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'notFound',
  config: {
    handler: 'functions/system/not-found/handler.main',
    description: 'Answers unknown routes in the error format of the API family the path belongs to',
    events: [{ httpApi: '*' }],
    memorySize: 128,
  },
  access: {},
} satisfies IrisFunction;
