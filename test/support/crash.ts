/**
 * Stores that die mid-write, for crash-injection tests: the first `survive` mutating calls go
 * through to the real stores, the next one throws and so does every call after it (reads
 * included) — as if the process had been killed there, so no undo or cleanup of the write can
 * run. What the real stores hold afterwards is exactly what a killed writer leaves behind.
 */
import { expect } from 'vitest';
import type { MetadataStore, ObjectStore, Stores, VectorStore, VectorTable } from '../../lib/store/ports';

export class Crash extends Error {
  constructor() {
    super('simulated crash: the process died here');
  }
}

export interface CrashingStores extends Stores {
  /** Mutating calls that went through before the crash (or in all, if it never came). */
  readonly writes: number;
  readonly crashed: boolean;
}

const MUTATING_OBJECTS = new Set(['put', 'delete', 'deleteMany']);
const MUTATING_METADATA = new Set(['put', 'update', 'delete', 'transact']);
const MUTATING_TABLE = new Set(['upsert', 'deleteWhere', 'deleteIds', 'updateWhere', 'ensureIndex', 'optimize']);

export function crashingStores(real: Stores, survive: number): CrashingStores {
  let writes = 0;
  let dead = false;
  const gate = (mutating: boolean) => {
    if (dead) throw new Crash();
    if (!mutating) return;
    if (writes >= survive) {
      dead = true;
      throw new Crash();
    }
    writes++;
  };
  function wrap<T extends object>(target: T, mutating: Set<string>, after?: (name: string, result: unknown) => unknown): T {
    return new Proxy(target, {
      get(t, prop, recv) {
        const v = Reflect.get(t, prop, recv);
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          gate(mutating.has(String(prop)));
          const result = await v.apply(t, args);
          return after ? after(String(prop), result) : result;
        };
      },
    });
  }
  const table = (t: VectorTable | null) => (t ? wrap(t, MUTATING_TABLE) : t);
  // Creating a table is a write too.
  const vectors = wrap(real.vectors, new Set(['openOrCreate', 'drop']), (name, result) =>
    name === 'open' || name === 'openOrCreate' ? table(result as VectorTable | null) : result,
  ) as VectorStore;
  return {
    objects: wrap(real.objects, MUTATING_OBJECTS) as ObjectStore,
    metadata: wrap(real.metadata, MUTATING_METADATA) as MetadataStore,
    vectors,
    get writes() {
      return writes;
    },
    get crashed() {
      return dead;
    },
  };
}

/**
 * Runs `write` against `real` stores that die after 0, 1, 2, … mutations, until one run
 * completes; `check` looks at the real stores after each run. Returns the number of mutations the
 * completed run made.
 */
export async function everyCrashPoint(
  real: Stores,
  write: (stores: CrashingStores, attempt: number) => Promise<unknown>,
  check: (attempt: number, completed: boolean) => Promise<void>,
): Promise<number> {
  for (let survive = 0; ; survive++) {
    const stores = crashingStores(real, survive);
    const outcome = await write(stores, survive).then(
      () => 'ok' as const,
      (e) => e,
    );
    if (outcome !== 'ok') expect(outcome).toBeInstanceOf(Crash);
    await check(survive, outcome === 'ok');
    if (outcome === 'ok') return survive;
    if (survive > 20) throw new Error('the write never completed');
  }
}
