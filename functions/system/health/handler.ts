import { httpApi } from '../../../lib/http/handler';
import { checkHealth } from '../../../lib/health';

/** GET /health — reports each backing service; 503 when any is down. */
export const main = httpApi({
  family: 'plain',
  auth: 'none',
  handler: async ({ stores }) => {
    const report = await checkHealth(stores);
    return { statusCode: report.status === 'ok' ? 200 : 503, body: report };
  },
});
