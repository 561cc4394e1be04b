import { logger } from '../../../lib/http/logger';
import { defineSchedule } from '../../../lib/http/operation';
import { stores } from '../../../lib/store';
import { sweepAll, type SweepReport } from '../../../lib/upkeep/sweep';

/**
 * Scheduled: removes, in every family of every project, the vector rows and objects that no
 * committed item names (what a write left when it died before its commit point). Stops a minute
 * before the function's timeout; the next run resumes after the last project it finished.
 */
export default defineSchedule({
  name: 'sweep',
  description: 'Upkeep: remove rows and objects that no committed item names, in every family of every project',
  schedule: 'rate(1 hour)',
  run: async ({ remainingMs }): Promise<SweepReport> => {
    const budget = Number.isFinite(remainingMs()) ? remainingMs() : 15 * 60 * 1000;
    const report = await sweepAll(stores(), { deadline: Date.now() + budget - 60_000 });
    for (const r of report.removed) logger.info('swept', { ...r });
    logger.info('sweep finished', { projects: report.projects, complete: report.complete, removed: report.removed.length });
    return report;
  },
  access: { objects: [{ prefix: 'data/', actions: ['list', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 1024,
  timeout: 900,
});
