import { logger } from '../../../lib/http/logger';
import { defineSchedule } from '../../../lib/http/operation';
import { listAllLibraries } from '../../../lib/search/library';
import { maintainLibrary, type MaintenanceResult } from '../../../lib/search/maintain';
import { stores } from '../../../lib/store';

/**
 * Scheduled: compacts every library's vector table and builds its ANN index once it is big
 * enough. One library failing does not stop the others; the failure is logged and retried at
 * the next run.
 */
export default defineSchedule({
  name: 'searchMaintainLibraries',
  description: 'Image search: compact library vector tables and build their ANN indexes',
  schedule: 'rate(30 minutes)',
  run: async (): Promise<{ results: MaintenanceResult[]; failed: number }> => {
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
  },
  access: { table: ['read'], vectors: ['read', 'write'], nativeLayer: true },
  // Building an IVF-PQ index over 100,000 1280-d rows takes about 2 minutes on 2 vCPUs.
  memory: 3008,
  timeout: 900,
});
