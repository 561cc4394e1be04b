import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../../../lib/http/handler';
import { listAllLibraries } from '../../../lib/search/library';
import { maintainLibrary, type MaintenanceResult } from '../../../lib/search/maintain';
import { stores } from '../../../lib/store';

/**
 * Scheduled: compacts every library's vector table and builds its ANN index once it is big
 * enough. One library failing does not stop the others; the failure is logged and retried at
 * the next run.
 */
export const main = middy<unknown, { results: MaintenanceResult[]; failed: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const s = stores();
    const results: MaintenanceResult[] = [];
    let failed = 0;
    for (const lib of await listAllLibraries(s.metadata)) {
      try {
        const r = await maintainLibrary(s, lib);
        logger.info('library maintained', { ...r });
        results.push(r);
      } catch (e) {
        failed++;
        logger.error('library maintenance failed', { projectId: lib.projectId, kind: lib.kind, error: e as Error });
      }
    }
    return { results, failed };
  });
