/**
 * Where handlers get the engine of a library: its kind's, with the embedding model the library
 * was created with (lib/search/embedders.ts). The engines module (models, OpenCV) is
 * imported lazily so that the operations that never need it (update, delete, library admin)
 * do not pay for it at cold start. `setEngineProvider` lets a test or a deployment plug in a
 * different provider (e.g. another embedding model) without touching the handlers.
 */
import type { LibraryKind, SearchEngine } from './engine';
import { libraryEmbedder } from './embedders';
import type { Library } from './library';

export type EngineProvider = (kind: LibraryKind, embedder: string) => Promise<SearchEngine>;

const defaultProvider: EngineProvider = async (kind, embedder) => (await import('./engines/index')).getEngine(kind, embedder);

let provider: EngineProvider = defaultProvider;

/** The engine of a library (its kind, its model). */
export const engineFor = (lib: Pick<Library, 'kind' | 'embedder'>): Promise<SearchEngine> => provider(lib.kind, libraryEmbedder(lib));

export type EngineOf = typeof engineFor;

/** Replaces the engine provider; without an argument restores the default. */
export function setEngineProvider(p?: EngineProvider): void {
  provider = p ?? defaultProvider;
}
