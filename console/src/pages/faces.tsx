import { useState } from 'preact/hooks';
import { call, fileBase64, projectPathV2, type Session } from '../api';
import { t } from '../i18n';
import { DropZone, Empty, ErrorBox, Loading, useLoad } from '../ui';

type FieldType = 'long' | 'integer' | 'boolean' | 'string' | 'double' | 'float';
const FIELD_TYPES: FieldType[] = ['string', 'integer', 'long', 'double', 'float', 'boolean'];
interface FaceSetInfo {
  face_set_name: string;
  face_set_id: string;
  create_date: string;
  face_set_capacity: number;
  face_number: number;
  external_fields: Record<string, { type: FieldType }>;
}
interface Box {
  top_left_x: number;
  top_left_y: number;
  width: number;
  height: number;
}
interface Face {
  face_id: string;
  external_image_id: string;
  external_fields: Record<string, unknown>;
  bounding_box: Box;
  similarity?: number;
  /** The photo the face was added from (with_image_url, an Iris addition). */
  image_url?: string;
}

const base = (s: Session, rest = '') => projectPathV2(s, `/face-sets${rest}`);

/** A field's text from the form, as its declared type. */
function fieldValue(type: FieldType, text: string): unknown {
  if (text === '') return undefined;
  if (type === 'boolean') return text === 'true';
  if (type === 'string') return text;
  return Number(text);
}

export function Faces({ session, name }: { session: Session; name?: string }) {
  const sets = useLoad(() => call<{ face_sets_info: FaceSetInfo[] }>('GET', base(session)).then((r) => r.body.face_sets_info), [session.iamToken]);
  const [fields, setFields] = useState<Array<{ key: string; type: FieldType }>>([]);
  const [error, setError] = useState<unknown>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const setName = (f.elements.namedItem('face_set_name') as HTMLInputElement).value.trim();
    setError(null);
    try {
      await call('POST', base(session), {
        json: { face_set_name: setName, external_fields: Object.fromEntries(fields.filter((x) => x.key).map((x) => [x.key, { type: x.type }])) },
      });
      f.reset();
      setFields([]);
      sets.reload();
      location.hash = `#/faces/${encodeURIComponent(setName)}`;
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (setName: string) => {
    if (!confirm(`${t('Delete')} ${setName}?`)) return;
    setError(null);
    try {
      await call('DELETE', base(session, `/${encodeURIComponent(setName)}`));
      sets.reload();
      if (name === setName) location.hash = '#/faces';
    } catch (err) {
      setError(err);
    }
  };
  const current = sets.data?.find((s) => s.face_set_name === name);
  return (
    <>
      <section id="face-sets">
        <h2>{t('Face sets')}</h2>
        <ErrorBox error={sets.error} onRetry={sets.reload} />
        <ErrorBox error={error} />
        {sets.loading && !sets.data ? <Loading /> : null}
        {sets.data && sets.data.length === 0 ? <Empty>{t('No face sets yet.')}</Empty> : null}
        <div class="cards">
          {(sets.data ?? []).map((s) => (
            <div class={`card${s.face_set_name === name ? ' selected' : ''}`} data-face-set={s.face_set_name}>
              <h3>{s.face_set_name}</h3>
              <p class="count">
                <span data-count>{s.face_number}</span> / {s.face_set_capacity.toLocaleString()} {t('faces')}
              </p>
              <p class="muted">{Object.entries(s.external_fields).map(([k, v]) => `${k}: ${v.type}`).join(', ') || t('no fields')}</p>
              <div class="actions">
                <a href={`#/faces/${encodeURIComponent(s.face_set_name)}`} aria-label={`${t('Open')} ${s.face_set_name}`}>
                  {t('Open')}
                </a>{' '}
                <button type="button" class="danger" onClick={() => remove(s.face_set_name)} aria-label={`${t('Delete')} ${s.face_set_name}`}>
                  {t('Delete')}
                </button>
              </div>
            </div>
          ))}
        </div>
        <form id="create-face-set" onSubmit={create}>
          <h3>{t('Create face set')}</h3>
          <label for="face_set_name">{t('Name')}</label>
          <input id="face_set_name" name="face_set_name" required maxLength={64} pattern="[^/ ]+" />
          <fieldset class="fields">
            <legend>{t('External fields')}</legend>
            {fields.map((f, i) => (
              <div class="toolbar field-row">
                <div>
                  <label for={`field-key-${i}`}>{t('Field name')}</label>
                  <input id={`field-key-${i}`} value={f.key} onInput={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, key: (e.target as HTMLInputElement).value } : x)))} />
                </div>
                <div>
                  <label for={`field-type-${i}`}>{t('Type')}</label>
                  <select id={`field-type-${i}`} value={f.type} onChange={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, type: (e.target as HTMLSelectElement).value as FieldType } : x)))}>
                    {FIELD_TYPES.map((ty) => (
                      <option value={ty}>{ty}</option>
                    ))}
                  </select>
                </div>
                <button type="button" class="secondary" onClick={() => setFields(fields.filter((_, j) => j !== i))} aria-label={`${t('Remove field')} ${i + 1}`}>
                  {t('Remove field')}
                </button>
              </div>
            ))}
            <button type="button" class="secondary" id="add-field" disabled={fields.length >= 10} onClick={() => setFields([...fields, { key: '', type: 'string' }])}>
              {t('Add field')}
            </button>
          </fieldset>
          <button type="submit">{t('Create face set')}</button>
        </form>
      </section>
      {current ? <FaceSet key={current.face_set_name} session={session} set={current} onChanged={sets.reload} /> : null}
    </>
  );
}

/** A photo with face boxes drawn in its own pixels. */
function BoxedPhoto({ src, boxes, size, id }: { src: string; boxes: Array<Box & { label?: string }>; size: { width: number; height: number } | null; id: string }) {
  return (
    <div class="thumb photo" id={id}>
      <img src={src} alt={t('photo')} />
      {size ? (
        <svg viewBox={`0 0 ${size.width} ${size.height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
          {boxes.map((b) => (
            <g class="face-box">
              <rect x={b.top_left_x} y={b.top_left_y} width={b.width} height={b.height} fill="none" stroke="#f5b400" stroke-width="3" vector-effect="non-scaling-stroke" />
              {b.label ? (
                <text x={b.top_left_x} y={b.top_left_y - 4} fill="#f5b400" font-size={Math.max(14, size.width / 40)}>
                  {b.label}
                </text>
              ) : null}
            </g>
          ))}
        </svg>
      ) : null}
    </div>
  );
}

const imageSize = (src: string) =>
  new Promise<{ width: number; height: number }>((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error(t('the file is not an image the browser can show')));
    img.src = src;
  });

function FaceSet({ session, set, onChanged }: { session: Session; set: FaceSetInfo; onChanged: () => void }) {
  const path = (rest: string) => base(session, `/${encodeURIComponent(set.face_set_name)}${rest}`);
  const [offset, setOffset] = useState(0);
  const faces = useLoad(() => call<{ faces: Face[] }>('GET', path('/faces'), { query: { offset, limit: 12, with_image_url: 'true' } }).then((r) => r.body.faces), [set.face_set_name, offset, session.iamToken]);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<{ src: string; size: { width: number; height: number } | null; faces: Face[]; done: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [externalId, setExternalId] = useState('');
  const [fieldText, setFieldText] = useState<Record<string, string>>({});
  const fieldsOf = (text: Record<string, string>) =>
    Object.fromEntries(Object.entries(set.external_fields).flatMap(([k, v]) => (fieldValue(v.type, text[k] ?? '') === undefined ? [] : [[k, fieldValue(v.type, text[k] ?? '')]])));
  const refresh = () => {
    faces.reload();
    onChanged();
  };
  const add = async (files: File[]) => {
    const file = files[0];
    setError(null);
    setBusy(true);
    const src = URL.createObjectURL(file);
    setAdded({ src, size: null, faces: [], done: false });
    try {
      const size = await imageSize(src).catch(() => null);
      const r = await call<{ faces: Face[] }>('POST', path('/faces'), {
        json: { image_base64: await fileBase64(file), ...(externalId ? { external_image_id: externalId } : {}), external_fields: fieldsOf(fieldText) },
      });
      setAdded({ src, size, faces: r.body.faces, done: true });
      refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (face: Face) => {
    setError(null);
    try {
      await call('DELETE', path('/faces'), { query: { face_id: face.face_id } });
      refresh();
    } catch (e) {
      setError(e);
    }
  };
  const update = async (face: Face, text: Record<string, string>, extId: string) => {
    setError(null);
    try {
      await call('PUT', path('/faces'), { json: { face_id: face.face_id, ...(extId && extId !== face.external_image_id ? { external_image_id: extId } : {}), external_fields: fieldsOf(text) } });
      faces.reload();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const fieldInputs = (prefix: string, text: Record<string, string>, set_: (t: Record<string, string>) => void) =>
    Object.entries(set.external_fields).map(([k, v]) => (
      <div>
        <label for={`${prefix}-${k}`}>
          {k} <span class="muted">({v.type})</span>
        </label>
        {v.type === 'boolean' ? (
          <select id={`${prefix}-${k}`} value={text[k] ?? ''} onChange={(e) => set_({ ...text, [k]: (e.target as HTMLSelectElement).value })}>
            <option value="">—</option>
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        ) : (
          <input id={`${prefix}-${k}`} name={k} value={text[k] ?? ''} inputMode={v.type === 'string' ? 'text' : 'decimal'} onInput={(e) => set_({ ...text, [k]: (e.target as HTMLInputElement).value })} />
        )}
      </div>
    ));
  return (
    <>
      <section id="face-set" aria-labelledby="face-set-title">
        <h2 id="face-set-title">{set.face_set_name}</h2>
        <ErrorBox error={faces.error} onRetry={faces.reload} />
        <ErrorBox error={error} />
        {faces.loading && !faces.data ? <Loading /> : null}
        {faces.data && faces.data.length === 0 ? <Empty>{t('No faces yet.')}</Empty> : null}
        <div class="table-scroll">
          <table id="faces">
            {faces.data && faces.data.length ? (
              <thead>
                <tr>
                  <th>{t('Face')}</th>
                  <th>face_id</th>
                  <th>external_image_id</th>
                  <th>{t('Fields')}</th>
                  <th>{t('Box')}</th>
                  <th />
                </tr>
              </thead>
            ) : null}
            <tbody>
              {(faces.data ?? []).map((f) => (
                <FaceRow face={f} fieldInputs={fieldInputs} onSave={update} onDelete={() => remove(f)} />
              ))}
            </tbody>
          </table>
        </div>
        <div class="toolbar" role="navigation" aria-label={t('Page')}>
          <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 12))}>
            {t('Previous')}
          </button>
          <button type="button" class="secondary" disabled={(faces.data?.length ?? 0) < 12} onClick={() => setOffset(offset + 12)}>
            {t('Next')}
          </button>
        </div>
      </section>
      <section id="add-faces" aria-labelledby="add-faces-title">
        <h2 id="add-faces-title">{t('Add faces from a photo')}</h2>
        <p class="muted">{t('Every face found in the photo is stored; the boxes below are the faces the add found.')}</p>
        <div class="row">
          <div>
            <label for="add-external-id">external_image_id</label>
            <input id="add-external-id" value={externalId} onInput={(e) => setExternalId((e.target as HTMLInputElement).value)} maxLength={36} />
          </div>
          {fieldInputs('add-field', fieldText, setFieldText)}
        </div>
        <DropZone id="face-file" label={t('Drop a photo here or pick a file')} multiple={false} onFiles={add} />
        {busy ? <Loading /> : null}
        {added ? (
          <>
            <BoxedPhoto id="added-photo" src={added.src} size={added.size} boxes={added.faces.map((f, i) => ({ ...f.bounding_box, label: String(i + 1) }))} />
            {added.done ? (
              <p id="added-count" role="status">
                {added.faces.length} {t('faces stored')}
              </p>
            ) : null}
          </>
        ) : null}
      </section>
      <FaceSearch session={session} path={path} />
    </>
  );
}

function FaceRow({
  face,
  fieldInputs,
  onSave,
  onDelete,
}: {
  face: Face;
  fieldInputs: (prefix: string, text: Record<string, string>, set: (t: Record<string, string>) => void) => unknown;
  onSave: (f: Face, text: Record<string, string>, extId: string) => Promise<boolean>;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(face.external_fields).map(([k, v]) => [k, String(v)])));
  const [extId, setExtId] = useState(face.external_image_id);
  const b = face.bounding_box;
  return (
    <tr data-face={face.face_id}>
      <td>{face.image_url ? <FaceCrop src={face.image_url} box={b} label={`${t('Face')} ${face.external_image_id || face.face_id}`} /> : '—'}</td>
      <td>
        <code>{face.face_id}</code>
      </td>
      <td class="external-id">{face.external_image_id}</td>
      <td class="fields">
        {editing ? (
          <form
            onSubmit={async (e) => {
              e.preventDefault();
              if (await onSave(face, text, extId)) setEditing(false);
            }}
          >
            <label for={`ext-${face.face_id}`}>external_image_id</label>
            <input id={`ext-${face.face_id}`} value={extId} onInput={(e) => setExtId((e.target as HTMLInputElement).value)} />
            {fieldInputs(`edit-${face.face_id}`, text, setText) as any}
            <button type="submit">{t('Save')}</button>{' '}
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              {t('Cancel')}
            </button>
          </form>
        ) : (
          Object.entries(face.external_fields)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', ') || '—'
        )}
      </td>
      <td class="muted">
        {b.top_left_x},{b.top_left_y} {b.width}×{b.height}
      </td>
      <td>
        {editing ? null : (
          <>
            <button type="button" class="secondary" onClick={() => setEditing(true)} aria-label={`${t('Edit')} ${face.face_id}`}>
              {t('Edit')}
            </button>{' '}
            <button type="button" class="danger" onClick={onDelete} aria-label={`${t('Delete')} ${face.face_id}`}>
              {t('Delete')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

/** Side of a face crop in CSS pixels. */
const CROP = 72;

/**
 * The face of a stored photo: its bounding box with a margin of a fifth, scaled into a square.
 * The photo is placed once its size is known, so no other part of it shows while it loads.
 */
function FaceCrop({ src, box, label }: { src: string; box: Box; label: string }) {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const side = Math.max(box.width, box.height) * 1.4;
  const scale = CROP / Math.max(1, side);
  const cx = box.top_left_x + box.width / 2;
  const cy = box.top_left_y + box.height / 2;
  const placed = size
    ? { width: `${size.width * scale}px`, height: `${size.height * scale}px`, left: `${CROP / 2 - cx * scale}px`, top: `${CROP / 2 - cy * scale}px` }
    : { visibility: 'hidden' };
  return (
    <div class="face-crop" style={{ width: `${CROP}px`, height: `${CROP}px` }}>
      <img
        src={src}
        alt={label}
        loading="lazy"
        style={placed}
        onLoad={(e) => {
          const img = e.currentTarget as HTMLImageElement;
          setSize({ width: img.naturalWidth, height: img.naturalHeight });
        }}
      />
    </div>
  );
}

function FaceSearch({ session, path }: { session: Session; path: (rest: string) => string }) {
  const [threshold, setThreshold] = useState(0.6);
  const [state, setState] = useState<{ loading?: boolean; error?: unknown; faces?: Face[]; src?: string; size?: { width: number; height: number } | null }>({});
  const search = async (files: File[]) => {
    const src = URL.createObjectURL(files[0]);
    setState({ loading: true, src });
    try {
      const size = await imageSize(src).catch(() => null);
      const r = await call<{ faces: Face[] }>('POST', path('/search'), { json: { image_base64: await fileBase64(files[0]), threshold, top_n: 10 } });
      setState({ src, size, faces: r.body.faces });
    } catch (e) {
      setState({ src, error: e });
    }
  };
  return (
    <section id="face-search" aria-labelledby="face-search-title">
      <h2 id="face-search-title">{t('Search by photo')}</h2>
      <label for="threshold">
        {t('Threshold')}: <output id="threshold-value">{threshold.toFixed(2)}</output>
      </label>
      <input id="threshold" type="range" min="0" max="1" step="0.01" value={threshold} onInput={(e) => setThreshold(Number((e.target as HTMLInputElement).value))} />
      <DropZone id="face-search-file" label={t('Pick a photo to search')} multiple={false} onFiles={search} />
      {state.loading ? <Loading /> : null}
      <ErrorBox error={state.error} />
      {state.faces ? (
        <>
          <h3>{t('Hits')}</h3>
          {state.faces.length === 0 ? <Empty>{t('No hits.')}</Empty> : null}
          <ol class="results" id="face-hits">
            {state.faces.map((f) => (
              <li data-face={f.face_id}>
                <span class="external-id">{f.external_image_id}</span>{' '}
                <span class="muted">
                  {Object.entries(f.external_fields)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(', ')}
                </span>{' '}
                <span class="similarity">{(f.similarity ?? 0).toFixed(3)}</span>
                <div class="score-bar" role="img" aria-label={`${t('similarity')} ${(f.similarity ?? 0).toFixed(3)}`}>
                  <div style={{ width: `${Math.max(0, Math.min(1, f.similarity ?? 0)) * 100}%` }} />
                </div>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
