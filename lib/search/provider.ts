/**
 * Where handlers get the engine of a library kind. The engines module (models, OpenCV) is
 * imported lazily so that the operations that never need it (update, delete, library admin)
 * do not pay for it at cold start. `setEngineProvider` lets a test or a deployment plug in a
 * different provider (e.g. another embedding model) without touching the handlers.
 */
import type { LibraryKind, SearchEngine } from './engine';

export type EngineProvider = (kind: LibraryKind) => Promise<SearchEngine>;

const defaultProvider: EngineProvider = async (kind) => (await import('./engines/index')).getEngine(kind);

let provider: EngineProvider = defaultProvider;

export const engineFor = (kind: LibraryKind): Promise<SearchEngine> => provider(kind);

/** Replaces the engine provider; without an argument restores the default. */
export function setEngineProvider(p?: EngineProvider): void {
  provider = p ?? defaultProvider;
}
