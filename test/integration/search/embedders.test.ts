/**
 * A library keeps the embedding model it was created with (lib/search/embedders.ts): adds and
 * searches of it get that model's engine, whatever a new library would get today, and a similar
 * library created before the model was recorded keeps MobileNetV2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOperation, searchOperation } from '../../../lib/search/api';
import { LEGACY_SIMILAR_EMBEDDER, SIMILAR_EMBEDDER, embedderFor, libraryEmbedder } from '../../../lib/search/embedders';
import { createLibrary, getLibrary } from '../../../lib/search/library';
import { engineFor, setEngineProvider } from '../../../lib/search/provider';
import { libraryKeys } from '../../../lib/store/keys';
import { testEngine, testImage } from '../../support/search-test-engine';
import { startServices, type TestServices } from '../../support/services';

let env: TestServices;
const asked: Array<[string, string]> = [];

beforeAll(async () => {
  env = await startServices();
  setEngineProvider(async (kind, embedder) => (asked.push([kind, embedder]), testEngine(kind)));
});
afterAll(async () => {
  setEngineProvider();
  await env?.stop();
});

describe('the model of a new library', () => {
  it('is InceptionV3 for similar and product, MobileNetV2 for the other kinds, unless the deployment names another', () => {
    expect(embedderFor('similar', {})).toBe(SIMILAR_EMBEDDER);
    expect(embedderFor('product', {})).toBe('inceptionv3-gem-256');
    expect(embedderFor('same_hq', {})).toBe('mobilenetv2');
    expect(embedderFor('similar', { IRIS_SIMILAR_EMBEDDER: 'mobilenetv2-gem', IRIS_EMBEDDER: 'x' })).toBe('mobilenetv2-gem');
    expect(embedderFor('similar', { IRIS_EMBEDDER: 'file:/opt/models/clip' })).toBe('file:/opt/models/clip');
    expect(embedderFor('materiel', { IRIS_SIMILAR_EMBEDDER: 'mobilenetv2-gem' })).toBe('mobilenetv2');
  });

  it('is recorded with the library and read back', async () => {
    const p = await env.project('embedders-new');
    expect((await createLibrary(env.stores.metadata, p.projectId, 'similar')).embedder).toBe(SIMILAR_EMBEDDER);
    expect((await getLibrary(env.stores.metadata, p.projectId, 'similar')).embedder).toBe(SIMILAR_EMBEDDER);
    await createLibrary(env.stores.metadata, p.projectId, 'same_hq');
    expect((await getLibrary(env.stores.metadata, p.projectId, 'same_hq')).embedder).toBe('mobilenetv2');
  });
});

describe('adds and searches use the library\'s own model', () => {
  const image = async (seed: number) => (await testImage(seed, { width: 160, height: 160 })).toString('base64');

  it('even after the deployment changed the default for new libraries', async () => {
    const p = await env.project('embedders-kept');
    await createLibrary(env.stores.metadata, p.projectId, 'similar');
    const before = process.env.IRIS_SIMILAR_EMBEDDER;
    process.env.IRIS_SIMILAR_EMBEDDER = 'mobilenetv2-gem';
    try {
      asked.length = 0;
      await addOperation(env.stores, engineFor, p.projectId, 'similar', { image: await image(1), brief: 'one' });
      await searchOperation(env.stores, engineFor, p.projectId, 'similar', { image: await image(1) });
      expect(asked).toEqual([
        ['similar', SIMILAR_EMBEDDER],
        ['similar', SIMILAR_EMBEDDER],
      ]);
    } finally {
      if (before === undefined) delete process.env.IRIS_SIMILAR_EMBEDDER;
      else process.env.IRIS_SIMILAR_EMBEDDER = before;
    }
  });

  it('a similar library created before the model was recorded keeps MobileNetV2', async () => {
    const p = await env.project('embedders-legacy');
    await createLibrary(env.stores.metadata, p.projectId, 'similar');
    // The library item as an earlier release wrote it: no embedder attribute.
    await env.stores.metadata.update(libraryKeys.library(p.projectId, 'similar'), { remove: ['embedder'] });
    const lib = await getLibrary(env.stores.metadata, p.projectId, 'similar');
    expect(lib.embedder).toBeUndefined();
    expect(libraryEmbedder(lib)).toBe(LEGACY_SIMILAR_EMBEDDER);
    asked.length = 0;
    await addOperation(env.stores, engineFor, p.projectId, 'similar', { image: await image(2), brief: 'two' });
    const found = await searchOperation(env.stores, engineFor, p.projectId, 'similar', { image: await image(2) });
    expect(found.result_num).toBe(1);
    expect(asked).toEqual([
      ['similar', LEGACY_SIMILAR_EMBEDDER],
      ['similar', LEGACY_SIMILAR_EMBEDDER],
    ]);
  });
});
