/** Per-sample validation of the add-samples batch (ModelArts "Adding Samples in Batches", tables 4–10). */
import { describe, expect, it } from 'vitest';
import { checkFeature, parseSample } from '../../../lib/datasets/sample-input';

const data = Buffer.from('x').toString('base64');

describe('parseSample', () => {
  it('accepts names of 0–1024 characters without !<>=&"\'', () => {
    expect(parseSample({ name: '', data }, true).ok).toBe(true);
    expect(parseSample({ name: 'a'.repeat(1024), data }, true).ok).toBe(true);
    expect(parseSample({ name: 'a'.repeat(1025), data }, true).ok).toBe(false);
    for (const c of ['!', '<', '>', '=', '&', '"', "'"]) {
      const r = parseSample({ name: `a${c}b.jpg`, data }, true);
      expect(r.ok, c).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/name/);
    }
  });

  it('needs exactly one of data and data_source', () => {
    expect(parseSample({ name: 'a' }, true).ok).toBe(false);
    expect(parseSample({ data, data_source: { data_path: '/b/a.jpg' } }, true).ok).toBe(false);
    expect(parseSample({ data_source: { data_path: '/b/a.jpg' } }, true).ok).toBe(true);
  });

  it('checks sample_type, encoding and data_type against the documented lists', () => {
    expect(parseSample({ data, sample_type: 6 }, true).ok).toBe(true);
    expect(parseSample({ data, sample_type: 5 }, true).ok).toBe(false);
    expect(parseSample({ data, encoding: 'GB2312' }, true).ok).toBe(true);
    expect(parseSample({ data, encoding: 'utf8' }, true).ok).toBe(false);
    expect(parseSample({ data_source: { data_type: 7, data_path: 'x' } }, true).ok).toBe(false);
  });

  it('requires @modelarts:size only when a detection label is present', () => {
    const box = { name: 'car', type: 1, property: { '@modelarts:shape': 'bndbox', '@modelarts:feature': [[0, 0], [5, 5]] } };
    expect(parseSample({ data, labels: [box] }, true).ok).toBe(false);
    expect(parseSample({ data, labels: [box], metadata: { '@modelarts:size': [100, 200] } }, true).ok).toBe(true);
    expect(parseSample({ data, labels: [box], metadata: { '@modelarts:size': [100] } }, true).ok).toBe(false);
    expect(parseSample({ data, labels: [{ name: 'cat', type: 0 }] }, true).ok).toBe(true);
  });

  it('limits to-be-confirmed labels (final_annotation false) to classification and detection', () => {
    expect(parseSample({ data, labels: [{ name: 'cat', type: 0 }] }, false).ok).toBe(true);
    const r = parseSample({ data, labels: [{ name: 'speech', type: 200 }] }, false);
    expect(r.ok).toBe(false);
    expect(parseSample({ data, labels: [{ name: 'speech', type: 200 }] }, true).ok).toBe(true);
  });

  it('checks text indexes and speech times of label properties', () => {
    const ner = (s: number, e: number) => ({ data, labels: [{ name: 'PER', type: 101, property: { '@modelarts:start_index': s, '@modelarts:end_index': e } }] });
    expect(parseSample(ner(0, 23), true).ok).toBe(true);
    expect(parseSample(ner(5, 2), true).ok).toBe(false);
    const speech = (t: string) => ({ data, labels: [{ name: 's', type: 202, property: { '@modelarts:start_time': t } }] });
    expect(parseSample(speech('00:01:02.345'), true).ok).toBe(true);
    expect(parseSample(speech('1:2:3'), true).ok).toBe(false);
  });
});

describe('checkFeature', () => {
  it.each([
    ['bndbox', [[0, 10], [50, 95]], true],
    ['bndbox', [[0, 10], [0, 95]], false],
    ['polygon', [[0, 100], [50, 95], [10, 60], [500, 400]], true],
    ['circle', [[100, 100], [50]], true],
    ['circle', [[100, 100], [0]], false],
    ['line', [[0, 100], [50, 95]], true],
    ['dashed', [[0, 100], [50, 95], [1, 1]], false],
    ['point', [[0, 100]], true],
    ['polyline', [[0, 100], [50, 95], [10, 60]], true],
    ['point', [[0, -1]], false],
    ['polygon', 'not a list', false],
  ])('%s %j → %s', (shape, feature, ok) => {
    expect(checkFeature(shape as string, feature) === null).toBe(ok);
  });
});
