import { useRef, useState } from 'preact/hooks';
import { call, fileBase64, projectPathV2, type Session } from '../api';
import { t } from '../i18n';
import { DropZone, Empty, ErrorBox, Loading, Progress, useLoad } from '../ui';

interface DatasetView {
  dataset_id: string;
  dataset_name: string;
  dataset_type: number;
  labels: Array<{ name: string; type?: number }>;
  total_sample_count?: number;
  annotated_sample_count?: number;
  unconfirmed_sample_count?: number;
  hard_sample_count?: number;
  description?: string;
}
interface Label {
  name: string;
  type?: number;
  score?: number;
  property?: Record<string, unknown>;
}
interface SampleView {
  sample_id: string;
  sample_name: string;
  sample_status: string;
  sample_time: number;
  labels: Label[];
  metadata: Record<string, unknown>;
  hard_details?: Record<string, unknown>;
}

const PAGE = 12;
const STATES = ['', '__ALL__', '__NONE__', '__UNCHECK__'] as const;
const STATE_WORDS: Record<string, string> = { '': 'any state', __ALL__: 'labelled', __NONE__: 'unlabelled', __UNCHECK__: 'to be confirmed' };

const isHard = (s: SampleView) => s.metadata['@modelarts:hard'] === 1 || s.metadata['@modelarts:hard'] === true;
const needsReview = (s: SampleView) => s.sample_status === '__UNCHECK__' || isHard(s);

/** Confirm keeps the sample's labels as final and clears the hard flag; reject clears both. */
const review = (session: Session, datasetId: string, samples: SampleView[], accept: boolean) =>
  call('PUT', projectPathV2(session, `/datasets/${datasetId}/data-annotations/samples`), {
    json: { samples: samples.map((s) => ({ sample_id: s.sample_id, labels: accept ? s.labels : [], metadata: { '@modelarts:hard': 0 } })) },
  });

export function Datasets({ session, datasetId }: { session: Session; datasetId?: string }) {
  const list = useLoad(
    () => call<{ total_number: number; datasets: DatasetView[] }>('GET', projectPathV2(session, '/datasets'), { query: { limit: 100 } }).then((r) => r.body.datasets),
    [session.iamToken],
  );
  const [createError, setCreateError] = useState<unknown>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const name = (f.elements.namedItem('dataset_name') as HTMLInputElement).value.trim();
    const type = Number((f.elements.namedItem('dataset_type') as HTMLSelectElement).value);
    const labels = (f.elements.namedItem('labels') as HTMLInputElement).value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((name) => ({ name, type }));
    setCreateError(null);
    try {
      const r = await call<{ dataset_id: string }>('POST', projectPathV2(session, '/datasets'), {
        json: { dataset_name: name, dataset_type: type, labels, data_sources: [{ data_type: 0, data_path: `/console/${name}/input/` }], work_path: `/console/${name}/output/` },
      });
      f.reset();
      list.reload();
      location.hash = `#/datasets/${r.body.dataset_id}`;
    } catch (err) {
      setCreateError(err);
    }
  };
  return (
    <>
      <section id="datasets">
        <h2>{t('Datasets')}</h2>
        <ErrorBox error={list.error} onRetry={list.reload} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data && list.data.length === 0 ? <Empty>{t('No datasets yet.')}</Empty> : null}
        <div class="cards">
          {(list.data ?? []).map((d) => (
            <div class={`card${d.dataset_id === datasetId ? ' selected' : ''}`} data-dataset={d.dataset_name}>
              <h3>{d.dataset_name}</h3>
              <p class="muted">{d.dataset_type === 1 ? t('object detection') : t('image classification')}</p>
              <p class="muted">{d.labels.map((l) => l.name).join(', ') || '—'}</p>
              <a href={`#/datasets/${d.dataset_id}`} aria-label={`${t('Open')} ${d.dataset_name}`}>
                {t('Open')}
              </a>
            </div>
          ))}
        </div>
        <form id="create-dataset" class="toolbar" onSubmit={create}>
          <div>
            <label for="dataset_name">{t('Name')}</label>
            <input id="dataset_name" name="dataset_name" required pattern="[A-Za-z0-9_\-]{1,100}" />
          </div>
          <div>
            <label for="dataset_type">{t('Type')}</label>
            <select id="dataset_type" name="dataset_type">
              <option value="0">{t('image classification')}</option>
              <option value="1">{t('object detection')}</option>
            </select>
          </div>
          <div>
            <label for="dataset_labels">{t('Labels (comma-separated)')}</label>
            <input id="dataset_labels" name="labels" placeholder="cat,dog" />
          </div>
          <button type="submit">{t('Create dataset')}</button>
        </form>
        <ErrorBox error={createError} />
      </section>
      {datasetId ? <Dataset key={datasetId} session={session} datasetId={datasetId} onChanged={list.reload} /> : null}
    </>
  );
}

function Dataset({ session, datasetId, onChanged }: { session: Session; datasetId: string; onChanged: () => void }) {
  const ds = useLoad(() => call<DatasetView>('GET', projectPathV2(session, `/datasets/${datasetId}`)).then((r) => r.body), [datasetId, session.iamToken]);
  const [filters, setFilters] = useState({ label: '', state: '', hard: false });
  const [page, setPage] = useState(0);
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [actionError, setActionError] = useState<unknown>(null);
  const samples = useLoad(async () => {
    const r = await call<{ sample_count: number; samples: SampleView[] }>('GET', projectPathV2(session, `/datasets/${datasetId}/data-annotations/samples`), {
      query: { offset: page, limit: PAGE, label_name: filters.label || undefined, sample_state: filters.state || undefined, only_hard: filters.hard ? 'true' : undefined },
    });
    // The list has no URLs: each sample's presigned URL comes from its show.
    const urls = await Promise.all(
      r.body.samples.map((s) =>
        call<{ url: string }>('GET', projectPathV2(session, `/datasets/${datasetId}/data-annotations/samples/${s.sample_id}`)).then(
          (x) => x.body.url,
          () => '',
        ),
      ),
    );
    return { count: r.body.sample_count, samples: r.body.samples.map((s, i) => ({ ...s, url: urls[i] })) };
  }, [datasetId, page, filters, session.iamToken]);
  const refresh = () => {
    samples.reload();
    ds.reload();
    onChanged();
  };
  const act = async (fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
      setSelection(new Set());
      refresh();
    } catch (e) {
      setActionError(e);
    }
  };
  const rows = samples.data?.samples ?? [];
  const chosen = rows.filter((s) => selection.has(s.sample_id));
  const d = ds.data;
  return (
    <>
      <section id="dataset" aria-labelledby="dataset-title">
        <ErrorBox error={ds.error} onRetry={ds.reload} />
        {d ? (
          <>
            <h2 id="dataset-title">{d.dataset_name}</h2>
            <dl class="counts" id="dataset-counts">
              <div>
                <dt>{t('samples')}</dt>
                <dd data-count="total">{d.total_sample_count ?? 0}</dd>
              </div>
              <div>
                <dt>{t('labelled')}</dt>
                <dd data-count="annotated">{d.annotated_sample_count ?? 0}</dd>
              </div>
              <div>
                <dt>{t('to be confirmed')}</dt>
                <dd data-count="unconfirmed">{d.unconfirmed_sample_count ?? 0}</dd>
              </div>
              <div>
                <dt>{t('hard')}</dt>
                <dd data-count="hard">{d.hard_sample_count ?? 0}</dd>
              </div>
            </dl>
          </>
        ) : (
          <Loading />
        )}
        <div class="toolbar">
          <div>
            <label for="filter-label">{t('Label')}</label>
            <select id="filter-label" value={filters.label} onChange={(e) => (setPage(0), setFilters({ ...filters, label: (e.target as HTMLSelectElement).value }))}>
              <option value="">{t('any label')}</option>
              {(d?.labels ?? []).map((l) => (
                <option value={l.name}>{l.name}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="filter-state">{t('State')}</label>
            <select id="filter-state" value={filters.state} onChange={(e) => (setPage(0), setFilters({ ...filters, state: (e.target as HTMLSelectElement).value }))}>
              {STATES.map((s) => (
                <option value={s}>{t(STATE_WORDS[s])}</option>
              ))}
            </select>
          </div>
          <label class="inline">
            <input type="checkbox" id="filter-hard" checked={filters.hard} onChange={(e) => (setPage(0), setFilters({ ...filters, hard: (e.target as HTMLInputElement).checked }))} />
            {t('hard only')}
          </label>
          <label class="inline">
            <input
              type="checkbox"
              id="select-samples"
              checked={rows.length > 0 && rows.every((s) => selection.has(s.sample_id))}
              onChange={(e) => setSelection((e.target as HTMLInputElement).checked ? new Set(rows.map((s) => s.sample_id)) : new Set())}
            />
            {t('Select all on this page')}
          </label>
          <button type="button" id="confirm-selected" disabled={chosen.length === 0} onClick={() => act(() => review(session, datasetId, chosen, true))}>
            {t('Confirm selected')} ({chosen.length})
          </button>
          <button type="button" id="reject-selected" class="danger" disabled={chosen.length === 0} onClick={() => act(() => review(session, datasetId, chosen, false))}>
            {t('Reject selected')} ({chosen.length})
          </button>
        </div>
        <ErrorBox error={samples.error} onRetry={samples.reload} />
        <ErrorBox error={actionError} />
        {samples.loading && !samples.data ? <Loading /> : null}
        {samples.data && rows.length === 0 ? <Empty>{t('No samples match.')}</Empty> : null}
        <div class="grid" id="sample-grid">
          {rows.map((s) => (
            <SampleTile
              key={s.sample_id}
              sample={s}
              labels={d?.labels ?? []}
              selected={selection.has(s.sample_id)}
              onSelect={(on) => {
                const n = new Set(selection);
                on ? n.add(s.sample_id) : n.delete(s.sample_id);
                setSelection(n);
              }}
              onLabels={(names) =>
                act(() =>
                  call('PUT', projectPathV2(session, `/datasets/${datasetId}/data-annotations/samples`), {
                    json: { samples: [{ sample_id: s.sample_id, labels: names.map((name) => ({ name, type: 0 })) }] },
                  }),
                )
              }
              onReview={(accept) => act(() => review(session, datasetId, [s], accept))}
            />
          ))}
        </div>
        {samples.data && (page > 0 || (page + 1) * PAGE < samples.data.count) ? (
          <div class="toolbar" role="navigation" aria-label={t('Page')}>
            <button type="button" class="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
              {t('Previous')}
            </button>
            <span class="muted">
              {page + 1} / {Math.ceil(samples.data.count / PAGE)}
            </span>
            <button type="button" class="secondary" disabled={(page + 1) * PAGE >= samples.data.count} onClick={() => setPage(page + 1)}>
              {t('Next')}
            </button>
          </div>
        ) : null}
      </section>
      <SampleUpload session={session} datasetId={datasetId} onDone={refresh} />
    </>
  );
}

/** Detection boxes (`bndbox`) of a sample, in the image's pixels (`@modelarts:size`). */
function boxesOf(s: SampleView): { viewBox: string; boxes: Array<{ name: string; x: number; y: number; w: number; h: number }> } | null {
  const size = s.metadata['@modelarts:size'] as number[] | undefined;
  if (!Array.isArray(size) || !(size[0] > 0) || !(size[1] > 0)) return null;
  const boxes = s.labels.flatMap((l) => {
    const p = l.property ?? {};
    const f = p['@modelarts:feature'] as number[][] | undefined;
    if (p['@modelarts:shape'] !== 'bndbox' || !Array.isArray(f) || f.length !== 2) return [];
    return [{ name: l.name, x: f[0][0], y: f[0][1], w: f[1][0] - f[0][0], h: f[1][1] - f[0][1] }];
  });
  return boxes.length ? { viewBox: `0 0 ${size[0]} ${size[1]}`, boxes } : null;
}

function SampleTile(props: {
  sample: SampleView & { url: string };
  labels: Array<{ name: string }>;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onLabels: (names: string[]) => void;
  onReview: (accept: boolean) => void;
}) {
  const s = props.sample;
  const overlay = boxesOf(s);
  const names = [...new Set(s.labels.map((l) => l.name))];
  const editRef = useRef<HTMLSelectElement>(null);
  return (
    <article class="tile" data-sample={s.sample_name} aria-label={s.sample_name}>
      <div class="thumb">
        {s.url ? <img src={s.url} alt={s.sample_name} loading="lazy" /> : null}
        {overlay ? (
          <svg viewBox={overlay.viewBox} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
            {overlay.boxes.map((b) => (
              <g class="box">
                <rect x={b.x} y={b.y} width={b.w} height={b.h} fill="none" stroke="#f5b400" stroke-width="3" vector-effect="non-scaling-stroke" />
                <text x={b.x + 4} y={b.y + 4} dominant-baseline="hanging" fill="#f5b400" font-size={Math.max(12, Number(overlay.viewBox.split(' ')[3]) / 20)}>
                  {b.name}
                </text>
              </g>
            ))}
          </svg>
        ) : null}
      </div>
      <div class="meta">
        <strong class="name">{s.sample_name}</strong>
        <span>
          {t('Labels')}: <span class="labels">{names.join(', ') || '—'}</span>
        </span>
        <span class="muted state">
          {t(STATE_WORDS[s.sample_status] ?? s.sample_status)}
          {isHard(s) ? <span class="badge"> · {t('hard')}</span> : null}
        </span>
      </div>
      <div class="actions">
        <label class="inline">
          <input type="checkbox" checked={props.selected} onChange={(e) => props.onSelect((e.target as HTMLInputElement).checked)} aria-label={`${t('Select')} ${s.sample_name}`} />
          {t('Select')}
        </label>
        {needsReview(s) ? (
          <>
            <button type="button" onClick={() => props.onReview(true)} aria-label={`${t('Confirm')} ${s.sample_name}`}>
              {t('Confirm')}
            </button>
            <button type="button" class="danger" onClick={() => props.onReview(false)} aria-label={`${t('Reject')} ${s.sample_name}`}>
              {t('Reject')}
            </button>
          </>
        ) : null}
      </div>
      {props.labels.length ? (
        <form
          class="actions"
          onSubmit={(e) => {
            e.preventDefault();
            props.onLabels([...editRef.current!.selectedOptions].map((o) => o.value));
          }}
        >
          <label class="sr-only" for={`labels-${s.sample_id}`}>
            {t('Labels')} {s.sample_name}
          </label>
          <select id={`labels-${s.sample_id}`} ref={editRef} multiple size={Math.min(3, props.labels.length)} class="label-select">
            {props.labels.map((l) => (
              <option value={l.name} selected={names.includes(l.name)}>
                {l.name}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary" aria-label={`${t('Set labels')} ${s.sample_name}`}>
            {t('Set labels')}
          </button>
        </form>
      ) : null}
    </article>
  );
}

function SampleUpload({ session, datasetId, onDone }: { session: Session; datasetId: string; onDone: () => void }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<Array<{ name: string; ok: boolean; text: string }>>([]);
  const upload = async (files: File[]) => {
    setResults([]);
    setProgress({ done: 0, total: files.length });
    const out: Array<{ name: string; ok: boolean; text: string }> = [];
    // Batches of 5 (the API takes up to 100; small batches keep the progress moving).
    for (let i = 0; i < files.length; i += 5) {
      const batch = files.slice(i, i + 5);
      try {
        const samples = await Promise.all(batch.map(async (f) => ({ name: f.name, data: await fileBase64(f) })));
        const r = await call<{ results: Array<{ success: boolean; name?: string; info?: string; error_code?: string; error_msg?: string }> }>(
          'POST',
          projectPathV2(session, `/datasets/${datasetId}/data-annotations/samples`),
          { json: { samples } },
        );
        batch.forEach((f, j) => {
          const res = r.body.results[j];
          out.push(res?.success ? { name: f.name, ok: true, text: t('added') } : { name: f.name, ok: false, text: `${res?.error_msg ?? 'refused'} (${res?.error_code ?? ''})` });
        });
      } catch (e) {
        for (const f of batch) out.push({ name: f.name, ok: false, text: (e as Error).message });
      }
      setResults([...out]);
      setProgress({ done: Math.min(files.length, i + batch.length), total: files.length });
    }
    onDone();
  };
  return (
    <section id="sample-upload" aria-labelledby="sample-upload-title">
      <h2 id="sample-upload-title">{t('Upload samples')}</h2>
      <DropZone id="sample-files" label={t('Drop images here or pick files')} multiple onFiles={upload} />
      {progress ? <Progress done={progress.done} total={progress.total} label={t('Upload')} /> : null}
      <ul class="results" id="sample-results" aria-live="polite">
        {results.map((r) => (
          <li class={r.ok ? 'ok' : 'bad'} data-file={r.name}>
            {r.name}: {r.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
