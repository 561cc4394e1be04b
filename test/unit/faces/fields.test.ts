import { describe, expect, it } from 'vitest';
import { IrisError } from '../../../lib/errors';
import { checkFields, parseSchema, schemaView, toColumns } from '../../../lib/faces/fields';
import { distanceFor, similarityOf, D_MATCH } from '../../../lib/faces/similarity';

const frsCode = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof IrisError ? (e.codes.frs ?? e.kind) : String(e);
  }
  return undefined;
};

describe('external_fields schema', () => {
  const schema = parseSchema({ timestamp: { type: 'long' }, id: { type: 'string' }, vip: { type: 'boolean' }, n: { type: 'integer' }, w: { type: 'float' } });

  it('round-trips the declared schema and maps each field to its own column', () => {
    expect(schemaView(schema)).toEqual({ timestamp: { type: 'long' }, id: { type: 'string' }, vip: { type: 'boolean' }, n: { type: 'integer' }, w: { type: 'float' } });
    expect(schema.map((f) => f.column)).toEqual(['ef0', 'ef1', 'ef2', 'ef3', 'ef4']);
  });

  it('accepts the FRS "Updating a Face" example body (a long sent as a digit string)', () => {
    expect(checkFields(schema, { timestamp: 12, id: '300018629384756' })).toEqual({ timestamp: 12, id: '300018629384756' });
    expect(checkFields(schema, { timestamp: '300018629384756' })).toEqual({ timestamp: 300018629384756 });
  });

  it('answers FRS.0406 for undeclared fields and type mismatches', () => {
    expect(frsCode(() => checkFields(schema, { age: 3 }))).toBe('FRS.0406');
    expect(frsCode(() => checkFields(schema, { timestamp: 1.5 }))).toBe('FRS.0406');
    expect(frsCode(() => checkFields(schema, { vip: 'yes' }))).toBe('FRS.0406');
    expect(frsCode(() => checkFields(schema, { n: 2 ** 31 }))).toBe('FRS.0406');
    expect(frsCode(() => checkFields(schema, { id: '' }))).toBe('FRS.0406');
    expect(frsCode(() => checkFields(schema, { id: 'x'.repeat(257) }))).toBe('FRS.0406');
  });

  it('refuses bad schemas: unknown types, bad keys, more than 10 fields', () => {
    expect(frsCode(() => parseSchema({ a: { type: 'date' } }))).toBe('BAD_PARAM');
    expect(frsCode(() => parseSchema({ 'a b': { type: 'long' } }))).toBe('BAD_PARAM');
    expect(frsCode(() => parseSchema(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, { type: 'long' }]))))).toBe('BAD_PARAM');
  });

  it('stores booleans as 0/1 and absent fields as null', () => {
    expect(toColumns(schema, { vip: true, timestamp: 5 })).toEqual({ ef0: 5, ef1: null, ef2: 1, ef3: null, ef4: null });
  });
});

describe('similarity', () => {
  it('puts the match distance exactly at the documented 0.93 and is monotonic in [0, 1]', () => {
    expect(similarityOf(0)).toBe(1);
    expect(similarityOf(D_MATCH)).toBeCloseTo(0.93, 6);
    let prev = 2;
    for (let d = 0; d <= 2; d += 0.01) {
      const s = similarityOf(d);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(prev);
      prev = s;
    }
    expect(similarityOf(1.5)).toBe(0);
  });

  it('inverts: distanceFor(t) is the largest distance still at similarity t', () => {
    for (const t of [0.2, 0.5, 0.93, 0.97]) expect(similarityOf(distanceFor(t))).toBeCloseTo(t, 5);
  });
});
