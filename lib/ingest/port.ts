/**
 * What an importer of the ingest trigger is: the one thing the API families' importers
 * (lib/search/importer.ts, lib/hard-examples/importer.ts) need from lib/ingest, kept apart from
 * the trigger's ledger (lib/ingest/ledger.ts) so that they do not depend on it.
 */
import type { ObjectHead, Stores } from '../store/ports';

export interface IngestObject {
  bucketKey: string;
  projectId: string;
  importer: string;
  /** Key part after `ingest/{project}/{importer}/`. */
  rest: string;
  etag: string;
  size: number;
  head: ObjectHead;
}

export type Importer = (obj: IngestObject, stores: Stores) => Promise<Record<string, unknown> | void>;
