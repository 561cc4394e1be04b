/**
 * Periodic upkeep of the libraries' vector tables (functions/search/maintain-libraries, on a
 * schedule): every add appends a small LanceDB fragment, so the job compacts them and folds new
 * rows into the ANN index (`optimize`), and builds the index once a table passes
 * ANN_INDEX_MIN_ROWS. Both take longer than an API call may, which is why they run here.
 */
import type { Stores } from '../store/ports';
import { ANN_INDEX_MIN_ROWS } from './contract';
import { libraryTable, type Library } from './library';

export interface MaintenanceResult {
  library: string;
  rows: number;
  indexed: boolean;
  optimized: boolean;
}

export async function maintainLibrary(stores: Stores, lib: Library, opts: { indexMinRows?: number } = {}): Promise<MaintenanceResult> {
  const name = libraryTable(lib);
  const table = await stores.vectors.open(name);
  if (!table) return { library: name, rows: 0, indexed: false, optimized: false };
  let optimized = false;
  if (table.optimize) {
    await table.optimize();
    optimized = true;
  }
  const indexed = await table.ensureIndex({ minRows: opts.indexMinRows ?? ANN_INDEX_MIN_ROWS, metric: lib.metric ?? 'cosine' });
  return { library: name, rows: await table.count(), indexed, optimized };
}
