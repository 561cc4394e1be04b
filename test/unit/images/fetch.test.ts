import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  fetchImage,
  fetchImageVia,
  validateHop,
  type FetchLimits,
  type HopContext,
  type HopValidator,
} from '../../../lib/images/fetch';
import { expectIrisError } from './helpers';

// Only a local server is ever contacted: this machine has no internet access.
const IMAGE = Buffer.from('\x89PNG\r\n\x1a\n pretend image bytes', 'latin1');
let server: http.Server;
let port: number;
let base: string;
const requests: string[] = [];
let connections = 0;
let streamClosed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const redirect = (status: number, location: string) => res.writeHead(status, { Location: location }).end();
    const chain = /^\/r\/(\d+)$/.exec(path);
    if (chain) {
      const n = Number(chain[1]);
      redirect(302, n === 0 ? `${base}/img` : `/r/${n - 1}`);
      return;
    }
    switch (path) {
      case '/img':
        res.writeHead(200, { 'Content-Type': 'image/png' }).end(IMAGE);
        return;
      case '/host':
        res.end(req.headers.host);
        return;
      case '/relative':
        redirect(301, 'img');
        return;
      case '/to-ftp':
        redirect(302, 'ftp://127.0.0.1/x.png');
        return;
      case '/to-long':
        redirect(307, `/${'a'.repeat(300)}`);
        return;
      case '/to-private':
        redirect(302, `http://127.0.0.1:${port}/img`);
        return;
      case '/no-location':
        res.writeHead(302).end();
        return;
      case '/missing':
        res.writeHead(404).end('not here');
        return;
      case '/empty':
        res.writeHead(200).end();
        return;
      case '/declared-big':
        res.writeHead(200, { 'Content-Length': 5000 }).end(Buffer.alloc(5000));
        return;
      case '/endless': {
        // Chunked, no Content-Length, never ends on its own.
        res.writeHead(200, { 'Content-Type': 'image/jpeg' });
        const tick = setInterval(() => res.write(Buffer.alloc(1024)), 2);
        streamClosed = new Promise((resolve) => res.on('close', () => (clearInterval(tick), resolve())));
        return;
      }
      case '/drip': {
        res.writeHead(200);
        const tick = setInterval(() => res.write('x'), 20);
        res.on('close', () => clearInterval(tick));
        return;
      }
      case '/hang':
        return; // never answers
      default:
        res.writeHead(500).end();
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.IRIS_ALLOW_PRIVATE_URLS;
});

const LOCAL: FetchLimits = { maxUrlLength: 200, maxBytes: 1000, allowPrivate: true, timeoutMs: 2000 };

describe('fetchImage against a local server (allowPrivate)', () => {
  it('returns the body bytes exactly', async () => {
    expect(await fetchImage(`${base}/img`, LOCAL)).toEqual(IMAGE);
  });

  it('follows relative and absolute redirects up to maxRedirects', async () => {
    expect(await fetchImage(`${base}/relative`, LOCAL)).toEqual(IMAGE);
    expect(await fetchImage(`${base}/r/2`, { ...LOCAL, maxRedirects: 3 })).toEqual(IMAGE); // 3 redirects
  });

  it('refuses a chain longer than maxRedirects with IMAGE_URL', async () => {
    const tooMany = /too many redirects/;
    await expectIrisError(() => fetchImage(`${base}/r/3`, { ...LOCAL, maxRedirects: 3 }), 'IMAGE_URL', 'url', tooMany);
    await expectIrisError(() => fetchImage(`${base}/relative`, { ...LOCAL, maxRedirects: 0 }), 'IMAGE_URL', 'url', tooMany);
  });

  it('re-validates the scheme of every redirect hop', async () => {
    await expectIrisError(() => fetchImage(`${base}/to-ftp`, LOCAL), 'IMAGE_URL', 'url', /only http and https/);
  });

  it('refuses an over-long redirect target with IMAGE_URL (the client sent nothing too long)', async () => {
    const message = /redirect target is longer than 200/;
    await expectIrisError(() => fetchImage(`${base}/to-long`, LOCAL), 'IMAGE_URL', 'url', message);
  });

  it('refuses a redirect without a Location header with IMAGE_URL', async () => {
    await expectIrisError(() => fetchImage(`${base}/no-location`, LOCAL), 'IMAGE_URL', 'url', /without a Location/);
  });

  it('refuses non-2xx answers with IMAGE_URL naming the status', async () => {
    await expectIrisError(() => fetchImage(`${base}/missing`, LOCAL), 'IMAGE_URL', 'url', /HTTP 404/);
  });

  it('refuses an empty body with IMAGE_URL', async () => {
    await expectIrisError(() => fetchImage(`${base}/empty`, LOCAL), 'IMAGE_URL', 'url', /empty body/);
  });

  it('refuses a declared Content-Length over maxBytes with IMAGE_TOO_LARGE', async () => {
    await expectIrisError(() => fetchImage(`${base}/declared-big`, LOCAL), 'IMAGE_TOO_LARGE', 'url', /1000-byte limit/);
  });

  it('stops an undeclared endless download once it passes maxBytes', async () => {
    const started = performance.now();
    await expectIrisError(() => fetchImage(`${base}/endless`, LOCAL), 'IMAGE_TOO_LARGE', 'url');
    await streamClosed; // the server saw the connection closed: the download was aborted
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives up after timeoutMs with IMAGE_URL, whether the server hangs or trickles', async () => {
    for (const path of ['/hang', '/drip']) {
      const started = performance.now();
      await expectIrisError(
        () => fetchImage(`${base}${path}`, { ...LOCAL, maxBytes: 1_000_000, timeoutMs: 150 }),
        'IMAGE_URL',
        'url',
        /timed out after 150 ms/,
      );
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('refuses a URL longer than maxUrlLength with PARAM_TOO_LONG', async () => {
    await expectIrisError(
      () => fetchImage(`${base}/${'x'.repeat(200)}`, LOCAL),
      'PARAM_TOO_LONG',
      'url',
      /over the 200-character limit/,
    );
  });

  it('refuses unparseable and empty URLs with IMAGE_URL', async () => {
    await expectIrisError(() => fetchImage('not a url', LOCAL), 'IMAGE_URL', 'url', /not a valid URL/);
    await expectIrisError(() => fetchImage('', LOCAL), 'IMAGE_URL', 'url', /empty/);
  });

  it('reports connection failures with IMAGE_URL', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expectIrisError(() => fetchImage(`http://127.0.0.1:${deadPort}/`, LOCAL), 'IMAGE_URL', 'url', /ECONNREFUSED/);
  });

  it('honours IRIS_ALLOW_PRIVATE_URLS=1 when allowPrivate is not set, but an explicit false wins', async () => {
    const { allowPrivate: _, ...unset } = LOCAL;
    process.env.IRIS_ALLOW_PRIVATE_URLS = '1';
    expect(await fetchImage(`${base}/img`, unset)).toEqual(IMAGE);
    await expectIrisError(() => fetchImage(`${base}/img`, { ...unset, allowPrivate: false }), 'IMAGE_URL', 'url');
    delete process.env.IRIS_ALLOW_PRIVATE_URLS;
    await expectIrisError(() => fetchImage(`${base}/img`, unset), 'IMAGE_URL', 'url');
  });
});

describe('fetchImage SSRF guard (allowPrivate: false)', () => {
  const STRICT: FetchLimits = { ...LOCAL, allowPrivate: false };

  it('refuses private, loopback, link-local, CGNAT and mapped addresses without connecting', async () => {
    const httpRequest = vi.spyOn(http, 'request');
    const httpsRequest = vi.spyOn(https, 'request');
    const before = { connections, requests: requests.length };
    const urls = [
      `http://127.0.0.1:${port}/img`,
      `http://localhost:${port}/img`, // resolved via DNS (/etc/hosts), then refused
      `https://10.0.0.1/img.png`,
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      `http://[::1]:${port}/img`,
      'http://[fc00::1]/',
      `http://[::ffff:127.0.0.1]:${port}/img`,
      `http://2130706433:${port}/img`, // decimal 127.0.0.1
      `http://0x7f.1:${port}/img`, // hex + short form
      `http://0177.0.0.1:${port}/img`, // octal
      'http://0.0.0.0/',
    ];
    for (const url of urls) {
      await expectIrisError(() => fetchImage(url, STRICT), 'IMAGE_URL', 'url', /non-public address/);
    }
    expect(httpRequest).not.toHaveBeenCalled();
    expect(httpsRequest).not.toHaveBeenCalled();
    expect(connections).toBe(before.connections);
    expect(requests.length).toBe(before.requests);
    // Sanity check that the spy and counters would have seen a connection.
    await fetchImage(`${base}/img`, LOCAL);
    expect(httpRequest).toHaveBeenCalledTimes(1);
    expect(connections).toBe(before.connections + 1);
  });

  it('refuses schemes other than http and https without connecting', async () => {
    const httpRequest = vi.spyOn(http, 'request');
    const urls = ['ftp://127.0.0.1/x.png', 'file:///etc/passwd', 'gopher://127.0.0.1:70/', 'data:image/png;base64,AAAA'];
    for (const url of urls) {
      await expectIrisError(() => fetchImage(url, STRICT), 'IMAGE_URL', 'url', /only http and https/);
    }
    expect(httpRequest).not.toHaveBeenCalled();
  });
});

describe('validateHop', () => {
  const ctx = (resolve?: HopContext['resolve']): HopContext => ({
    field: 'url',
    maxUrlLength: 200,
    allowPrivate: false,
    redirect: false,
    resolve,
  });

  it('refuses a host if ANY of its addresses is non-public', async () => {
    const resolve = vi.fn(async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ]);
    await expectIrisError(() => validateHop('http://mixed.example/a.jpg', ctx(resolve)), 'IMAGE_URL', 'url');
    expect(resolve).toHaveBeenCalledWith('mixed.example');
  });

  it('does not echo resolved internal addresses back to the client', async () => {
    const err = await expectIrisError(
      () => validateHop('http://intranet.example/', ctx(async () => [{ address: '10.11.12.13', family: 4 }])),
      'IMAGE_URL',
      'url',
    );
    expect(err.message).not.toContain('10.11.12.13');
  });

  it('returns every checked address for a public host, to pin the connection to', async () => {
    const addresses = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ];
    const hop = await validateHop('https://cdn.example/img.png?x=1', ctx(async () => addresses));
    expect(hop.url.href).toBe('https://cdn.example/img.png?x=1');
    expect(hop.addresses).toEqual(addresses);
  });

  it('does not consult DNS for literal IP hosts', async () => {
    const resolve = vi.fn(async () => [{ address: '8.8.8.8', family: 4 }]);
    const hop = await validateHop('http://[2606:4700:4700::1111]:8080/x', ctx(resolve));
    expect(hop.addresses).toEqual([{ address: '2606:4700:4700::1111', family: 6 }]);
    await expectIrisError(() => validateHop('http://192.168.0.1/', ctx(resolve)), 'IMAGE_URL', 'url');
    expect(resolve).not.toHaveBeenCalled();
  });

  it('reports a name that does not resolve with IMAGE_URL', async () => {
    const resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const message = /could not be resolved/;
    await expectIrisError(() => validateHop('http://nowhere.invalid/', ctx(resolve)), 'IMAGE_URL', 'url', message);
    await expectIrisError(() => validateHop('http://empty.example/', ctx(async () => [])), 'IMAGE_URL', 'url', message);
  });

  it('refuses a redirect from a public host to a private address', async () => {
    // The same check the fetch loop applies to each Location it is sent to.
    await expectIrisError(
      () => validateHop('http://169.254.169.254/latest/meta-data/', { ...ctx(), redirect: true }),
      'IMAGE_URL',
      'url',
      /non-public address/,
    );
  });
});

describe('fetch loop with a pinned validator', () => {
  /**
   * Pretends "images.example" is a vetted public host whose address is 127.0.0.1, so the
   * fetch loop can be driven end to end against the local server; later hops get the real,
   * strict validator.
   */
  const pinnedFirstHop = (calls: Array<[string, boolean]>): HopValidator => async (url, hopCtx) => {
    calls.push([url, hopCtx.redirect]);
    const parsed = new URL(url);
    if (parsed.hostname === 'images.example') return { url: parsed, addresses: [{ address: '127.0.0.1', family: 4 }] };
    return validateHop(url, hopCtx);
  };
  const STRICT: FetchLimits = { ...LOCAL, allowPrivate: false };

  it('connects to the validated address, keeping the hostname in the Host header', async () => {
    // images.example does not resolve anywhere: the body proves the pinned address was used.
    const body = await fetchImageVia(pinnedFirstHop([]), `http://images.example:${port}/host`, STRICT);
    expect(body.toString()).toBe(`images.example:${port}`);
  });

  it('refuses a redirect from an allowed host to a private address, never requesting it', async () => {
    const calls: Array<[string, boolean]> = [];
    const before = requests.length;
    await expectIrisError(
      () => fetchImageVia(pinnedFirstHop(calls), `http://images.example:${port}/to-private`, STRICT),
      'IMAGE_URL',
      'url',
      /non-public address/,
    );
    expect(calls).toEqual([
      [`http://images.example:${port}/to-private`, false],
      [`http://127.0.0.1:${port}/img`, true],
    ]);
    expect(requests.slice(before)).toEqual(['/to-private']);
  });

  it('validates every hop of a redirect chain', async () => {
    const calls: Array<[string, boolean]> = [];
    const lenient: HopValidator = async (url, hopCtx) => {
      calls.push([url, hopCtx.redirect]);
      return validateHop(url, { ...hopCtx, allowPrivate: true });
    };
    expect(await fetchImageVia(lenient, `${base}/r/2`, STRICT)).toEqual(IMAGE);
    expect(calls).toEqual([
      [`${base}/r/2`, false],
      [`${base}/r/1`, true],
      [`${base}/r/0`, true],
      [`${base}/img`, true],
    ]);
  });
});
