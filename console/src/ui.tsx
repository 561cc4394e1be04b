import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { t } from './i18n';

/** An error in words (the envelope's message), with its code when there is one. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const e = error as { message?: string; code?: string | number };
  return (
    <div class="error" role="alert">
      <strong>{t('Error')}:</strong> {e.message ?? String(error)}
      {e.code !== undefined ? <span class="code"> ({e.code})</span> : null}
      {onRetry ? (
        <button type="button" class="link" onClick={onRetry}>
          {t('Retry')}
        </button>
      ) : null}
    </div>
  );
}

export const Loading = () => (
  <p class="muted" role="status" aria-live="polite">
    {t('Loading…')}
  </p>
);

export const Empty = ({ children }: { children: ComponentChildren }) => <p class="empty muted">{children}</p>;

/** Runs an async load, with loading / error state and a reload. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** A progress bar with its text for screen readers. */
export function Progress({ done, total, label }: { done: number; total: number; label: string }) {
  return (
    <div class="progress-wrap">
      <progress max={total} value={done} aria-label={label} />
      <span class="muted">
        {done} / {total}
      </span>
    </div>
  );
}

/** A drop zone with a file picker. */
export function DropZone({ id, label, multiple, onFiles }: { id: string; label: string; multiple: boolean; onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={`drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const files = [...(e.dataTransfer?.files ?? [])];
        if (files.length) onFiles(multiple ? files : files.slice(0, 1));
      }}
    >
      <label for={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept="image/*"
        multiple={multiple}
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          const files = [...(input.files ?? [])];
          if (files.length) onFiles(files);
          input.value = '';
        }}
      />
    </div>
  );
}

