import { useState } from 'preact/hooks';
import { call, projectPath, projectPathV2, type Session } from '../api';
import { t } from '../i18n';
import { Empty, ErrorBox, Loading, useLoad } from '../ui';

interface Config {
  config_id: string;
  device_id?: string;
  skill_id?: string;
  camera_names: string[];
  data_count: number;
  datacur_count: number;
  dataset_id: string;
  dataset_name: string;
  dataset_path: string;
  model_algorithm: string;
  model_name: string;
  setting_config: { thr?: number };
}
interface Sample {
  sample_id: string;
  sample_name: string;
  sample_time: number;
  metadata: Record<string, unknown>;
}

export function Cameras({ session }: { session: Session }) {
  const configs = useLoad(() => call<{ hard_sample_setting: Config[] }>('GET', projectPath(session, '/hard-sample-configs')).then((r) => r.body.hard_sample_setting), [session.iamToken]);
  const datasets = useLoad(() => call<{ datasets: Array<{ dataset_id: string; dataset_name: string }> }>('GET', projectPathV2(session, '/datasets'), { query: { limit: 100 } }).then((r) => r.body.datasets), [session.iamToken]);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      configs.reload();
    } catch (e) {
      setError(e);
    }
  };
  const create = (e: Event) => {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    void act(async () => {
      await call('POST', projectPath(session, '/hard-sample-configs'), {
        json: {
          dataset_id: v('dataset_id'),
          device_id: v('device_id'),
          camera_names: v('camera_names').split(',').map((s) => s.trim()).filter(Boolean),
          data_count: Number(v('data_count')),
          model_algorithm: v('model_algorithm'),
          model_name: v('model_name'),
          setting_config: { thr: Number(v('thr')) },
        },
      });
      f.reset();
    });
  };
  return (
    <>
      <section id="cameras">
        <h2>{t('Cameras and hard-example settings')}</h2>
        <ErrorBox error={configs.error} onRetry={configs.reload} />
        <ErrorBox error={error} />
        {configs.loading && !configs.data ? <Loading /> : null}
        {configs.data && configs.data.length === 0 ? <Empty>{t('No hard-example settings yet.')}</Empty> : null}
        <div class="cards wide">
          {(configs.data ?? []).map((c) => (
            <ConfigCard key={c.config_id} session={session} config={c} onDelete={() => act(() => call('DELETE', projectPath(session, `/hard-sample-configs/${c.config_id}`)))} onReset={() => act(() => call('PUT', projectPath(session, `/hard-sample-configs/${c.config_id}`), { json: { datacur_count: 0 } }))} />
          ))}
        </div>
        <form id="create-config" onSubmit={create}>
          <h3>{t('New setting')}</h3>
          <div class="row">
            <div>
              <label for="cfg-dataset">{t('Dataset')}</label>
              <select id="cfg-dataset" name="dataset_id" required>
                {(datasets.data ?? []).map((d) => (
                  <option value={d.dataset_id}>{d.dataset_name}</option>
                ))}
              </select>
            </div>
            <div>
              <label for="cfg-device">{t('Device id')}</label>
              <input id="cfg-device" name="device_id" required />
            </div>
            <div>
              <label for="cfg-cameras">{t('Camera names (comma-separated)')}</label>
              <input id="cfg-cameras" name="camera_names" />
            </div>
            <div>
              <label for="cfg-count">{t('Quota (data_count)')}</label>
              <input id="cfg-count" name="data_count" type="number" min="1" required value="100" />
            </div>
            <div>
              <label for="cfg-algorithm">{t('Model algorithm')}</label>
              <select id="cfg-algorithm" name="model_algorithm">
                <option value="image_classification">image_classification</option>
                <option value="object_detection">object_detection</option>
              </select>
            </div>
            <div>
              <label for="cfg-model">{t('Model name')}</label>
              <input id="cfg-model" name="model_name" required />
            </div>
            <div>
              <label for="cfg-thr">{t('Threshold (thr)')}</label>
              <input id="cfg-thr" name="thr" type="number" min="0" max="1" step="0.01" value="0.5" />
            </div>
          </div>
          <button type="submit">{t('Create setting')}</button>
        </form>
      </section>
    </>
  );
}

function ConfigCard({ session, config: c, onDelete, onReset }: { session: Session; config: Config; onDelete: () => void; onReset: () => void }) {
  const recent = useLoad(
    () =>
      call<{ samples: Sample[] }>('GET', projectPathV2(session, `/datasets/${c.dataset_id}/data-annotations/samples`), { query: { only_hard: 'true', limit: 5, order: 'desc' } }).then((r) => r.body.samples),
    [c.config_id, c.datacur_count],
  );
  const used = c.data_count ? Math.min(1, c.datacur_count / c.data_count) : 0;
  return (
    <div class="card" data-config={c.device_id ?? c.skill_id}>
      <h3>{c.device_id ?? c.skill_id}</h3>
      <p class="muted">
        {c.camera_names.join(', ') || t('all cameras')} · {c.model_algorithm} · {c.model_name} · thr {c.setting_config.thr ?? '—'}
      </p>
      <p>
        {t('Dataset')}: <a href={`#/datasets/${c.dataset_id}`}>{c.dataset_name}</a>
      </p>
      <label for={`quota-${c.config_id}`}>
        {t('Quota used')}: <span class="quota">{c.datacur_count} / {c.data_count}</span>
      </label>
      <progress id={`quota-${c.config_id}`} max={c.data_count} value={c.datacur_count} class={used >= 1 ? 'full' : ''} />
      {used >= 1 ? <p class="bad">{t('The quota is used up: uploads are refused until it is reset or raised.')}</p> : null}
      <details>
        <summary>{t('Upload URL (dataset_path)')}</summary>
        <code class="upload-url">{c.dataset_path}</code>
      </details>
      <h4>{t('Recent uploads')}</h4>
      <ErrorBox error={recent.error} onRetry={recent.reload} />
      {recent.data && recent.data.length === 0 ? <Empty>{t('No uploads yet.')}</Empty> : null}
      <ul class="results recent">
        {(recent.data ?? []).map((s) => (
          <li data-sample={s.sample_name}>
            {s.sample_name} <span class="muted">{new Date(s.sample_time).toLocaleString()}</span>
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="secondary" onClick={onReset} aria-label={`${t('Reset the count')} ${c.device_id ?? c.skill_id}`}>
          {t('Reset the count')}
        </button>
        <button type="button" class="danger" onClick={() => confirm(`${t('Delete')}?`) && onDelete()} aria-label={`${t('Delete')} ${c.device_id ?? c.skill_id}`}>
          {t('Delete')}
        </button>
      </div>
    </div>
  );
}
