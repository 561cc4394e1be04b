/**
 * A request that runs out of time stores nothing, says so, and its retry stores exactly once:
 * writes do not start a commit they cannot finish within the invocation's budget, middy answers
 * before Lambda stops the function, and what the operation did after that answer is logged.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as addImageHandler } from '../../../functions/search/add/handler';
import { main as createSet } from '../../../functions/faces/create-set/handler';
import { main as addFaces } from '../../../functions/faces/add-faces/handler';
import { main as showSet } from '../../../functions/faces/show-set/handler';
import { logger } from '../../../lib/http/handler';
import { createLibrary, getLibrary, libraryObjectPrefix } from '../../../lib/search/library';
import { setEngineProvider } from '../../../lib/search/provider';
import type { SearchEngine } from '../../../lib/search/engine';
import { COMMIT_BUDGET_MS } from '../../../lib/store/write';
import { faceModel } from '../../../lib/vision/face-model';
import { call } from '../../support/http';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
let p: Awaited<ReturnType<TestServices['project']>>;
let describeDelayMs = 0;

/** The test engine, slowed down: describing an image takes `describeDelayMs`. */
const slowEngine = (): SearchEngine => {
  const e = testEngine('similar');
  return {
    ...e,
    describe: async (image) => {
      await new Promise((r) => setTimeout(r, describeDelayMs));
      return e.describe(image);
    },
  };
};

beforeAll(async () => {
  env = await startServices();
  p = await env.project('budget');
  setEngineProvider(async () => slowEngine());
  await createLibrary(env.stores.metadata, p.projectId, 'similar');
});
afterAll(async () => {
  setEngineProvider();
  await env?.stop();
});

const add = async (image: Buffer, timeoutMs?: number) =>
  call(addImageHandler, {
    path: '/rest/2.0/image-classify/v1/realtime_search/similar/add',
    query: { access_token: p.token },
    form: { image: image.toString('base64'), brief: 'b' },
    timeoutMs,
  });

describe('image search add', () => {
  it('refuses to commit without the time to finish, stores nothing, and the retry stores once', async () => {
    const image = await testImage(1);
    describeDelayMs = 600;
    // The answer is due 500 ms before the limit; the commit needs COMMIT_BUDGET_MS before that.
    const tight = await add(image, COMMIT_BUDGET_MS + 1_000);
    expect(tight.body.error_code).toBe(18); // Baidu: busy, retry
    expect(tight.body.error_msg).toMatch(/retry/);
    const lib = await getLibrary(env.stores.metadata, p.projectId, 'similar');
    expect(lib.count).toBe(0);
    expect(await env.stores.objects.list(libraryObjectPrefix(lib))).toHaveLength(0);

    const retry = await add(image);
    expect(retry.body.cont_sign).toMatch(/,/);
    const again = await add(image);
    expect(again.body.error_code).toBe(216681);
    expect((await getLibrary(env.stores.metadata, p.projectId, 'similar')).count).toBe(1);
  });

  it('answers before Lambda stops it, and logs what the operation did after that answer', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const image = await testImage(2);
    describeDelayMs = 2_000;
    const res = await add(image, 1_200);
    expect(res.status).toBe(200);
    expect(res.body.error_code).toBe(282000);
    // The operation is still running; once it gives up (its deadline passed), that is logged.
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('the operation finished after its timeout was answered', expect.objectContaining({ outcome: 'failed' })), { timeout: 5_000 });
    const lib = await getLibrary(env.stores.metadata, p.projectId, 'similar');
    expect(lib.count).toBe(1); // only the earlier image
    expect(await env.stores.objects.list(libraryObjectPrefix(lib))).toHaveLength(3); // its image, sidecar and thumbnail
    warn.mockRestore();
  });
});

describe('face add', () => {
  it('answers FRS.0033 when the time is too short, stores nothing, and the retry stores the face once', async () => {
    const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
    const portrait = await sharp(join(demo, 'sample1.jpg')).extract({ left: 180, top: 60, width: 420, height: 520 }).jpeg().toBuffer();
    await faceModel();
    const base = { headers: { 'x-auth-token': p.token }, pathParameters: { project_id: p.projectId, face_set_name: 'budget' } };
    await call(createSet, { ...base, pathParameters: { project_id: p.projectId }, json: { face_set_name: 'budget' } });
    const req = { ...base, json: { image_base64: portrait.toString('base64'), external_image_id: 'door-1' } };
    const tight = await call(addFaces, { ...req, timeoutMs: COMMIT_BUDGET_MS + 600 });
    expect(tight.body.error_code).toBe('FRS.0033');
    expect((await call(showSet, { ...base, method: 'GET' })).body.face_set_info.face_number).toBe(0);
    const first = await call(addFaces, req);
    const second = await call(addFaces, req);
    expect(second.body.faces).toEqual(first.body.faces);
    expect((await call(showSet, { ...base, method: 'GET' })).body.face_set_info.face_number).toBe(1);
  });
});
