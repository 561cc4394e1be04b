import { logger } from '../../../lib/http/logger';
import { defineS3Trigger } from '../../../lib/http/operation';
import { PREFIX } from '../../../lib/deploy/types';
import { runJob, type JobSpec, type RunOutcome } from '../../../lib/classify/runner';
import { embedder } from '../../../lib/classify/features';
import { decodeS3Key } from '../../../lib/ingest/ledger';
import { stores } from '../../../lib/store';

const SPEC = /^jobs\/([^/]+)\/([a-z0-9]{20})\/run-(\d+)\.json$/;

/**
 * S3 ObjectCreated under `jobs/`: one training run per job spec (lib/classify/runner.ts). A run
 * near its timeout writes the next spec and returns, so a long job is a chain of invocations.
 */
export default defineS3Trigger({
  name: 'runTrainingJob',
  description: 'Runs (or continues) a training job when its spec object is written under jobs/',
  objects: { prefix: PREFIX.jobs, suffix: '.json' },
  run: async (event, ctx): Promise<{ outcomes: Array<{ key: string; outcome: RunOutcome | 'ignored' }> }> => {
    const outcomes: Array<{ key: string; outcome: RunOutcome | 'ignored' }> = [];
    for (const record of event.Records ?? []) {
      const key = decodeS3Key(record.s3.object.key);
      const m = SPEC.exec(key);
      if (!m) {
        outcomes.push({ key, outcome: 'ignored' });
        continue;
      }
      const spec: JobSpec = { project_id: m[1], job_id: m[2], attempt: Number(m[3]) };
      const outcome = await runJob(stores(), spec, { remainingMs: ctx.remainingMs, log: logger });
      logger.info('training run', { key, outcome });
      outcomes.push({ key, outcome });
    }
    return { outcomes };
  },
  warm: () => embedder(),
  access: {
    objects: [
      { prefix: PREFIX.jobs, actions: ['read', 'write'] },
      { prefix: PREFIX.data, actions: ['read', 'write', 'delete'] },
    ],
    table: ['read', 'write'],
    nativeLayer: true,
  },
  memory: 3008,
  timeout: 900,
});
