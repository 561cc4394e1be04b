import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, fileBase64, projectPath, type Session } from '../api';
import { t } from '../i18n';
import { overlayOf, type HitGeometry, type Overlay } from '../overlay';
import { DropZone, Empty, ErrorBox, Loading, Progress, useLoad } from '../ui';

export const KINDS = ['same_hq', 'similar', 'product', 'picturebook', 'materiel'] as const;
type Kind = (typeof KINDS)[number];

/** REST path prefix of each kind, as Baidu's SDKs call them. */
const KIND_PATHS: Record<Kind, string> = {
  same_hq: '/rest/2.0/realtime_search/same_hq',
  similar: '/rest/2.0/image-classify/v1/realtime_search/similar',
  product: '/rest/2.0/image-classify/v1/realtime_search/product',
  picturebook: '/rest/2.0/imagesearch/v1/realtime_search/picturebook',
  materiel: '/rest/2.0/image-classify/v1/realtime_search/materiel',
};

interface LibraryView {
  kind: Kind;
  capacity: number;
  image_count: number;
  create_date: string;
}
interface ImageView {
  cont_sign: string;
  brief: string;
  tags: number[];
  class_id1?: number;
  class_id2?: number;
  width?: number;
  height?: number;
  create_date: string;
  image_url: string;
  /** At most 320 px; the same aspect as the image, so overlays in the image's pixels still fit. */
  thumbnail_url?: string;
}
interface Hit extends HitGeometry {
  cont_sign: string;
  score: number;
  brief: string;
}

const PAGE = 24;

const baidu = (session: Session, kind: Kind, op: string, form: Record<string, string | undefined>) =>
  call<any>('POST', `${KIND_PATHS[kind]}/${op}`, { form, auth: 'baidu', session }).then((r) => r.body);

/** Labels of a kind: tags ("1,2") for most, class ids for product. */
const labelsOf = (kind: Kind, i: Pick<ImageView, 'tags' | 'class_id1' | 'class_id2'>) =>
  kind === 'product' ? [i.class_id1, i.class_id2].filter((x) => x !== undefined).join(',') : i.tags.join(',');
const labelForm = (kind: Kind, text: string): Record<string, string | undefined> => {
  if (kind !== 'product') return { tags: text.trim() };
  const [a, b] = text.split(',').map((s) => s.trim());
  return { class_id1: a || undefined, class_id2: b || undefined };
};

/** A refusal of one upload, in words. */
export function uploadOutcome(e: unknown): string {
  if (e instanceof ApiError && String(e.code) === '216681') return `${t('duplicate')}: ${t('already in the library')} (216681)`;
  if (e instanceof ApiError) return e.code !== undefined ? `${e.message} (${e.code})` : e.message;
  return String((e as Error)?.message ?? e);
}

export function Libraries({ session, kind }: { session: Session; kind?: string }) {
  const libs = useLoad(() => call<{ libraries: LibraryView[] }>('GET', projectPath(session, '/image-libraries')).then((r) => r.body.libraries), [session.iamToken]);
  const [busy, setBusy] = useState<unknown>(null);
  const selected = KINDS.find((k) => k === kind);
  const create = async (k: Kind) => {
    setBusy(null);
    try {
      await call('POST', projectPath(session, '/image-libraries'), { json: { kind: k } });
      libs.reload();
    } catch (e) {
      setBusy(e);
    }
  };
  const lib = libs.data?.find((l) => l.kind === selected);
  return (
    <>
      <section id="libraries">
        <h2>{t('Image libraries')}</h2>
        <ErrorBox error={libs.error} onRetry={libs.reload} />
        <ErrorBox error={busy} />
        {libs.loading && !libs.data ? <Loading /> : null}
        {libs.data ? (
          <div class="cards">
            {KINDS.map((k) => {
              const l = libs.data!.find((x) => x.kind === k);
              return (
                <div class={`card${k === selected ? ' selected' : ''}`} data-kind={k}>
                  <h3>{t(k)}</h3>
                  <p class="muted">
                    <code>{k}</code>
                  </p>
                  {l ? (
                    <>
                      <p class="count">
                        <span data-count>{l.image_count}</span> / {l.capacity.toLocaleString()} {t('images')}
                      </p>
                      <a href={`#/libraries/${k}`} aria-label={`${t('Open')} ${t(k)}`}>
                        {t('Open')}
                      </a>
                    </>
                  ) : (
                    <>
                      <p class="muted">{t('not created')}</p>
                      <button type="button" onClick={() => create(k)} aria-label={`${t('Create library')} ${k}`}>
                        {t('Create')}
                      </button>
                    </>
                  )}
                </div>
              );
            })}
          </div>
        ) : null}
      </section>
      {selected && lib ? <Library session={session} kind={selected} onChanged={libs.reload} /> : null}
    </>
  );
}

function Library({ session, kind, onChanged }: { session: Session; kind: Kind; onChanged: () => void }) {
  const [offset, setOffset] = useState(0);
  const [filter, setFilter] = useState('');
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const filterRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setOffset(0);
    setSelection(new Set());
  }, [kind]);
  const grid = useLoad(
    () =>
      call<{ image_count: number; has_more: boolean; images: ImageView[] }>('GET', projectPath(session, `/image-libraries/${kind}/images`), {
        query: { offset, limit: PAGE, ...(kind === 'product' ? labelForm(kind, filter) : { tags: filter }) },
      }).then((r) => r.body),
    [kind, offset, filter, session.iamToken],
  );
  const changed = () => {
    grid.reload();
    onChanged();
  };
  const remove = async (signs: string[]) => {
    setActionError(null);
    if (!confirm(`${t('Delete')} ${signs.length}?`)) return;
    try {
      await baidu(session, kind, 'delete', { cont_sign: signs.join(';') });
      setSelection(new Set());
      setNotice(`${signs.length} ${t('deleted')}`);
      changed();
    } catch (e) {
      setActionError(e);
    }
  };
  const images = grid.data?.images ?? [];
  return (
    <>
      <section id="library" aria-labelledby="library-title">
        <h2 id="library-title">
          {t(kind)} <code>{kind}</code>
        </h2>
        <form
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setOffset(0);
            setFilter(filterRef.current!.value.trim());
          }}
        >
          <div>
            <label for="grid-filter">{kind === 'product' ? t('Class ids') : t('Filter the grid by tags')}</label>
            <input id="grid-filter" ref={filterRef} placeholder="1,2" />
          </div>
          <button type="submit" class="secondary">
            {t('Apply')}
          </button>
          <button type="button" class="danger" id="delete-selected" disabled={selection.size === 0} onClick={() => remove([...selection])}>
            {t('Delete selected')} ({selection.size})
          </button>
          <label class="inline">
            <input
              type="checkbox"
              id="select-page"
              checked={images.length > 0 && images.every((i) => selection.has(i.cont_sign))}
              onChange={(e) => setSelection((e.target as HTMLInputElement).checked ? new Set(images.map((i) => i.cont_sign)) : new Set())}
            />
            {t('Select all on this page')}
          </label>
        </form>
        <ErrorBox error={grid.error} onRetry={grid.reload} />
        <ErrorBox error={actionError} />
        {notice ? (
          <p class="ok" role="status">
            {notice}
          </p>
        ) : null}
        {grid.loading && !grid.data ? <Loading /> : null}
        {grid.data && images.length === 0 ? <Empty>{t('No images yet.')}</Empty> : null}
        <div class="grid" id="image-grid">
          {images.map((img) => (
            <ImageTile
              key={img.cont_sign}
              session={session}
              kind={kind}
              image={img}
              selected={selection.has(img.cont_sign)}
              onSelect={(on) => {
                const s = new Set(selection);
                on ? s.add(img.cont_sign) : s.delete(img.cont_sign);
                setSelection(s);
              }}
              onDelete={() => remove([img.cont_sign])}
              onSaved={() => {
                setNotice(t('saved'));
                grid.reload();
              }}
            />
          ))}
        </div>
        {grid.data && (offset > 0 || grid.data.has_more) ? (
          <div class="toolbar" role="navigation" aria-label={t('Page')}>
            <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('Previous')}
            </button>
            <span class="muted">
              {offset + 1}–{offset + images.length}
            </span>
            <button type="button" class="secondary" disabled={!grid.data.has_more} onClick={() => setOffset(offset + PAGE)}>
              {t('Next')}
            </button>
          </div>
        ) : null}
      </section>
      <Upload session={session} kind={kind} onDone={changed} />
      <SearchByPhoto session={session} kind={kind} />
    </>
  );
}

function ImageTile(props: { session: Session; kind: Kind; image: ImageView; selected: boolean; onSelect: (on: boolean) => void; onDelete: () => void; onSaved: () => void }) {
  const { image: img, kind } = props;
  const [editing, setEditing] = useState(false);
  // The draft lives in state, not in the DOM: the grid reloads under an open form (after an upload,
  // a delete, another tile's save), and an input bound to the stored brief would be reset to it.
  const [draft, setDraft] = useState({ brief: '', labels: '' });
  const [error, setError] = useState<unknown>(null);
  const edit = () => {
    setDraft({ brief: img.brief, labels: labelsOf(kind, img) });
    setEditing(true);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const { brief, labels } = draft;
    setError(null);
    try {
      await baidu(props.session, kind, 'update', { cont_sign: img.cont_sign, brief, ...labelForm(kind, labels) });
      setEditing(false);
      props.onSaved();
    } catch (err) {
      setError(err);
    }
  };
  const id = img.cont_sign.replace(',', '-');
  return (
    <article class="tile" data-cont-sign={img.cont_sign} aria-label={img.brief || img.cont_sign}>
      <div class="thumb">
        <a href={img.image_url} target="_blank" rel="noopener" aria-label={`${t('Open the image')} ${img.brief || img.cont_sign}`}>
          <img src={img.thumbnail_url ?? img.image_url} alt={img.brief} loading="lazy" />
        </a>
      </div>
      <div class="meta">
        <strong class="brief">{img.brief}</strong>
        <span>
          {kind === 'product' ? t('Class ids') : t('Tags')}: <span class="labels">{labelsOf(kind, img) || '—'}</span>
        </span>
        <code class="cont-sign">{img.cont_sign}</code>
        <span class="muted">{new Date(img.create_date).toLocaleString()}</span>
      </div>
      <ErrorBox error={error} />
      {editing ? (
        <form class="meta edit" onSubmit={save}>
          <label for={`brief-${id}`}>{t('Brief')}</label>
          <input id={`brief-${id}`} name="brief" value={draft.brief} onInput={(e) => setDraft({ ...draft, brief: (e.target as HTMLInputElement).value })} maxLength={256} />
          <label for={`labels-${id}`}>{kind === 'product' ? t('Class ids') : t('Tags')}</label>
          <input id={`labels-${id}`} name="labels" value={draft.labels} onInput={(e) => setDraft({ ...draft, labels: (e.target as HTMLInputElement).value })} placeholder="1,2" />
          <div class="actions">
            <button type="submit">{t('Save')}</button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              {t('Cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div class="actions">
          <label class="inline">
            <input type="checkbox" checked={props.selected} onChange={(e) => props.onSelect((e.target as HTMLInputElement).checked)} aria-label={`${t('Select')} ${img.brief || img.cont_sign}`} />
            {t('Select')}
          </label>
          <button type="button" class="secondary" onClick={edit} aria-label={`${t('Edit')} ${img.brief || img.cont_sign}`}>
            {t('Edit')}
          </button>
          <button type="button" class="danger" onClick={props.onDelete} aria-label={`${t('Delete')} ${img.brief || img.cont_sign}`}>
            {t('Delete')}
          </button>
        </div>
      )}
    </article>
  );
}

function Upload({ session, kind, onDone }: { session: Session; kind: Kind; onDone: () => void }) {
  const [labels, setLabels] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<Array<{ name: string; ok: boolean; text: string }>>([]);
  const upload = async (files: File[]) => {
    setResults([]);
    setProgress({ done: 0, total: files.length });
    const out: Array<{ name: string; ok: boolean; text: string }> = [];
    for (const [i, file] of files.entries()) {
      try {
        const image = await fileBase64(file);
        const r = await baidu(session, kind, 'add', { image, brief: file.name.slice(0, 200), ...labelForm(kind, labels) });
        out.push({ name: file.name, ok: true, text: `${t('added')} (${r.cont_sign})` });
      } catch (e) {
        out.push({ name: file.name, ok: false, text: uploadOutcome(e) });
      }
      setResults([...out]);
      setProgress({ done: i + 1, total: files.length });
    }
    onDone();
  };
  return (
    <section id="upload" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('Upload images')}</h2>
      <label for="upload-labels">{kind === 'product' ? t('Class ids') : t('Tags for the uploads (e.g. 1,2)')}</label>
      <input id="upload-labels" value={labels} onInput={(e) => setLabels((e.target as HTMLInputElement).value)} placeholder="1,2" />
      <DropZone id="upload-files" label={t('Drop images here or pick files')} multiple onFiles={upload} />
      {progress ? <Progress done={progress.done} total={progress.total} label={t('Upload')} /> : null}
      <ul class="results" id="upload-results" aria-live="polite">
        {results.map((r) => (
          <li class={r.ok ? 'ok' : 'bad'} data-file={r.name}>
            {r.name}: {r.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SearchByPhoto({ session, kind }: { session: Session; kind: Kind }) {
  const [labels, setLabels] = useState('');
  const [logic, setLogic] = useState('0');
  const [state, setState] = useState<{ loading?: boolean; error?: unknown; hits?: Array<{ hit: Hit; image?: ImageView }>; preview?: string }>({});
  const search = async (files: File[]) => {
    const file = files[0];
    setState({ loading: true, preview: URL.createObjectURL(file) });
    try {
      const image = await fileBase64(file);
      const r = await baidu(session, kind, 'search', { image, ...labelForm(kind, labels), ...(kind === 'product' ? {} : { tag_logic: logic }), rn: '12' });
      const hits: Hit[] = r.result ?? [];
      const byId = new Map<string, ImageView>();
      if (hits.length) {
        const listed = await call<{ images: ImageView[] }>('GET', projectPath(session, `/image-libraries/${kind}/images`), { query: { cont_sign: hits.map((h) => h.cont_sign).join(';') } });
        for (const i of listed.body.images) byId.set(i.cont_sign, i);
      }
      setState((s) => ({ preview: s.preview, hits: hits.map((hit) => ({ hit, image: byId.get(hit.cont_sign) })) }));
    } catch (e) {
      setState((s) => ({ preview: s.preview, error: e }));
    }
  };
  return (
    <section id="search" aria-labelledby="search-title">
      <h2 id="search-title">{t('Search by photo')}</h2>
      <div class="row">
        <div>
          <label for="search-labels">{kind === 'product' ? t('Class ids') : t('Filter by tags (e.g. 1,2)')}</label>
          <input id="search-labels" value={labels} onInput={(e) => setLabels((e.target as HTMLInputElement).value)} placeholder="1,2" />
        </div>
        {kind === 'product' ? null : (
          <div>
            <label for="search-logic">{t('Tag logic')}</label>
            <select id="search-logic" value={logic} onChange={(e) => setLogic((e.target as HTMLSelectElement).value)}>
              <option value="0">{t('and')}</option>
              <option value="1">{t('or')}</option>
            </select>
          </div>
        )}
      </div>
      <DropZone id="search-file" label={t('Pick a photo to search')} multiple={false} onFiles={search} />
      {state.loading ? <Loading /> : null}
      <ErrorBox error={state.error} />
      {state.hits ? (
        <>
          <h3>{t('Hits')}</h3>
          {state.hits.length === 0 ? <Empty>{t('No hits.')}</Empty> : null}
          <div class="grid" id="hits">
            {state.hits.map(({ hit, image }, i) => (
              <HitTile hit={hit} image={image} rank={i + 1} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}

function HitTile({ hit, image, rank }: { hit: Hit; image?: ImageView; rank: number }) {
  const overlay: Overlay | null = overlayOf(hit, image);
  return (
    <article class="tile hit" data-cont-sign={hit.cont_sign} data-rank={rank} aria-label={`#${rank} ${hit.brief}`}>
      <div class="thumb">
        {image ? <img src={image.thumbnail_url ?? image.image_url} alt={hit.brief} /> : null}
        {overlay ? (
          <svg viewBox={overlay.viewBox} preserveAspectRatio="xMidYMid meet" class="overlay" aria-hidden="true">
            {overlay.shapes.map((s) =>
              s.kind === 'polygon' ? (
                <polygon class="region" points={s.points} fill="rgba(47,111,237,.15)" stroke="#f5b400" stroke-width="3" vector-effect="non-scaling-stroke" />
              ) : (
                <rect class="subject" x={s.x} y={s.y} width={s.width} height={s.height} fill="none" stroke="#f5b400" stroke-width="3" vector-effect="non-scaling-stroke" />
              ),
            )}
          </svg>
        ) : null}
      </div>
      <div class="meta">
        <strong class="brief">
          #{rank} {hit.brief}
        </strong>
        <span>
          {t('score')}: <span class="score">{hit.score.toFixed(3)}</span>
        </span>
        <div class="score-bar" role="img" aria-label={`${t('score')} ${hit.score.toFixed(3)}`}>
          <div style={{ width: `${Math.max(0, Math.min(1, hit.score)) * 100}%` }} />
        </div>
        <code class="cont-sign">{hit.cont_sign}</code>
      </div>
    </article>
  );
}
