import { logger } from '../../../lib/http/logger';
import { defineS3Trigger } from '../../../lib/http/operation';
import { importers } from '../../../lib/ingest/importers';
import { ingestRecord, type IngestOutcome } from '../../../lib/ingest/ledger';
import { stores } from '../../../lib/store';
import { PREFIX } from '../../../lib/deploy/types';

/**
 * S3 ObjectCreated under `ingest/`: every record is processed (one failing record does not
 * stop the others); a transient failure is rethrown after all records ran, so Lambda retries
 * and the ledger makes the retry skip what is already done.
 */
export default defineS3Trigger({
  name: 'ingestObject',
  description: 'Imports objects put under ingest/{project_id}/{importer}/ (bulk import, hard examples)',
  objects: { prefix: PREFIX.ingest },
  run: async (event): Promise<{ outcomes: IngestOutcome[] }> => {
    const outcomes: IngestOutcome[] = [];
    let transient: unknown;
    for (const record of event.Records ?? []) {
      try {
        const outcome = await ingestRecord(
          { bucket: record.s3.bucket.name, key: record.s3.object.key, etag: record.s3.object.eTag, size: record.s3.object.size },
          importers,
          stores(),
        );
        logger.info('ingest', { ...outcome });
        outcomes.push(outcome);
      } catch (e) {
        logger.error('ingest failed, will retry', { key: record.s3.object.key, error: e as Error });
        transient ??= e;
      }
    }
    if (transient) throw transient;
    return { outcomes };
  },
  access: {
    objects: [
      { prefix: PREFIX.ingest, actions: ['read'] },
      { prefix: PREFIX.data, actions: ['read', 'write', 'delete'] },
    ],
    table: ['read', 'write'],
    vectors: ['read', 'write'],
    nativeLayer: true,
  },
  memory: 2048,
  timeout: 300,
});
