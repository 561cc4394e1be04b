/** Request parsing middleware: body (JSON, form, multipart) with size caps and family-neutral errors. */
import type { MiddlewareObj } from '@middy/core';
import jsonBodyParser from '@middy/http-json-body-parser';
import urlencodeBodyParser from '@middy/http-urlencode-body-parser';
import multipartBodyParser from '@middy/http-multipart-body-parser';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { IrisError } from '../errors';

export type HttpEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown; rawBody?: string };

const json = jsonBodyParser({ disableContentTypeError: true });
const form = urlencodeBodyParser({ disableContentTypeError: true });

/** API Gateway HTTP APIs accept payloads up to 10 MB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export function bodyParser(opts: { maxBytes?: number; multipartFileBytes?: number } = {}): MiddlewareObj<HttpEvent> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const multipart = multipartBodyParser({
    disableContentTypeError: true,
    busboy: { limits: { fileSize: opts.multipartFileBytes ?? maxBytes, files: 4, fields: 64 } },
  });
  return {
    before: async (request) => {
      const event = request.event;
      const headers = (event.headers ??= {});
      const raw = event.body;
      if (raw === undefined || raw === null || raw === '') {
        event.body = {};
        return;
      }
      if (typeof raw !== 'string') return;
      const size = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw);
      if (size > maxBytes) {
        throw new IrisError('BODY_TOO_LARGE', `request body of ${size} bytes exceeds the limit of ${maxBytes} bytes`);
      }
      event.rawBody = raw;
      const contentType = (headers['content-type'] ?? '').toLowerCase();
      try {
        if (/^application\/(.+\+)?json/.test(contentType)) await json.before!(request as never);
        else if (contentType.startsWith('application/x-www-form-urlencoded')) await form.before!(request as never);
        else if (contentType.startsWith('multipart/form-data')) await multipart.before!(request as never);
        else if (contentType === '') {
          // Clients that omit the content type: accept a JSON object or a form body by shape.
          const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
          if (text.trimStart().startsWith('{')) {
            headers['content-type'] = 'application/json';
            await json.before!(request as never);
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            await form.before!(request as never);
          }
        } else {
          throw new IrisError(
            'UNSUPPORTED_MEDIA_TYPE',
            `unsupported content type "${contentType}": send application/json, application/x-www-form-urlencoded or multipart/form-data`,
          );
        }
      } catch (e) {
        if (e instanceof IrisError) throw e;
        const what = contentType.includes('json') ? 'JSON' : contentType.includes('multipart') ? 'multipart form' : 'form';
        const status = (e as { statusCode?: number }).statusCode;
        if (status === 413 || /limit/i.test(String((e as Error).message))) {
          throw new IrisError('BODY_TOO_LARGE', `request body exceeds the limit of ${maxBytes} bytes`);
        }
        throw new IrisError('BODY_NOT_JSON', `request body is not valid ${what}`);
      }
      if (event.body === null || typeof event.body !== 'object' || Array.isArray(event.body)) {
        throw new IrisError('BODY_NOT_JSON', 'request body must be a JSON object');
      }
    },
  };
}
