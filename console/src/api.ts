/**
 * The console's one way to call Iris: the public HTTP API on the page's own origin, with the
 * signed-in project's tokens (kept in sessionStorage only, gone when the tab closes). Every
 * failure becomes an ApiError whose message is the envelope's own words.
 */

export interface Session {
  /** X-Auth-Token (Huawei IAM style): Iris's admin, FRS and ModelArts operations. */
  iamToken: string;
  /** access_token (Baidu style): the image-search operations. */
  baiduToken: string;
  project: { id: string; name: string };
}

import { ApiError, envelopeError } from './envelope';

export { ApiError, envelopeError };

const KEY = 'iris.console.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}
export const saveSession = (s: Session) => sessionStorage.setItem(KEY, JSON.stringify(s));
export const clearSession = () => sessionStorage.removeItem(KEY);

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: Record<string, string | undefined>;
  /** Which token: 'iam' (default), 'baidu' or none. */
  auth?: 'iam' | 'baidu' | 'none';
  session?: Session | null;
}

export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<{ body: T; headers: Headers; status: number }> {
  const session = opts.session === undefined ? loadSession() : opts.session;
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const f = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.form)) if (v !== undefined) f.set(k, v);
    body = f.toString();
  }
  const auth = opts.auth ?? 'iam';
  if (auth === 'iam' && session) headers['x-auth-token'] = session.iamToken;
  if (auth === 'baidu' && session) url.searchParams.set('access_token', session.baiduToken);
  let r: Response;
  try {
    r = await fetch(url, { method, headers, body });
  } catch (e) {
    throw new ApiError(`the API is unreachable (${(e as Error).message})`, 0);
  }
  const text = await r.text();
  let parsed: any = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    if (!r.ok) throw new ApiError(text.slice(0, 200) || `HTTP ${r.status}`, r.status);
  }
  const err = envelopeError(parsed, r.status);
  if (err) throw err;
  return { body: parsed as T, headers: r.headers, status: r.status };
}

/** Signs in with a project's API key and secret key: an IAM token and a Baidu access token. */
export async function signIn(apiKey: string, secretKey: string, projectId?: string): Promise<Session> {
  const payload: any = { auth: { identity: { methods: ['password'], password: { user: { name: apiKey, password: secretKey } } } } };
  if (projectId) payload.auth.scope = { project: { id: projectId } };
  const iam = await call<any>('POST', '/v3/auth/tokens', { json: payload, auth: 'none', session: null });
  const iamToken = iam.headers.get('x-subject-token');
  if (!iamToken) throw new ApiError('the sign-in answered no token', iam.status);
  const baidu = await call<any>('POST', '/oauth/2.0/token', {
    form: { grant_type: 'client_credentials', client_id: apiKey, client_secret: secretKey },
    auth: 'none',
    session: null,
  });
  return { iamToken, baiduToken: baidu.body.access_token, project: { id: iam.body.token.project.id, name: iam.body.token.project.name } };
}

/** A file as base64 (no data: prefix), for the APIs' image fields. */
export function fileBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new ApiError(`cannot read the file: ${r.error?.message ?? 'unknown error'}`, 0));
    r.readAsDataURL(file);
  });
}

export const projectPath = (s: Session, rest: string) => `/v1/${encodeURIComponent(s.project.id)}${rest}`;
export const projectPathV2 = (s: Session, rest: string) => `/v2/${encodeURIComponent(s.project.id)}${rest}`;
