/**
 * Fetching an image by URL on a client's behalf, hardened against SSRF:
 * - http/https only, URL length capped;
 * - the host is resolved once and refused if ANY address is not public unicast
 *   (see address.ts), literal IPs included;
 * - the connection is pinned to the checked addresses through a custom `lookup`, so a second,
 *   different DNS answer (DNS rebinding) is never consulted; Host and SNI keep the hostname;
 * - every redirect hop is validated the same way; bytes are capped while streaming and the
 *   whole fetch (DNS, connects, redirects, body) shares one deadline.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { IrisError } from '../errors';
import { addressRange } from './address';

export interface FetchLimits {
  maxUrlLength: number;
  maxBytes: number;
  /** Total time budget for the fetch including redirects. Default 5000. */
  timeoutMs?: number;
  /** Default 3. */
  maxRedirects?: number;
  /**
   * Skip the public-address check. For tests and the local dev stack only; defaults to
   * false, or to true when IRIS_ALLOW_PRIVATE_URLS=1.
   */
  allowPrivate?: boolean;
}

export interface LookupResult {
  address: string;
  family: number;
}

/** Resolves every address of a hostname. */
export type Resolver = (hostname: string) => Promise<LookupResult[]>;

export interface HopContext {
  field: string;
  maxUrlLength: number;
  allowPrivate: boolean;
  /** True for redirect targets: an over-long one is the server's fault, not the client's. */
  redirect: boolean;
  /** Defaults to dns.promises.lookup with all addresses. */
  resolve?: Resolver;
}

export interface ValidatedHop {
  url: URL;
  /** The checked addresses the connection is pinned to (never empty). */
  addresses: LookupResult[];
}

export type HopValidator = (rawUrl: string, ctx: HopContext) => Promise<ValidatedHop>;

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'Iris-ImageFetcher/1.0';

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

const urlError = (field: string, message: string, cause?: unknown): IrisError =>
  new IrisError('IMAGE_URL', `${field}: ${message}`, { field, cause });

/**
 * Validates one hop (the client's URL or a redirect target): length, scheme, DNS and address
 * ranges. Never opens a connection.
 */
export async function validateHop(rawUrl: string, ctx: HopContext): Promise<ValidatedHop> {
  const { field } = ctx;
  if (typeof rawUrl !== 'string') throw urlError(field, 'URL must be a string');
  if (rawUrl.length > ctx.maxUrlLength) {
    if (ctx.redirect) throw urlError(field, `redirect target is longer than ${ctx.maxUrlLength} characters`);
    throw new IrisError(
      'PARAM_TOO_LONG',
      `${field}: URL is ${rawUrl.length} characters, over the ${ctx.maxUrlLength}-character limit`,
      { field },
    );
  }
  if (rawUrl.trim() === '') throw urlError(field, 'URL is empty');

  let url: URL;
  try {
    // WHATWG parsing also normalises numeric hosts: http://2130706433/, http://0x7f.1/ and
    // http://017700000001/ all come out as 127.0.0.1 and are checked as such below.
    url = new URL(rawUrl);
  } catch {
    throw urlError(field, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw urlError(field, `only http and https URLs can be fetched (got ${url.protocol.slice(0, -1)})`);
  }

  const host = bareHostname(url);
  let addresses: LookupResult[];
  const ipVersion = net.isIP(host);
  if (ipVersion !== 0) {
    addresses = [{ address: host, family: ipVersion }];
  } else {
    try {
      addresses = await (ctx.resolve ?? systemResolver)(host);
    } catch (cause) {
      throw urlError(field, `host ${host} could not be resolved`, cause);
    }
    if (addresses.length === 0) throw urlError(field, `host ${host} could not be resolved`);
  }

  // Refuse if any address is non-public, not just the first: the connection may use any of them.
  // The message does not echo resolved addresses, to avoid leaking internal DNS to clients.
  if (!ctx.allowPrivate && addresses.some((a) => addressRange(a.address) !== 'unicast')) {
    throw urlError(field, 'URL points to a private, loopback or otherwise non-public address, which is not allowed');
  }
  return { url, addresses };
}

/** Fetches an image by URL under the SSRF rules above and returns its bytes. */
export function fetchImage(url: string, limits: FetchLimits, field = 'url'): Promise<Buffer> {
  return fetchImageVia(validateHop, url, limits, field);
}

/**
 * The fetch loop with the per-hop validator injected. Production code uses `fetchImage`;
 * tests pass a validator that pins a made-up public hostname to a local server.
 */
export async function fetchImageVia(
  validate: HopValidator,
  url: string,
  limits: FetchLimits,
  field = 'url',
): Promise<Buffer> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = limits.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allowPrivate = limits.allowPrivate ?? process.env.IRIS_ALLOW_PRIVATE_URLS === '1';
  const controller = new AbortController();

  const run = async (): Promise<Buffer> => {
    let current = url;
    for (let hop = 0; ; hop++) {
      const ctx: HopContext = { field, maxUrlLength: limits.maxUrlLength, allowPrivate, redirect: hop > 0 };
      const target = await validate(current, ctx);
      if (controller.signal.aborted) throw urlError(field, 'fetch aborted');
      const outcome = await get(target, limits.maxBytes, controller.signal, field);
      if ('body' in outcome) return outcome.body;
      if (hop >= maxRedirects) throw urlError(field, `too many redirects (more than ${maxRedirects})`);
      try {
        current = new URL(outcome.location, target.url).href;
      } catch {
        throw urlError(field, 'server redirected to an invalid URL');
      }
    }
  };

  // DNS lookups cannot be cancelled, so the deadline is a race rather than only an abort.
  // Reject before aborting so the timeout, not the abort it causes, is what the caller sees.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(urlError(field, `fetching the image timed out after ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(), deadline]);
  } finally {
    clearTimeout(timer);
    controller.abort(); // tears down anything still open once an error has won the race
  }
}

type HopOutcome = { body: Buffer } | { location: string };

/** One GET against a validated hop, connecting only to its checked addresses. */
function get(hop: ValidatedHop, maxBytes: number, signal: AbortSignal, field: string): Promise<HopOutcome> {
  const { url, addresses } = hop;
  const hostname = bareHostname(url);
  const secure = url.protocol === 'https:';
  const options: https.RequestOptions = {
    method: 'GET',
    hostname,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers: {
      Host: url.host,
      'User-Agent': USER_AGENT,
      Accept: 'image/*,*/*;q=0.8',
      'Accept-Encoding': 'identity',
    },
    // No pooling: a kept-alive socket could otherwise be reused for a later hop without
    // going through the pinned lookup.
    agent: false,
    signal,
    lookup: pinnedLookup(addresses),
    // SNI and certificate checks use the hostname (SNI must not carry an IP literal).
    ...(secure && net.isIP(hostname) === 0 ? { servername: hostname } : {}),
  };

  return new Promise<HopOutcome>((resolve, reject) => {
    const tooLarge = () =>
      new IrisError('IMAGE_TOO_LARGE', `${field}: image is larger than the ${maxBytes}-byte limit`, { field });

    const req = (secure ? https : http).request(options, (res) => {
      // Destroying the request mid-body makes `res` emit an error; it is settled by then.
      res.on('error', (cause) => reject(networkError(field, cause)));
      const status = res.statusCode ?? 0;

      if (REDIRECT_STATUSES.has(status)) {
        const location = res.headers.location;
        req.destroy();
        if (!location) reject(urlError(field, `server answered HTTP ${status} without a Location header`));
        else resolve({ location });
        return;
      }
      if (status < 200 || status > 299) {
        req.destroy();
        reject(urlError(field, `server answered HTTP ${status}`));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        req.destroy();
        reject(tooLarge());
        return;
      }

      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          req.destroy(); // stop downloading now, not after the server is done
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (total === 0) reject(urlError(field, 'server returned an empty body'));
        else resolve({ body: Buffer.concat(chunks, total) });
      });
    });
    req.on('error', (cause) => reject(networkError(field, cause)));
    req.end();
  });
}

/**
 * A `lookup` for http(s).request that answers with the already-validated addresses instead of
 * asking DNS again. Node calls it with `all: true` when happy-eyeballs is on (the default).
 */
function pinnedLookup(addresses: LookupResult[]): net.LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = addresses.filter((a) => wanted === 0 || a.family === wanted);
    if (usable.length === 0) {
      const err: NodeJS.ErrnoException = new Error('no validated address for the requested family');
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
    } else if (options.all) {
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

function networkError(field: string, cause: unknown): IrisError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return urlError(field, `could not fetch the image (${code ?? 'network error'})`, cause);
}

/** URL.hostname keeps IPv6 literals in brackets; sockets and SNI want them bare. */
function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
