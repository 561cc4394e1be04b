/**
 * Importers for the ingest trigger, by the name that follows `ingest/{project_id}/` in the key.
 * Each API family registers its own here (one line each).
 */
import type { Importer } from './port';
import { LIBRARIES_IMPORTER, librariesImporter } from '../search/importer';
import { engineFor } from '../search/provider';
import { HARD_EXAMPLE_IMPORTER, importHardExample } from '../hard-examples/importer';
import { CLASSIFY_HARD_IMPORTER } from '../classify/keys';
import { importClassifyHard } from '../classify/hard-importer';

export const importers: Record<string, Importer> = {
  [LIBRARIES_IMPORTER]: librariesImporter(engineFor),
  [HARD_EXAMPLE_IMPORTER]: importHardExample,
  [CLASSIFY_HARD_IMPORTER]: importClassifyHard,
};
