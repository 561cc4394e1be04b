import { describe, expect, it } from 'vitest';
import { IrisError } from '../../../lib/errors';
import { imageLimits, kindOfPath, operationPaths } from '../../../lib/search/contract';
import { whereOf, itemMatches } from '../../../lib/search/images';
import { rowMatches } from '../../../lib/store/filter';
import { toSql } from '../../../lib/store/lancedb';
import {
  checkBrief,
  contSignOf,
  parseClassId,
  parseContSign,
  parseContSignList,
  parseTagLogic,
  parseTags,
  parseWindow,
} from '../../../lib/search/params';

const rejects = (fn: () => unknown, kind: string, field: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IrisError);
    expect((e as IrisError).kind).toBe(kind);
    expect((e as IrisError).field).toBe(field);
    expect((e as IrisError).message).toContain(field);
    return;
  }
  throw new Error('expected a rejection');
};

describe('tags', () => {
  it('accepts up to two integers 1..65535', () => {
    expect(parseTags('100,11')).toEqual([100, 11]);
    expect(parseTags('1')).toEqual([1]);
    expect(parseTags('65535')).toEqual([65535]);
    expect(parseTags(undefined)).toEqual([]);
    expect(parseTags('')).toEqual([]);
  });
  it('rejects tags outside 1..65535, non-integers and a third tag with BAD_PARAM naming tags', () => {
    for (const v of ['0', '65536', '1,2,3', 'a', '1.5', '-3', '1,']) rejects(() => parseTags(v), 'BAD_PARAM', 'tags');
  });
  it('reads tag_logic 0 as and, 1 as or, and nothing else', () => {
    expect(parseTagLogic(undefined)).toBe('and');
    expect(parseTagLogic('0')).toBe('and');
    expect(parseTagLogic('1')).toBe('or');
    rejects(() => parseTagLogic('2'), 'BAD_PARAM', 'tag_logic');
  });
  it('accepts product class ids 1..60 only', () => {
    expect(parseClassId('60', 'class_id1')).toBe(60);
    expect(parseClassId(undefined, 'class_id2')).toBeUndefined();
    rejects(() => parseClassId('61', 'class_id1'), 'BAD_PARAM', 'class_id1');
    rejects(() => parseClassId('0', 'class_id2'), 'BAD_PARAM', 'class_id2');
  });
});

describe('paging window', () => {
  it('returns the top 300 without paging', () => expect(parseWindow(undefined, undefined)).toEqual({ start: 0, end: 300 }));
  it('never reaches past result 1000 (pn=900, rn=500 gives 900..1000)', () => expect(parseWindow('900', '500')).toEqual({ start: 900, end: 1000 }));
  it('pages with pn and rn', () => expect(parseWindow('100', '250')).toEqual({ start: 100, end: 350 }));
  it('rejects a start at or past 1000 and a zero count', () => {
    rejects(() => parseWindow('1000', '10'), 'BAD_PARAM', 'pn');
    rejects(() => parseWindow('0', '0'), 'BAD_PARAM', 'rn');
    rejects(() => parseWindow('x', '1'), 'BAD_PARAM', 'pn');
  });
});

describe('brief and cont_sign', () => {
  it('counts brief length in UTF-8 bytes (256 B)', () => {
    expect(checkBrief('a'.repeat(256))).toHaveLength(256);
    rejects(() => checkBrief('周'.repeat(86)), 'PARAM_TOO_LONG', 'brief'); // 258 bytes, 86 characters
  });
  it('parses "uint32,uint32" cont_signs and refuses anything else', () => {
    expect(parseContSign('4261577168,501945506')).toBe('4261577168,501945506');
    expect(parseContSign(' 1 , 2 ')).toBe('1,2');
    for (const v of ['8cnn32frvrr2cd901', '4294967296,1', '1;2', '1,2,3']) rejects(() => parseContSign(v), 'BAD_PARAM', 'cont_sign');
  });
  it('splits up to 100 cont_signs on ";" and refuses 101', () => {
    const signs = Array.from({ length: 100 }, (_, i) => `${i},${i + 1}`);
    expect(parseContSignList(signs.join(';'))).toHaveLength(100);
    rejects(() => parseContSignList([...signs, '7,7'].join(';')), 'BAD_PARAM', 'cont_sign');
  });
  it('derives a deterministic cont_sign from pixels, different for different pixels', () => {
    const a = { data: Buffer.from([1, 2, 3, 4, 5, 6]), width: 2, height: 1 };
    const b = { data: Buffer.from([1, 2, 3, 4, 5, 7]), width: 2, height: 1 };
    expect(contSignOf(a)).toMatch(/^\d{1,10},\d{1,10}$/);
    expect(contSignOf(a)).toBe(contSignOf({ ...a, data: Buffer.from(a.data) }));
    expect(contSignOf(a)).not.toBe(contSignOf(b));
    expect(contSignOf(a)).not.toBe(contSignOf({ ...a, width: 1, height: 2 }));
  });
});

describe('filters', () => {
  it('builds pre-filters for AND / OR tags and class ids', () => {
    expect(whereOf({ tags: [], logic: 'and' })).toBeUndefined();
    // As the LanceDB adapter renders them (every comparison in parentheses) …
    expect(toSql(whereOf({ tags: [1, 2], logic: 'and' })!)).toBe('(((tag_a = 1) OR (tag_b = 1)) AND ((tag_a = 2) OR (tag_b = 2)))');
    expect(toSql(whereOf({ tags: [1, 2], logic: 'or' })!)).toBe('(((tag_a = 1) OR (tag_b = 1)) OR ((tag_a = 2) OR (tag_b = 2)))');
    expect(toSql(whereOf({ tags: [], logic: 'and', classId1: 3, classId2: 4 })!)).toBe('((class_1 = 3) AND (class_2 = 4))');
    // … and as the in-memory adapter evaluates them.
    const row = { tag_a: 2, tag_b: 5, class_1: 3, class_2: 0 };
    expect(rowMatches(whereOf({ tags: [2, 5], logic: 'and' })!, row)).toBe(true);
    expect(rowMatches(whereOf({ tags: [1, 2], logic: 'and' })!, row)).toBe(false);
    expect(rowMatches(whereOf({ tags: [1, 5], logic: 'or' })!, row)).toBe(true);
    expect(rowMatches(whereOf({ tags: [], logic: 'and', classId1: 3, classId2: 4 })!, row)).toBe(false);
  });
  it('checks the same filter against an item', () => {
    const item = { tags: [1, 5] };
    expect(itemMatches({ tags: [1, 5], logic: 'and' }, item)).toBe(true);
    expect(itemMatches({ tags: [1, 2], logic: 'and' }, item)).toBe(false);
    expect(itemMatches({ tags: [1, 2], logic: 'or' }, item)).toBe(true);
    expect(itemMatches({ tags: [], logic: 'and', classId1: 2 }, { tags: [], class_id1: 2 })).toBe(true);
    expect(itemMatches({ tags: [], logic: 'and', classId1: 2 }, { tags: [], class_id1: 3 })).toBe(false);
  });
});

describe('contract', () => {
  it('maps every REST path to its kind', () => {
    expect(kindOfPath('/rest/2.0/realtime_search/same_hq/add')).toBe('same_hq');
    expect(kindOfPath('/rest/2.0/image-classify/v1/realtime_search/similar/search')).toBe('similar');
    expect(kindOfPath('/rest/2.0/image-classify/v1/realtime_search/product/update')).toBe('product');
    expect(kindOfPath('/rest/2.0/imagesearch/v1/realtime_search/picturebook/delete')).toBe('picturebook');
    expect(kindOfPath('/rest/2.0/image-classify/v1/realtime_search/materiel/add')).toBe('materiel');
    expect(kindOfPath('/rest/2.0/image-classify/v1/realtime_search/other/add')).toBeNull();
    expect(operationPaths('add')).toHaveLength(5);
  });
  it('has the per-kind pixel limits of Baidu\'s docs', () => {
    expect(imageLimits('same_hq', 'add').minSide).toBe(50);
    expect(imageLimits('similar', 'update').minSide).toBe(15);
    expect(imageLimits('product', 'search').minSide).toBe(300);
    expect(imageLimits('picturebook', 'add')).toMatchObject({ minSide: 150, maxSide: 4096, maxAspect: 10 });
    expect(imageLimits('same_hq', 'add').formats).toEqual(['jpeg', 'png', 'bmp']);
  });
});
