import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from '../../../lib/http/handler';
import { stores } from '../../../lib/store';
import { sweepAll, type SweepReport } from '../../../lib/upkeep/sweep';

/**
 * Scheduled: removes, in every family of every project, the vector rows and objects that no
 * committed item names (what a write left when it died before its commit point). Stops a minute
 * before the function's timeout; the next run resumes after the last project it finished.
 */
export const main = middy<unknown, SweepReport>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (_event: unknown, context: Context) => {
    const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 15 * 60 * 1000;
    const report = await sweepAll(stores(), { deadline: Date.now() + remaining - 60_000 });
    for (const r of report.removed) logger.info('swept', { ...r });
    logger.info('sweep finished', { projects: report.projects, complete: report.complete, removed: report.removed.length });
    return report;
  });
