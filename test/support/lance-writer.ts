/**
 * A separate writer process for the concurrent-writers test: merges `rounds` batches of rows
 * with overlapping ids into one LanceDB table through Iris's adapter, all at once.
 *   tsx test/support/lance-writer.ts <uri> <table> <writer> <rounds>
 */
import { LanceVectorStore } from '../../lib/store/lancedb';

const [uri, name, writer, rounds] = process.argv.slice(2);
const store = new LanceVectorStore(uri);
const table = (await store.open(name))!;
await Promise.all(
  Array.from({ length: Number(rounds) }, (_, i) =>
    table.upsert(
      Array.from({ length: 4 }, (_, j) => ({ id: `id-${(i * 3 + j) % 30}`, vector: [Number(writer), i, j], writer: Number(writer) })),
    ),
  ),
);
