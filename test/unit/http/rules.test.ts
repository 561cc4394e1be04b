/**
 * Rules across fields live in the operations' schemas (refinements) and answer with the same
 * error kind, message and field as the handlers did: FRS search takes face_id or an image, not
 * both; a raw (NV21/NV12) hard-example frame needs width and height.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import facesSearch from '../../../functions/faces/search';
import upload from '../../../functions/hard-examples/upload';
import { IrisError } from '../../../lib/errors';
import { errorEnvelope } from '../../../lib/http/envelope';
import { lambdaHandler } from '../../../lib/http/handler';
import { validate } from '../../../lib/http/validate';
import { call } from '../../support/http';

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const thrown = (f: () => unknown): IrisError => {
  try {
    f();
  } catch (e) {
    if (e instanceof IrisError) return e;
    throw e;
  }
  throw new Error('no error thrown');
};

describe('FRS search: face_id or an image, not both', () => {
  const path = { project_id: 'p', face_set_name: 'staff' };

  it('refuses both, as FRS.0012 on face_id', () => {
    const e = thrown(() => validate(facesSearch.schema!, { path, query: {}, body: { face_id: 'iexEBb6t', image_base64: 'AAAA' } }));
    expect([e.kind, e.message, e.field]).toEqual(['BAD_PARAM', 'face_id: give either face_id or an image, not both', 'face_id']);
    const env = errorEnvelope('frs', e, { logId: 1, requestId: 'r' });
    expect(env.statusCode).toBe(400);
    expect(JSON.parse(env.body!)).toEqual({ error_code: 'FRS.0012', error_msg: 'face_id: give either face_id or an image, not both' });
  });

  it('accepts either one', () => {
    expect(validate(facesSearch.schema!, { path, query: {}, body: { face_id: 'iexEBb6t' } }).body.face_id).toBe('iexEBb6t');
    expect(validate(facesSearch.schema!, { path, query: {}, body: { image_url: 'https://example.com/a.jpg' } }).body.top_n).toBe(10);
  });

  it('still reports a bad field before the rule', () => {
    const e = thrown(() => validate(facesSearch.schema!, { path, query: {}, body: { face_id: 'x', image_base64: 'AAAA', threshold: 7 } }));
    expect(e.field).toBe('threshold');
  });
});

describe('hard-example upload: a raw frame needs width and height', () => {
  const path = { project_id: 'p', config_id: 'c', upload_key: 'k' };
  const frame = { frame: Buffer.alloc(12).toString('base64'), index: 1, model_name: 'm', camera_name: 'front' };

  it('answers MISSING_PARAM on width in the ModelArts envelope, before looking the configuration up', async () => {
    const r = await call(lambdaHandler(upload), { pathParameters: path, json: frame });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error_code: 'ModelArts.0104', error_msg: 'an NV21 frame needs width and height' });
    const e = thrown(() => validate(upload.schema!, { path, query: {}, body: { ...frame, format: 'nv12', width: 4 } }));
    expect([e.kind, e.message, e.field]).toEqual(['MISSING_PARAM', 'an NV21 frame needs width and height', 'width']);
  });

  it('accepts a JPEG without dimensions and a raw frame with them', () => {
    expect(validate(upload.schema!, { path, query: {}, body: { ...frame, format: 'jpeg' } }).body.format).toBe('jpeg');
    expect(validate(upload.schema!, { path, query: {}, body: { ...frame, width: '4', height: '2' } }).body).toMatchObject({ width: 4, height: 2, format: 'nv21' });
  });
});
