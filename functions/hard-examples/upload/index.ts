import type { IrisFunction } from '../../../lib/deploy/types';

export default {
  name: 'uploadHardExample',
  config: {
    handler: 'functions/hard-examples/upload/handler.main',
    description: 'upload_jpeg target (dataset_path): NV21 frame → JPEG hard-example sample (HiLens)',
    events: [{ httpApi: { method: 'POST', path: '/v1/{project_id}/hard-examples/{config_id}/{upload_key}' } }],
    memorySize: 1024,
    timeout: 29,
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }], table: ['read', 'write'], nativeLayer: true },
} satisfies IrisFunction;
