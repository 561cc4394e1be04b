import { useEffect, useState } from 'preact/hooks';
import { call, fileBase64, projectPath, projectPathV2, type Session } from '../api';
import { t } from '../i18n';
import { DropZone, Empty, ErrorBox, Loading, useLoad } from '../ui';

interface LabelMetrics {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}
interface Metrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  labels: LabelMetrics[];
  confusion_matrix: number[][];
  confusion_labels: string[];
  train_count: number;
  eval_count: number;
}
interface Job {
  job_id: string;
  job_name: string;
  dataset_id: string;
  model_name: string;
  status: string;
  progress?: number;
  create_time: number | string;
  model_id?: string;
  metrics?: Metrics;
  error_msg?: string;
}
interface Model {
  model_id: string;
  model_name: string;
  model_version: string;
  labels: string[];
  metrics?: Metrics;
  create_time: number | string;
  service_count?: number;
}
interface Service {
  service_id: string;
  service_name: string;
  model_id: string;
  model_name?: string;
  model_version?: string;
  predict_url: string;
  status: string;
}

const FINISHED = ['Completed', 'Failed', 'Stopped'];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function Models({ session }: { session: Session }) {
  const [tick, setTick] = useState(0);
  const jobs = useLoad(() => call<{ jobs: Job[] }>('GET', projectPathV2(session, '/training-jobs'), { query: { limit: 20 } }).then((r) => r.body.jobs), [session.iamToken, tick]);
  const models = useLoad(() => call<{ models: Model[] }>('GET', projectPath(session, '/models'), { query: { limit: 100 } }).then((r) => r.body.models), [session.iamToken, tick]);
  const services = useLoad(() => call<{ services: Service[] }>('GET', projectPath(session, '/services'), { query: { limit: 100 } }).then((r) => r.body.services), [session.iamToken, tick]);
  const datasets = useLoad(() => call<{ datasets: Array<{ dataset_id: string; dataset_name: string }> }>('GET', projectPathV2(session, '/datasets'), { query: { limit: 100 } }).then((r) => r.body.datasets), [session.iamToken]);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<string | null>(null);
  const running = (jobs.data ?? []).some((j) => !FINISHED.includes(j.status));
  // Live progress: poll while a job is pending or running.
  useEffect(() => {
    if (!running) return;
    const id = setTimeout(() => setTick((n) => n + 1), 2000);
    return () => clearTimeout(id);
  }, [running, jobs.data]);
  const reloadAll = () => setTick((n) => n + 1);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      reloadAll();
    } catch (e) {
      setError(e);
    }
  };
  const createJob = (e: Event) => {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    void act(() => call('POST', projectPathV2(session, '/training-jobs'), { json: { job_name: v('job_name'), dataset_id: v('dataset_id'), model_algorithm: 'image_classification', ...(v('model_name') ? { model_name: v('model_name') } : {}) } }));
  };
  const shownJob = jobs.data?.find((j) => j.job_id === shown);
  return (
    <>
      <section id="jobs">
        <h2>{t('Training jobs')}</h2>
        <ErrorBox error={jobs.error} onRetry={reloadAll} />
        <ErrorBox error={error} />
        <form id="create-job" class="toolbar" onSubmit={createJob}>
          <div>
            <label for="job_name">{t('Job name')}</label>
            <input id="job_name" name="job_name" required pattern="[A-Za-z0-9_\-]{1,64}" />
          </div>
          <div>
            <label for="job_dataset">{t('Dataset')}</label>
            <select id="job_dataset" name="dataset_id" required>
              {(datasets.data ?? []).map((d) => (
                <option value={d.dataset_id}>{d.dataset_name}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="job_model_name">{t('Model name (optional)')}</label>
            <input id="job_model_name" name="model_name" />
          </div>
          <button type="submit">{t('Train')}</button>
        </form>
        {jobs.loading && !jobs.data ? <Loading /> : null}
        {jobs.data && jobs.data.length === 0 ? <Empty>{t('No training jobs yet.')}</Empty> : null}
        <div class="table-scroll">
          <table id="job-table">
            <tbody>
              {(jobs.data ?? []).map((j) => (
                <tr data-job={j.job_name}>
                  <td>{j.job_name}</td>
                  <td>{j.model_name}</td>
                  <td class="status">{t(j.status)}</td>
                  <td>
                    <progress max={100} value={j.progress ?? (j.status === 'Completed' ? 100 : 0)} aria-label={`${t('Progress')} ${j.job_name}`} /> <span class="progress-text">{j.progress ?? 0}%</span>
                  </td>
                  <td>{j.metrics ? `${t('accuracy')} ${pct(j.metrics.accuracy)}` : (j.error_msg ?? '')}</td>
                  <td>
                    {j.metrics ? (
                      <button type="button" class="secondary" onClick={() => setShown(j.job_id)} aria-label={`${t('Metrics')} ${j.job_name}`}>
                        {t('Metrics')}
                      </button>
                    ) : null}
                    {!FINISHED.includes(j.status) ? (
                      <button type="button" class="secondary" onClick={() => act(() => call('POST', projectPathV2(session, `/training-jobs/${j.job_id}/stop`)))}>
                        {t('Stop')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {shownJob?.metrics ? <MetricsView metrics={shownJob.metrics} title={shownJob.job_name} /> : null}
      </section>
      <section id="models">
        <h2>{t('Models')}</h2>
        <ErrorBox error={models.error} onRetry={reloadAll} />
        {models.data && models.data.length === 0 ? <Empty>{t('No models yet.')}</Empty> : null}
        <div class="table-scroll">
          <table id="model-table">
            <tbody>
              {(models.data ?? []).map((m) => (
                <tr data-model={`${m.model_name}@${m.model_version}`}>
                  <td>{m.model_name}</td>
                  <td>{m.model_version}</td>
                  <td>{m.labels.join(', ')}</td>
                  <td>{m.metrics ? `${t('accuracy')} ${pct(m.metrics.accuracy)}` : ''}</td>
                  <td>
                    <form
                      class="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        const name = ((e.target as HTMLFormElement).elements.namedItem('service_name') as HTMLInputElement).value.trim();
                        void act(() => call('POST', projectPath(session, '/services'), { json: { service_name: name, model_id: m.model_id } }));
                      }}
                    >
                      <label class="sr-only" for={`svc-${m.model_id}`}>
                        {t('Service name')}
                      </label>
                      <input id={`svc-${m.model_id}`} name="service_name" required placeholder={t('Service name')} pattern="[A-Za-z0-9_\-]{1,64}" />
                      <button type="submit" aria-label={`${t('Publish')} ${m.model_name} ${m.model_version}`}>
                        {t('Publish')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section id="services">
        <h2>{t('Services')}</h2>
        <ErrorBox error={services.error} onRetry={reloadAll} />
        {services.data && services.data.length === 0 ? <Empty>{t('No services yet.')}</Empty> : null}
        {(services.data ?? []).map((s) => {
          // A listed service names its model by id only: its name and version come from the model list.
          const model = (models.data ?? []).find((m) => m.model_id === s.model_id);
          const name = s.model_name ?? model?.model_name;
          const service = { ...s, model_name: name ?? '', model_version: s.model_version ?? model?.model_version ?? '' };
          const versions = (models.data ?? []).filter((m) => m.model_name === name);
          return <ServiceCard key={s.service_id} session={session} service={service} versions={versions} onSwitch={(modelId) => act(() => call('PUT', projectPath(session, `/services/${s.service_id}`), { json: { model_id: modelId } }))} />;
        })}
      </section>
    </>
  );
}

/** Accuracy and macro scores, per-label bars and the confusion matrix as a heat map. */
export function MetricsView({ metrics: m, title }: { metrics: Metrics; title: string }) {
  const max = Math.max(1, ...m.confusion_matrix.flat());
  return (
    <div id="metrics" aria-label={`${t('Metrics')} ${title}`}>
      <h3>
        {t('Metrics')}: {title}
      </h3>
      <p>
        {t('accuracy')} <strong id="metric-accuracy">{pct(m.accuracy)}</strong> · F1 {pct(m.f1)} · {t('precision')} {pct(m.precision)} · {t('recall')} {pct(m.recall)} · {t('train')} {m.train_count} / {t('eval')} {m.eval_count}
      </p>
      <div class="label-bars">
        {m.labels.map((l) => (
          <div class="label-bar" data-label={l.name}>
            <span>{l.name}</span>
            <div class="score-bar" role="img" aria-label={`${l.name} F1 ${pct(l.f1)}`}>
              <div style={{ width: pct(l.f1) }} />
            </div>
            <span class="muted">
              F1 {pct(l.f1)} (n={l.support})
            </span>
          </div>
        ))}
      </div>
      <div class="table-scroll">
        <table class="confusion" id="confusion">
          <caption class="muted">{t('Confusion matrix (rows: true label, columns: predicted)')}</caption>
          <thead>
            <tr>
              <th />
              {m.confusion_labels.map((l) => (
                <th scope="col">{l}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.confusion_matrix.map((row, i) => (
              <tr>
                <th scope="row">{m.confusion_labels[i]}</th>
                {row.map((n, j) => (
                  <td class={i === j ? 'diag' : ''} style={{ background: `rgba(47,111,237,${(n / max).toFixed(3)})`, color: n / max > 0.5 ? '#fff' : '#1d2330' }}>
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ServiceCard({ session, service: s, versions, onSwitch }: { session: Session; service: Service; versions: Model[]; onSwitch: (modelId: string) => void }) {
  const [state, setState] = useState<{ loading?: boolean; error?: unknown; result?: { prediction: string; thresholdList: Array<{ name: string; threshold: number }> } }>({});
  const predict = async (files: File[]) => {
    setState({ loading: true });
    try {
      const r = await call<any>('POST', projectPath(session, `/predict/${s.service_id}`), { json: { base64: await fileBase64(files[0]) } });
      setState({ result: r.body.predictResult });
    } catch (e) {
      setState({ error: e });
    }
  };
  return (
    <div class="card service" data-service-name={s.service_name}>
      <h3>{s.service_name}</h3>
      <p class="muted">
        {s.model_name} <span class="version">{s.model_version}</span> · {s.status}
      </p>
      <label for={`version-${s.service_id}`}>{t('Model version')}</label>
      <select id={`version-${s.service_id}`} value={s.model_id} onChange={(e) => onSwitch((e.target as HTMLSelectElement).value)}>
        {versions.map((m) => (
          <option value={m.model_id}>{m.model_version}</option>
        ))}
      </select>
      <DropZone id={`predict-${s.service_id}`} label={t('Try predict: drop or pick an image')} multiple={false} onFiles={predict} />
      {state.loading ? <Loading /> : null}
      <ErrorBox error={state.error} />
      {state.result ? (
        <div class="prediction">
          <p>
            {t('Prediction')}: <strong class="predicted">{state.result.prediction}</strong>
          </p>
          {[...state.result.thresholdList]
            .sort((a, b) => b.threshold - a.threshold)
            .map((p) => (
              <div class="label-bar" data-label={p.name}>
                <span>{p.name}</span>
                <div class="score-bar" role="img" aria-label={`${p.name} ${pct(p.threshold)}`}>
                  <div style={{ width: pct(p.threshold) }} />
                </div>
                <span class="muted probability">{pct(p.threshold)}</span>
              </div>
            ))}
        </div>
      ) : null}
    </div>
  );
}
