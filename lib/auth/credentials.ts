/**
 * Projects, API keys and access tokens. Secrets and tokens are random 192/256-bit values, so a
 * fast keyed-less SHA-256 is enough to store them (no dictionary to attack); only hashes are kept.
 *
 * - Baidu style: API key + secret key → `POST /oauth/2.0/token` → access token (30 days).
 * - Huawei style: the same key pair through `POST /v3/auth/tokens` (IAM password method: user name =
 *   API key, password = secret key, scope = project id) → `X-Subject-Token` (24 hours).
 * Both kinds of token resolve to one project; every call is confined to that project's data.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { IrisError } from '../errors';
import { keys } from '../store/keys';
import { queryAll } from '../store/query';
import type { MetadataStore } from '../store/ports';
import { TTL_ATTRIBUTE } from '../store/table';

export const BAIDU_TOKEN_SECONDS = 30 * 24 * 3600;
export const IAM_TOKEN_SECONDS = 24 * 3600;
/** Baidu's SDKs only use the token when this scope word is present (the official SDKs, e.g. npm `baidu-aip-sdk`, look for it among the words of `scope`). */
export const BAIDU_SCOPE = 'public brain_all_scope vis-classify_dishes vis-objectdetect_watermark brain_image_search';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface Project {
  projectId: string;
  name: string;
  createdAt: string;
}

export interface ProjectCredentials extends Project {
  apiKey: string;
  secretKey: string;
}

export interface TokenGrant {
  token: string;
  projectId: string;
  expiresAt: number; // epoch seconds
  issuedAt: number;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Creates a project and its first key pair. Huawei project ids are 32 hex characters. */
export async function createProject(store: MetadataStore, name: string, projectId = randomUUID().replaceAll('-', '')): Promise<ProjectCredentials> {
  const createdAt = new Date().toISOString();
  const apiKey = randomBytes(12).toString('base64url');
  const secretKey = randomBytes(24).toString('base64url');
  const ok = await store.transact([
    { put: { ...keys.project(projectId), projectId, name, createdAt, gsi1pk: keys.allProjects, gsi1sk: projectId }, condition: { ifNotExists: true } },
    { put: { ...keys.apiKey(apiKey), apiKey, projectId, secretHash: sha256(secretKey), createdAt }, condition: { ifNotExists: true } },
  ]);
  if (!ok) throw new IrisError('CONFLICT', `project ${projectId} already exists`);
  return { projectId, name, createdAt, apiKey, secretKey };
}

/** Lists a project made before projects were indexed (gsi1), so that jobs over all projects see it. */
export async function indexProject(store: MetadataStore, projectId: string): Promise<void> {
  await store.update(keys.project(projectId), { set: { gsi1pk: keys.allProjects, gsi1sk: projectId } }, { ifExists: true });
}

/** Every project's id, in id order, after `after` when given. */
export async function listProjectIds(store: MetadataStore, after?: string): Promise<string[]> {
  const items = await queryAll(store, { index: 'gsi1', pk: keys.allProjects, ...(after ? { sk: { gte: `${after}\u0000` } } : {}) });
  return items.map((i) => String(i.projectId));
}

export async function getProject(store: MetadataStore, projectId: string): Promise<Project | null> {
  const item = await store.get(keys.project(projectId));
  return item ? { projectId, name: String(item.name), createdAt: String(item.createdAt) } : null;
}

/** Verifies an API key pair; returns the project id. Timing-safe on the hash comparison. */
export async function verifyKeyPair(store: MetadataStore, apiKey: string, secretKey: string): Promise<string | null> {
  if (!apiKey || !secretKey) return null;
  const item = await store.get(keys.apiKey(apiKey));
  if (!item) return null;
  const expected = Buffer.from(String(item.secretHash), 'hex');
  const actual = Buffer.from(sha256(secretKey), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? String(item.projectId) : null;
}

/** Issues a token for a project. Baidu's tokens start with "24."; the rest is opaque here too. */
export async function issueToken(store: MetadataStore, projectId: string, ttlSeconds: number, prefix = '24.'): Promise<TokenGrant> {
  const issuedAt = now();
  const expiresAt = issuedAt + ttlSeconds;
  const token = `${prefix}${randomBytes(32).toString('hex')}.${ttlSeconds}.${issuedAt}`;
  await store.put({
    ...keys.token(sha256(token)),
    projectId,
    issuedAt,
    expiresAt,
    // Keep expired tokens a day so that they answer "expired" rather than "invalid".
    [TTL_ATTRIBUTE]: expiresAt + 86_400,
  });
  return { token, projectId, expiresAt, issuedAt };
}

const cache = new Map<string, { projectId: string; expiresAt: number; checkedAt: number }>();
/** Verified tokens are cached per container for a short while, to spare a read per call. */
const CACHE_SECONDS = 60;

export async function resolveToken(store: MetadataStore, token: string): Promise<{ projectId: string; expiresAt: number }> {
  if (!token || token.length > 512) throw new IrisError('AUTH_INVALID', 'access token invalid or no longer valid');
  const hash = sha256(token);
  const t = now();
  const hit = cache.get(hash);
  if (hit && t - hit.checkedAt < CACHE_SECONDS && hit.expiresAt > t) return hit;
  const item = await store.get(keys.token(hash), { consistent: false });
  if (!item) throw new IrisError('AUTH_INVALID', 'access token invalid or no longer valid');
  const expiresAt = Number(item.expiresAt);
  if (expiresAt <= t) {
    cache.delete(hash);
    throw new IrisError('AUTH_EXPIRED', 'access token expired');
  }
  const entry = { projectId: String(item.projectId), expiresAt, checkedAt: t };
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, entry);
  return entry;
}
