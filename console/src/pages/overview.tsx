import { useState } from 'preact/hooks';
import { call, projectPath, type Session } from '../api';
import { t } from '../i18n';
import { ErrorBox, Loading, useLoad } from '../ui';

/** GET /health: each backing service, up or down. */
export function Health() {
  const { data, error } = useLoad(async () => {
    const r = await fetch('/health');
    return (await r.json()) as { status: string; services: Record<string, { ok: boolean; ms: number; error?: string }> };
  }, []);
  return (
    <section id="health-section">
      <h2>{t('Services')}</h2>
      <table id="health">
        <tbody>
          {error ? (
            <tr>
              <td class="bad">{t('API unreachable')}</td>
            </tr>
          ) : !data ? (
            <tr>
              <td class="muted">{t('checking…')}</td>
            </tr>
          ) : (
            Object.entries(data.services).map(([name, s]) => (
              <tr data-service={name}>
                <td>{name}</td>
                <td class={s.ok ? 'ok' : 'bad'}>{s.ok ? t('up') : `${t('down')} (${s.error ?? 'error'})`}</td>
                <td>{s.ms} ms</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

/** The project, its services and what the S3 ingest trigger did with each uploaded object. */
export function Overview({ session }: { session: Session }) {
  const [status, setStatus] = useState('failed');
  const records = useLoad(
    () => call<{ records: Array<{ key: string; importer: string; updated_at: string; error?: { message: string }; result?: unknown }> }>('GET', projectPath(session, '/ingest/records'), { query: { status } }).then((r) => r.body.records),
    [status, session.iamToken],
  );
  return (
    <>
      <Health />
      <section id="project-section">
        <h2>
          {t('Project')} <code id="project-name">{session.project.name}</code>
        </h2>
        <p class="muted">
          {t('Project id')} <code id="project-id">{session.project.id}</code>
        </p>
        <label for="ingest-status">{t('S3 ingest records')}</label>
        <select id="ingest-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          <option>failed</option>
          <option>done</option>
          <option>retry</option>
          <option>processing</option>
        </select>
        <ErrorBox error={records.error} onRetry={records.reload} />
        {records.loading && !records.data ? <Loading /> : null}
        <div class="table-scroll">
          <table id="ingest">
            <thead>
              <tr>
                <th>{t('Object')}</th>
                <th>{t('Importer')}</th>
                <th>{t('Updated')}</th>
                <th>{t('Detail')}</th>
              </tr>
            </thead>
            <tbody>
              {(records.data ?? []).length === 0 && records.data ? (
                <tr>
                  <td colSpan={4} class="muted">
                    {t('nothing')} ({status})
                  </td>
                </tr>
              ) : (
                (records.data ?? []).map((x) => (
                  <tr>
                    <td>{x.key}</td>
                    <td>{x.importer}</td>
                    <td>{x.updated_at}</td>
                    <td>{x.error ? x.error.message : JSON.stringify(x.result ?? {})}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
