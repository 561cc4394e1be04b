import type { Stores } from './store/ports';

export interface HealthReport {
  status: 'ok' | 'degraded';
  services: Record<'objects' | 'metadata' | 'vectors', { ok: boolean; ms: number; error?: string }>;
}

async function probe(fn: () => Promise<void>): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 3000))]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (e) {
    // Only the error's class reaches the client, never its message (which may carry internals).
    const name = (e as Error)?.message === 'timed out' ? 'timed out' : 'unreachable';
    return { ok: false, ms: Math.round(performance.now() - started), error: name };
  }
}

export async function checkHealth(stores: Stores): Promise<HealthReport> {
  const [objects, metadata, vectors] = await Promise.all([
    probe(() => stores.objects.ping()),
    probe(() => stores.metadata.ping()),
    probe(() => stores.vectors.ping()),
  ]);
  const services = { objects, metadata, vectors };
  return { status: Object.values(services).every((s) => s.ok) ? 'ok' : 'degraded', services };
}
