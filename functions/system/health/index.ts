import { defineOperation } from '../../../lib/http/operation';
import { checkHealth } from '../../../lib/health';

/** GET /health — reports each backing service; 503 when any is down. */
export default defineOperation({
  name: 'health',
  description: 'Reports the state of S3, DynamoDB and the vector tables',
  method: 'GET',
  path: '/health',
  family: 'plain',
  auth: 'none',
  run: async ({ stores }) => {
    const report = await checkHealth(stores);
    return { statusCode: report.status === 'ok' ? 200 : 503, body: report };
  },
  access: { objects: [{ prefix: 'vectors/', actions: ['list'] }], table: ['describe'], vectors: ['read'], nativeLayer: true },
  memory: 512,
});
