/**
 * Importers for the ingest trigger, by the name that follows `ingest/{project_id}/` in the key.
 * Each API family registers its own here (one line each).
 */
import type { Importer } from './ledger';

export const importers: Record<string, Importer> = {};
