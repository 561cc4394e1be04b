/**
 * The official Node client `baidu-aip-sdk`, unmodified, against the handlers behind a local
 * API-Gateway stand-in: token from POST /oauth/2.0/token (its `brain_all_scope` check decides
 * whether it sends the token at all), then every AipImageSearch method of the five kinds.
 * Engines are the deterministic test engine (the real ones are benchmarked separately).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryKind } from '../../../lib/search/engine';
import { createLibrary, getLibrary } from '../../../lib/search/library';
import { setEngineProvider } from '../../../lib/search/provider';
import { startGateway, type Gateway } from '../../support/gateway';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

type Reply = Record<string, any>;
type Options = Record<string, string | number>;
interface SdkModule {
  imageSearch: new (appId: string, ak: string, sk: string) => Record<string, (...args: unknown[]) => Promise<Reply>>;
  HttpClient: { setRequestInterceptor(fn: ((o: Record<string, unknown>) => Record<string, unknown>) | null): void };
}
const sdk = createRequire(import.meta.url)('baidu-aip-sdk') as SdkModule;

let env: TestServices;
let gateway: Gateway;
let images: Server;
let imagesUrl: string;
const served = new Map<string, Buffer>();
let project: Awaited<ReturnType<TestServices['project']>>;
let client: Record<string, (...args: unknown[]) => Promise<Reply>>;
const seen: string[] = [];

beforeAll(async () => {
  env = await startServices();
  project = await env.project('sdk');
  process.env.IRIS_ALLOW_PRIVATE_URLS = '1';
  setEngineProvider(async (kind) => testEngine(kind, kind === 'same_hq' || kind === 'picturebook' ? { threshold: 0.9 } : {}));
  for (const kind of ['same_hq', 'similar', 'product', 'picturebook', 'materiel'] as const) await createLibrary(env.stores.metadata, project.projectId, kind);
  gateway = await startGateway();
  images = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (body) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', () => r()));
  imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  // The documented way to point the client elsewhere: rewrite the host of every request.
  sdk.HttpClient.setRequestInterceptor((options) => {
    const url = String(options.url).replace(/^https?:\/\/aip\.baidubce\.com/, gateway.url);
    seen.push(url);
    return { ...options, url };
  });
  client = new sdk.imageSearch('iris-app', project.apiKey, project.secretKey);
});

afterAll(async () => {
  sdk.HttpClient.setRequestInterceptor(null);
  setEngineProvider();
  await gateway?.stop();
  await new Promise<void>((r) => images?.close(() => r()));
  await env?.stop();
});

/** The five kinds' methods, under one shape (the SDK's signatures differ per kind). */
interface KindMethods {
  kind: LibraryKind;
  add(image: string, brief: string, o?: Options): Promise<Reply>;
  addUrl(url: string, brief: string, o?: Options): Promise<Reply>;
  search(image: string, o?: Options): Promise<Reply>;
  searchUrl(url: string, o?: Options): Promise<Reply>;
  update(image: string, brief: string, o?: Options): Promise<Reply>;
  updateUrl(url: string, brief: string, o?: Options): Promise<Reply>;
  updateSign(sign: string, brief: string, o?: Options): Promise<Reply>;
  deleteImage(image: string): Promise<Reply>;
  deleteUrl(url: string): Promise<Reply>;
  deleteSign(signs: string): Promise<Reply>;
  labels: Options;
  filter: Options;
}

const c = () => client;
const briefIn = (brief: string, o?: Options) => ({ brief, ...(o ?? {}) });
const KINDS: KindMethods[] = [
  {
    kind: 'same_hq',
    add: (i, b, o) => c().sameHqAdd(i, b, o),
    addUrl: (u, b, o) => c().sameHqAddUrl(u, b, o),
    search: (i, o) => c().sameHqSearch(i, o),
    searchUrl: (u, o) => c().sameHqSearchUrl(u, o),
    update: (i, b, o) => c().sameHqUpdate(i, briefIn(b, o)),
    updateUrl: (u, b, o) => c().sameHqUpdateUrl(u, briefIn(b, o)),
    updateSign: (s, b, o) => c().sameHqUpdateContSign(s, briefIn(b, o)),
    deleteImage: (i) => c().sameHqDeleteByImage(i),
    deleteUrl: (u) => c().sameHqDeleteByUrl(u),
    deleteSign: (s) => c().sameHqDeleteBySign(s),
    labels: { tags: '100,11' },
    filter: { tags: '100', tag_logic: '0' },
  },
  {
    kind: 'similar',
    add: (i, b, o) => c().similarAdd(i, briefIn(b, o)),
    addUrl: (u, b, o) => c().similarAddUrl(u, briefIn(b, o)),
    search: (i, o) => c().similarSearch(i, o),
    searchUrl: (u, o) => c().similarSearchUrl(u, o),
    update: (i, b, o) => c().similarUpdate(i, briefIn(b, o)),
    updateUrl: (u, b, o) => c().similarUpdateUrl(u, briefIn(b, o)),
    updateSign: (s, b, o) => c().similarUpdateContSign(s, briefIn(b, o)),
    deleteImage: (i) => c().similarDeleteByImage(i),
    deleteUrl: (u) => c().similarDeleteByUrl(u),
    deleteSign: (s) => c().similarDeleteBySign(s),
    labels: { tags: '7' },
    filter: { tags: '7,8', tag_logic: '1' },
  },
  {
    kind: 'product',
    add: (i, b, o) => c().productAdd(i, briefIn(b, o)),
    addUrl: (u, b, o) => c().productAddUrl(u, briefIn(b, o)),
    search: (i, o) => c().productSearch(i, o),
    searchUrl: (u, o) => c().productSearchUrl(u, o),
    update: (i, b, o) => c().productUpdate(i, briefIn(b, o)),
    updateUrl: (u, b, o) => c().productUpdateUrl(u, briefIn(b, o)),
    updateSign: (s, b, o) => c().productUpdateContSign(s, briefIn(b, o)),
    deleteImage: (i) => c().productDeleteByImage(i),
    deleteUrl: (u) => c().productDeleteByUrl(u),
    deleteSign: (s) => c().productDeleteBySign(s),
    labels: { class_id1: 1, class_id2: 2 },
    filter: { class_id1: 1 },
  },
  {
    kind: 'picturebook',
    add: (i, b, o) => c().pictureBookAddImage(i, b, o),
    addUrl: (u, b, o) => c().pictureBookAddUrl(u, b, o),
    search: (i, o) => c().pictureBookSearchImage(i, o),
    searchUrl: (u, o) => c().pictureBookSearchUrl(u, o),
    update: (i, b, o) => c().pictureBookUpdate(i, briefIn(b, o)),
    updateUrl: (u, b, o) => c().pictureBookUpdateUrl(u, briefIn(b, o)),
    updateSign: (s, b, o) => c().pictureBookUpdateContSign(s, briefIn(b, o)),
    deleteImage: (i) => c().pictureBookDeleteByImage(i),
    deleteUrl: (u) => c().pictureBookDeleteByUrl(u),
    deleteSign: (s) => c().pictureBookDeleteBySign(s),
    labels: { tags: '3' },
    filter: { tags: '3' },
  },
  {
    kind: 'materiel',
    add: (i, b, o) => c().materielAdd(i, b, o),
    addUrl: (u, b, o) => c().materielAddUrl(u, b, o),
    search: (i, o) => c().materielSearch(i, o),
    searchUrl: (u, o) => c().materielSearchUrl(u, o),
    update: (i, b, o) => c().materielUpdate(i, b, o),
    updateUrl: (u, b, o) => c().materielUpdateUrl(u, b, o),
    updateSign: (s, b, o) => c().materielUpdateContSign(s, b, o),
    deleteImage: (i) => c().materielDeleteByImage(i),
    deleteUrl: (u) => c().materielDeleteByUrl(u),
    deleteSign: (s) => c().materielDeleteBySign(s),
    labels: { tags: '9,10' },
    filter: { tags: '9,10', tag_logic: '0' },
  },
];

const ok = (r: Reply): Reply => {
  expect(r.error_code, JSON.stringify(r)).toBeUndefined();
  expect(typeof r.log_id).toBe('number');
  return r;
};
const top = (r: Reply) => ok(r).result[0] as { cont_sign: string; brief: string; score: number } | undefined;

describe('baidu-aip-sdk AipImageSearch against Iris', () => {
  let seed = 1;
  for (const k of KINDS) {
    it(`runs add, search, update and delete of the ${k.kind} library through every SDK method`, async () => {
      const picture = async () => {
        const s = seed++;
        const bytes = await testImage(s * 37, { width: 320, height: 320 });
        served.set(`/${k.kind}/${s}.jpg`, bytes);
        return { b64: bytes.toString('base64'), url: `${imagesUrl}/${k.kind}/${s}.jpg` };
      };
      const [a, b, cc, d] = [await picture(), await picture(), await picture(), await picture()];

      // add (image and url), with labels; the same image again answers 216681
      const sa = ok(await k.add(a.b64, `{"name":"a","kind":"${k.kind}"}`, k.labels)).cont_sign as string;
      const sb = ok(await k.addUrl(b.url, 'b', k.labels)).cont_sign as string;
      expect(sa).toMatch(/^\d+,\d+$/);
      expect(sb).not.toBe(sa);
      expect((await k.add(a.b64, 'again')).error_code).toBe(216681);

      // search (image and url), filtered and paged
      expect(top(await k.search(a.b64))).toMatchObject({ cont_sign: sa, brief: `{"name":"a","kind":"${k.kind}"}` });
      expect(top(await k.searchUrl(b.url, { ...k.filter, pn: '0', rn: '1' }))).toMatchObject({ cont_sign: sb, brief: 'b' });

      // update by image, by url, by cont_sign
      ok(await k.update(a.b64, 'a by image'));
      expect(top(await k.search(a.b64))?.brief).toBe('a by image');
      ok(await k.updateUrl(b.url, 'b by url'));
      expect(top(await k.searchUrl(b.url))?.brief).toBe('b by url');
      ok(await k.updateSign(sa, 'a by sign'));
      expect(top(await k.search(a.b64))?.brief).toBe('a by sign');

      // delete by image, by url, and several cont_signs at once
      ok(await k.deleteImage(a.b64));
      expect(top(await k.search(a.b64))?.cont_sign).not.toBe(sa);
      ok(await k.deleteUrl(b.url));
      const sc = ok(await k.add(cc.b64, 'c')).cont_sign as string;
      const sd = ok(await k.addUrl(d.url, 'd')).cont_sign as string;
      ok(await k.deleteSign(`${sc};${sd}`));
      expect(ok(await k.search(cc.b64)).result_num).toBe(0);
      expect((await getLibrary(env.stores.metadata, project.projectId, k.kind)).count).toBe(0);
    });
  }

  it('got its token from /oauth/2.0/token and sent it as ?access_token=', () => {
    expect(seen.some((u) => u.endsWith('/oauth/2.0/token'))).toBe(true);
    const api = seen.filter((u) => u.includes('/rest/2.0/'));
    expect(api.length).toBeGreaterThan(50);
    expect(api.every((u) => u.includes('access_token=24.'))).toBe(true);
  });

  it('reports Baidu error envelopes to the SDK caller (216101 without an image)', async () => {
    const r = await client.sameHqSearch('');
    expect(r.error_code).toBe(216101);
    expect(r.error_msg).toContain('image');
  });
});
