/** Hard-example names, bucket paths and thumbnail parameters. */
import { describe, expect, it } from 'vitest';
import { IrisError } from '../../../lib/errors';
import { normalizeBucketPath, objectKeyOf } from '../../../lib/datasets/paths';
import { parseProcessParameter } from '../../../lib/datasets/thumbnail';
import { labelFacet, sampleIdOf } from '../../../lib/datasets/samples';
import { parseBaseName } from '../../../lib/hard-examples/importer';
import { hardExampleFileName, hardExampleIngestKey } from '../../../lib/hard-examples/names';

describe('hard-example names', () => {
  it('builds model_name-camera_name-index.jpg and refuses names over 1024 characters', () => {
    expect(hardExampleFileName('fruit', 'front', 12)).toBe('fruit-front-12.jpg');
    const longest = 'm'.repeat(1024 - '-c-1.jpg'.length);
    expect(hardExampleFileName(longest, 'c', 1)).toHaveLength(1024);
    expect(() => hardExampleFileName(`${longest}x`, 'c', 1)).toThrow(/1025 characters/);
    expect(() => hardExampleFileName('a/b', 'c', 1)).toThrow(IrisError);
    expect(() => hardExampleFileName('a', 'c', -1)).toThrow(/index/);
  });

  it('reads model, camera and index back from an ingest object name', () => {
    expect(parseBaseName('my-model-front-42')).toEqual({ modelName: 'my-model', cameraName: 'front', index: 42 });
    expect(() => parseBaseName('nonsense')).toThrow(IrisError);
    expect(hardExampleIngestKey('p1', 'c1', 'm-c-1', 'nv21')).toBe('ingest/p1/hard-examples/c1/m-c-1.nv21');
  });
});

describe('bucket paths', () => {
  it('normalizes directories and maps paths under the project', () => {
    expect(normalizeBucketPath('/b/dir', 'work_path', true)).toBe('/b/dir/');
    expect(normalizeBucketPath('/b/dir/a.jpg', 'p', false)).toBe('/b/dir/a.jpg');
    expect(objectKeyOf('p1', '/b/a.jpg')).toBe('data/p1/b/a.jpg');
    for (const bad of ['b/dir/', '/b//dir/', '/b/../x/', '/', '/b/./x']) expect(() => normalizeBucketPath(bad, 'p', true), bad).toThrow(IrisError);
  });

  it('derives the sample id from the dataset and the path (the documented 32-hex info)', () => {
    expect(sampleIdOf('ds1', '/b/a.jpg')).toMatch(/^[0-9a-f]{32}$/);
    expect(sampleIdOf('ds1', '/b/a.jpg')).toBe(sampleIdOf('ds1', '/b/a.jpg'));
    expect(sampleIdOf('ds1', '/b/a.jpg')).not.toBe(sampleIdOf('ds2', '/b/a.jpg'));
  });
});

describe('label facets', () => {
  it('keeps GSI keys under DynamoDB\'s 2048-byte cap by hashing long label names', () => {
    expect(labelFacet('cat')).toBe('L#cat');
    const cjk = '猫'.repeat(1024); // 3072 bytes
    expect(labelFacet(cjk)).toMatch(/^L#sha256:[0-9a-f]{64}$/);
    expect(labelFacet(cjk)).not.toBe(labelFacet('猫'.repeat(1023)));
  });
});

describe('process_parameter', () => {
  it('parses image/resize with m_lfit / m_fixed, h_ and w_', () => {
    expect(parseProcessParameter('image/resize,m_lfit,h_200')).toEqual({ mode: 'lfit', height: 200 });
    expect(parseProcessParameter('image/resize,m_fixed,w_100,h_50')).toEqual({ mode: 'fixed', width: 100, height: 50 });
  });

  it('refuses other operations, unknown arguments and sizes outside 1..4096', () => {
    for (const bad of ['image/crop,w_10', 'image/resize,m_pad,h_10', 'image/resize,h_0', 'image/resize,w_5000', 'image/resize,m_lfit', 'image/resize,x_1']) {
      expect(() => parseProcessParameter(bad), bad).toThrow(IrisError);
    }
  });
});
