import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { S3Event } from 'aws-lambda';
import { logger } from '../../../lib/http/handler';
import { importers } from '../../../lib/ingest/importers';
import { ingestRecord, type IngestOutcome } from '../../../lib/ingest/ledger';
import { stores } from '../../../lib/store';

/**
 * S3 ObjectCreated under `ingest/`: every record is processed (one failing record does not
 * stop the others); a transient failure is rethrown after all records ran, so Lambda retries
 * and the ledger makes the retry skip what is already done.
 */
export const main = middy<S3Event, { outcomes: IngestOutcome[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
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
  });
