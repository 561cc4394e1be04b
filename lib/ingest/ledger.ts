/**
 * The ingest trigger: objects put under `ingest/{project_id}/{importer}/…` are handed to the
 * importer registered for that name. A ledger item per object version (key + ETag) makes the
 * trigger idempotent — S3 may deliver an event more than once — and records failures where an
 * operator can list them (GET /v1/{project_id}/ingest/records?status=failed). A failed object
 * stays in the bucket for inspection.
 *
 * Ledger states: processing → done | failed (permanent: bad input) | retry (transient: the
 * invocation throws so Lambda's async retry runs again and takes the entry over).
 */
import { IrisError } from '../errors';
import { ingestStatusPartition, keys } from '../store/keys';
import type { Stores } from '../store/ports';
import type { Importer } from './port';
import { TTL_ATTRIBUTE } from '../store/table';
import { PREFIX } from '../deploy/types';

export type { Importer, IngestObject } from './port';

export interface IngestRecordInput {
  bucket: string;
  /** As S3 sends it: URL-encoded, '+' for spaces. */
  key: string;
  etag?: string;
  size?: number;
}

export type IngestOutcome = { key: string; status: 'done' | 'failed' | 'duplicate' | 'ignored'; error?: string };

/** A `processing` claim older than this is considered abandoned (the Lambda died) and taken over. */
const STALE_MS = 15 * 60 * 1000;
const LEDGER_TTL_SECONDS = 90 * 24 * 3600;

export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

export function parseIngestKey(key: string): { projectId: string; importer: string; rest: string } | null {
  if (!key.startsWith(PREFIX.ingest)) return null;
  const [projectId, importer, ...rest] = key.slice(PREFIX.ingest.length).split('/');
  if (!projectId || !importer || rest.length === 0 || rest.join('/') === '') return null;
  return { projectId, importer, rest: rest.join('/') };
}

const clean = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '');

export async function ingestRecord(
  input: IngestRecordInput,
  importers: Record<string, Importer>,
  stores: Stores,
  now = () => new Date(),
): Promise<IngestOutcome> {
  const key = decodeS3Key(input.key);
  const parsed = parseIngestKey(key);
  // Keys outside the layout are never ours to touch (and never written by importers).
  if (!parsed) return { key, status: 'ignored' };

  const head = await stores.objects.head(key);
  if (!head) return { key, status: 'ignored' }; // deleted since the event was sent
  const etag = clean(head.etag) || clean(input.etag) || 'none';
  const ledgerKey = keys.ingest(key, etag);
  const t = now();
  const base = {
    ...ledgerKey,
    bucketKey: key,
    etag,
    projectId: parsed.projectId,
    importer: parsed.importer,
    size: head.size,
    [TTL_ATTRIBUTE]: Math.floor(t.getTime() / 1000) + LEDGER_TTL_SECONDS,
  };
  const setStatus = (status: string, extra: Record<string, unknown> = {}) => {
    const at = now().toISOString();
    return stores.metadata.update(ledgerKey, {
      set: { status, updatedAt: at, gsi1pk: ingestStatusPartition(`${status}#${parsed.projectId}`), gsi1sk: at, ...extra },
    });
  };

  // Claim the object version.
  const claimed = await stores.metadata.put(
    { ...base, status: 'processing', createdAt: t.toISOString(), updatedAt: t.toISOString(), attempts: 1 },
    { ifNotExists: true },
  );
  if (!claimed) {
    const existing = await stores.metadata.get(ledgerKey);
    const status = String(existing?.status ?? '');
    const updatedAt = Date.parse(String(existing?.updatedAt ?? 0));
    const takeover =
      status === 'retry' || (status === 'processing' && t.getTime() - updatedAt > STALE_MS)
        ? await stores.metadata.update(
            ledgerKey,
            { set: { status: 'processing', updatedAt: t.toISOString() }, add: { attempts: 1 } },
            { ifMatch: { status, updatedAt: existing?.updatedAt } },
          )
        : null;
    if (!takeover) return { key, status: 'duplicate' };
  }

  const importer = importers[parsed.importer];
  try {
    if (!importer) throw new IrisError('BAD_PARAM', `no importer named "${parsed.importer}" (known: ${Object.keys(importers).join(', ') || 'none'})`);
    const project = await stores.metadata.get(keys.project(parsed.projectId));
    if (!project) throw new IrisError('NOT_FOUND', `project ${parsed.projectId} does not exist`);
    const result = await importer({ bucketKey: key, ...parsed, etag, size: head.size, head }, stores);
    await setStatus('done', { result: result ?? {} });
    return { key, status: 'done' };
  } catch (e) {
    if (e instanceof IrisError && e.kind !== 'INTERNAL') {
      await setStatus('failed', { error: { kind: e.kind, message: e.message } });
      return { key, status: 'failed', error: e.message };
    }
    // Transient or unknown: mark for retry and let the invocation fail so Lambda retries it.
    await setStatus('retry', { error: { kind: 'INTERNAL', message: 'transient failure, will be retried' } }).catch(() => undefined);
    throw e;
  }
}
