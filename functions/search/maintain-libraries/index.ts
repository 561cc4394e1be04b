import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'searchMaintainLibraries',
  config: {
    handler: 'functions/search/maintain-libraries/handler.main',
    description: 'Image search: compact library vector tables and build their ANN indexes',
    events: [{ schedule: 'rate(30 minutes)' }],
    // Building an IVF-PQ index over 100,000 1280-d rows takes about 2 minutes on 2 vCPUs.
    memorySize: 3008,
    timeout: 900,
  },
  access: { table: ['read'], vectors: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
