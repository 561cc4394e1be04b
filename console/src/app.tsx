import { useEffect, useState } from 'preact/hooks';
import { clearSession, loadSession, saveSession, signIn, type Session } from './api';
import { lang, setLang, t, type Lang } from './i18n';
import { ErrorBox } from './ui';
import { Health, Overview } from './pages/overview';
import { Libraries } from './pages/libraries';
import { Datasets } from './pages/datasets';
import { Faces } from './pages/faces';
import { Models } from './pages/models';
import { Cameras } from './pages/cameras';

/** Pages, by the first segment of the location hash (#/libraries/same_hq → libraries). */
const PAGES = [
  { id: '', title: 'Overview', render: (s: Session, rest: string[]) => <Overview session={s} /> },
  { id: 'libraries', title: 'Image libraries', render: (s: Session, rest: string[]) => <Libraries session={s} kind={rest[0]} /> },
  { id: 'faces', title: 'Face sets', render: (s: Session, rest: string[]) => <Faces session={s} name={rest[0]} /> },
  { id: 'datasets', title: 'Datasets', render: (s: Session, rest: string[]) => <Datasets session={s} datasetId={rest[0]} /> },
  { id: 'models', title: 'Models', render: (s: Session) => <Models session={s} /> },
  { id: 'cameras', title: 'Cameras', render: (s: Session) => <Cameras session={s} /> },
] as const;

const route = () => location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession());
  const [, setLangState] = useState<Lang>(lang());
  const [path, setPath] = useState(route());
  useEffect(() => {
    const on = () => setPath(route());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const page = PAGES.find((p) => p.id === path[0]) ?? PAGES[0];
  useEffect(() => {
    document.title = `${t(page.title)} · ${t('Iris console')}`;
  });

  const signOut = () => {
    clearSession();
    setSession(null);
    location.hash = '#/';
  };

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <h1>Iris</h1>
        <span class="tagline">{t('self-hosted vision APIs')}</span>
        {session ? (
          <nav aria-label={t('Navigation')}>
            {PAGES.map((p) => (
              <a href={`#/${p.id}`} aria-current={p === page ? 'page' : undefined} data-page={p.id || 'overview'}>
                {t(p.title)}
              </a>
            ))}
          </nav>
        ) : null}
        <div class="header-tools">
          <a href="/docs" id="api-docs" class="header-link">
            {t('API reference')}
          </a>
          <label class="inline">
            <span class="sr-only">{t('Language')}</span>
            <select
              id="lang"
              aria-label={t('Language')}
              value={lang()}
              onChange={(e) => {
                setLang((e.target as HTMLSelectElement).value as Lang);
                setLangState(lang());
              }}
            >
              <option value="en">English</option>
              <option value="zh">中文</option>
            </select>
          </label>
          {session ? (
            <button type="button" id="signout" class="secondary" onClick={signOut}>
              {t('Sign out')}
            </button>
          ) : null}
        </div>
      </header>
      <main id="main">{session ? page.render(session, path.slice(1)) : <SignIn onSignedIn={(s) => (saveSession(s), setSession(s))} />}</main>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [status, setStatus] = useState<{ text: string; cls: string; error?: unknown }>({ text: '', cls: 'muted' });
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const f = ev.target as HTMLFormElement;
    const v = (id: string) => (f.querySelector(`#${id}`) as HTMLInputElement).value;
    setStatus({ text: t('signing in…'), cls: 'muted' });
    try {
      const s = await signIn(v('apiKey').trim(), v('secretKey'), v('projectId').trim() || undefined);
      setStatus({ text: t('signed in'), cls: 'ok' });
      onSignedIn(s);
    } catch (e) {
      setStatus({ text: (e as Error).message, cls: 'bad', error: e });
    }
  };
  return (
    <>
      <Health />
      <section id="signin-section">
        <h2>{t('Sign in to a project')}</h2>
        <p class="muted">{t('Use the API key and secret key printed by npm start (or created with npm run create-project).')}</p>
        <form id="signin" onSubmit={submit}>
          <div class="row">
            <div>
              <label for="apiKey">{t('API key')}</label>
              <input id="apiKey" autocomplete="username" required />
            </div>
            <div>
              <label for="secretKey">{t('Secret key')}</label>
              <input id="secretKey" type="password" autocomplete="current-password" required />
            </div>
            <div>
              <label for="projectId">{t('Project id (optional)')}</label>
              <input id="projectId" />
            </div>
          </div>
          <button type="submit">{t('Sign in')}</button>
          <p id="signin-status" class={status.cls} role="status" aria-live="polite">
            {status.text}
          </p>
        </form>
      </section>
    </>
  );
}
