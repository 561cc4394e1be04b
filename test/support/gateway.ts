/**
 * A tiny stand-in for API Gateway (HTTP API, payload 2.0) on 127.0.0.1 for tests that drive
 * the handlers with real HTTP clients (e.g. an official SDK): routes come from the functions'
 * own `httpApi` events in functions/index.ts; each request becomes a v2 event for the handler.
 *
 *   const gw = await startGateway();   // after startServices()
 *   … client pointed at gw.url …
 *   await gw.stop();
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { functions } from '../../functions';
import { lambdaContext } from './http';

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  params: string[];
  handlerRef: string;
}

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const ROOT = join(import.meta.dirname, '..', '..');

function compile(template: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = template
    .split('/')
    .map((seg) => {
      const m = /^\{([^}]+?)(\+?)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1]);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
}

function routes(): { routes: Route[]; fallback?: string } {
  const out: Route[] = [];
  let fallback: string | undefined;
  for (const fn of functions) {
    for (const ev of fn.config.events ?? []) {
      if (!('httpApi' in ev)) continue;
      if (ev.httpApi === '*') {
        fallback = fn.config.handler;
        // What Lambda would put in the function's environment (e.g. the unknown-route family table).
        for (const [k, v] of Object.entries(fn.config.environment ?? {})) process.env[k] ??= String(v);
        continue;
      }
      out.push({ method: ev.httpApi.method.toUpperCase(), template: ev.httpApi.path, ...compile(ev.httpApi.path), handlerRef: fn.config.handler });
    }
  }
  // Literal segments beat parameters, like API Gateway's most-specific-route rule.
  out.sort((a, b) => a.params.length - b.params.length);
  return { routes: out, fallback };
}

const loaded = new Map<string, Promise<Handler>>();
function load(handlerRef: string): Promise<Handler> {
  let h = loaded.get(handlerRef);
  if (!h) {
    const dot = handlerRef.lastIndexOf('.');
    const file = join(ROOT, `${handlerRef.slice(0, dot)}.ts`);
    h = import(file).then((m) => m[handlerRef.slice(dot + 1)] as Handler);
    loaded.set(handlerRef, h);
  }
  return h;
}

const TEXT = /^(application\/(json|x-www-form-urlencoded|.*\+json)|text\/)/i;

async function toEvent(req: IncomingMessage, route: Route | undefined, match: RegExpExecArray | null): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://gateway');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const text = TEXT.test(headers['content-type'] ?? '');
  const method = (req.method ?? 'GET').toUpperCase();
  const pathParameters = route && match ? Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(match[i + 1])])) : undefined;
  const routeKey = route ? `${route.method} ${route.template}` : '$default';
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    headers,
    ...(raw.length ? { body: text ? raw.toString('utf8') : raw.toString('base64'), isBase64Encoded: !text } : { isBase64Encoded: false }),
    requestContext: { requestId: randomUUID(), routeKey, http: { method, path: url.pathname, sourceIp: '127.0.0.1' }, timeEpoch: Date.now() },
  };
}

export interface Gateway {
  url: string;
  stop(): Promise<void>;
}

export async function startGateway(): Promise<Gateway> {
  const table = routes();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const path = new URL(req.url ?? '/', 'http://gateway').pathname;
      const method = (req.method ?? 'GET').toUpperCase();
      let route: Route | undefined;
      let match: RegExpExecArray | null = null;
      for (const r of table.routes) {
        if (r.method !== method && r.method !== 'ANY') continue;
        match = r.pattern.exec(path);
        if (match) {
          route = r;
          break;
        }
      }
      const ref = route?.handlerRef ?? table.fallback;
      if (!ref) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
        return;
      }
      const result = await (await load(ref))(await toEvent(req, route, match), lambdaContext());
      const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>).end(body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Internal Server Error', error: String(e) }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
