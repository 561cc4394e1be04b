import { IrisError, isIrisError } from '../errors';
import { ingestStatusPartition } from '../store/keys';
import type { MetadataStore } from '../store/ports';

export interface IngestRecordView {
  key: string;
  status: string;
  importer: string;
  size: number;
  attempts: number;
  created_at: string;
  updated_at: string;
  error?: { kind: string; message: string };
  result?: Record<string, unknown>;
}

/** Lists ledger entries of one status for a project (a Query on gsi1, newest first). */
export async function listIngestRecords(
  store: MetadataStore,
  projectId: string,
  opts: { status: string; limit: number; marker?: string },
): Promise<{ records: IngestRecordView[]; next_marker?: string }> {
  // The store checks that the marker is a position in this project's partition of this status
  // (lib/store/dynamodb.ts decodeCursor); here its refusal is named after the query field.
  const page = await store
    .query({ index: 'gsi1', pk: ingestStatusPartition(`${opts.status}#${projectId}`), limit: opts.limit, cursor: opts.marker, forward: false })
    .catch((e: unknown) => {
      if (isIrisError(e) && e.field === 'cursor') {
        throw new IrisError('BAD_PARAM', e.message.replace('param cursor', 'param marker').replace('the cursor of the previous page', 'the next_marker of the previous page'), {
          field: 'marker',
          cause: e,
        });
      }
      throw e;
    });
  return {
    records: page.items.map((i) => ({
      key: String(i.bucketKey),
      status: String(i.status),
      importer: String(i.importer),
      size: Number(i.size ?? 0),
      attempts: Number(i.attempts ?? 1),
      created_at: String(i.createdAt),
      updated_at: String(i.updatedAt),
      ...(i.error ? { error: i.error as { kind: string; message: string } } : {}),
      ...(i.result ? { result: i.result as Record<string, unknown> } : {}),
    })),
    ...(page.cursor ? { next_marker: page.cursor } : {}),
  };
}
