import { describe, expect, it } from 'vitest';
import { IrisError } from '../../../lib/errors';
import { parseFaceFilter } from '../../../lib/faces/filter';
import { parseSchema, type FieldSchema } from '../../../lib/faces/fields';
import { toSql } from '../../../lib/store/lancedb';

/** The filter as the LanceDB adapter renders it. */
const filterToSql = (filter: string, s: FieldSchema): string => toSql(parseFaceFilter(filter, s));

const schema = parseSchema({
  timestamp: { type: 'long' },
  male: { type: 'boolean' },
  name: { type: 'string' },
  score: { type: 'double' },
  'the-id': { type: 'string' },
});

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof IrisError ? `${e.kind}${e.codes.frs ? `:${e.codes.frs}` : ''}` : String(e);
  }
  return undefined;
};

describe('filterToSql', () => {
  it('translates the reference example with an inclusive range and a negation', () => {
    expect(filterToSql('timestamp:[12 TO *] && !male:true', schema)).toBe('((ef0 >= 12) AND (NOT coalesce((ef1 = 1), false)))');
  });

  it('uses strict comparisons for {} bounds and mixes bound kinds', () => {
    expect(filterToSql('timestamp:{1 TO 5}', schema)).toBe('(ef0 > 1 AND ef0 < 5)');
    expect(filterToSql('score:{0.5 TO 2]', schema)).toBe('(ef3 > 0.5 AND ef3 <= 2)');
    expect(filterToSql('timestamp:[* TO *]', schema)).toBe('(ef0 IS NOT NULL)');
  });

  it('gives && precedence over || and honours parentheses', () => {
    expect(filterToSql('timestamp:1 || timestamp:2 && male:false', schema)).toBe('((ef0 = 1) OR ((ef0 = 2) AND (ef1 = 0)))');
    expect(filterToSql('(timestamp:1 || timestamp:2) && male:false', schema)).toBe('(((ef0 = 1) OR (ef0 = 2)) AND (ef1 = 0))');
  });

  it('quotes strings so that a filter cannot inject SQL', () => {
    expect(filterToSql(`name:"o'brien') OR (1=1"`, schema)).toBe(`(ef2 = 'o''brien'') OR (1=1')`);
    expect(filterToSql('the-id:abc_1', schema)).toBe("(ef4 = 'abc_1')");
    expect(filterToSql('external_image_id:"img-1"', schema)).toBe("(external_image_id = 'img-1')");
  });

  it('refuses filters that do not parse or do not fit the schema (FRS.0012)', () => {
    for (const bad of ['', 'timestamp:[1 TO', 'timestamp:[1 5]', 'unknown:1', 'timestamp:abc', 'male:yes', 'name:[a TO b]', '(timestamp:1', 'timestamp:1 &&', 'timestamp:1 OR) 1=1']) {
      expect(codeOf(() => filterToSql(bad, schema)), bad).toBe('BAD_PARAM');
    }
  });
});
