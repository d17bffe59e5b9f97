import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import { buildGuideSearchIndex, searchServices, type GuideSearchIndex } from './search.js';

let index: GuideSearchIndex;
beforeAll(() => {
  index = buildGuideSearchIndex(loadContent(join(import.meta.dirname, '../../../content/hall')));
});

const names = (query: string, limit = 20): string[] => searchServices(index, query, limit).map((hit) => hit.service.name);

describe('searchServices', () => {
  it('finds the 身份证 services by initials, full pinyin, a mix and Chinese, each service once', () => {
    for (const query of ['sfz', 'shenfenzheng', 'shenfz', '身份证']) {
      const top = names(query, 4);
      expect(top, query).toHaveLength(4);
      expect(new Set(top).size, query).toBe(4);
      expect(
        top.every((name) => name.includes('身份证')),
        `${query}: ${top.join(',')}`,
      ).toBe(true);
      expect(top, query).toEqual(expect.arrayContaining(['居民身份证补领', '居民身份证首次申领', '居民身份证换领', '临时居民身份证办理']));
    }
  });

  it('ranks a service whose name starts with the query first, and reports what matched', () => {
    const hits = searchServices(index, 'yingyezhizhao');
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(hits.slice(0, 3).map((h) => h.service.name)).toEqual(expect.arrayContaining(['营业执照遗失补领、换发', '个体工商户设立登记（营业执照）']));
    expect(names('营业执照')[0]).toBe('营业执照遗失补领、换发');
    expect(names('yyzz')[0]).toBe('营业执照遗失补领、换发');
    const lost = searchServices(index, '身份证丢了')[0];
    expect(lost).toMatchObject({ matched: '身份证丢了', matchedBy: 'keyword', service: { id: 'ps-idcard-reissue' } });
  });

  it('a department match lists its services below direct matches', () => {
    const hits = searchServices(index, 'gaj', 50);
    expect(hits.length).toBeGreaterThan(3);
    expect(hits.filter((h) => h.matchedBy === 'department').every((h) => h.service.departmentName === '公安局')).toBe(true);
    const mixed = searchServices(index, '公安', 50);
    expect(mixed.some((h) => h.matchedBy === 'department')).toBe(true);
  });

  it('returns nothing for empty, unmatched or hostile input and honours the limit', () => {
    expect(searchServices(index, '')).toEqual([]);
    expect(searchServices(index, '   ')).toEqual([]);
    expect(searchServices(index, 'qqqqqqq')).toEqual([]);
    expect(searchServices(index, '\u0000\u202e')).toEqual([]);
    expect(searchServices(index, 's', 3)).toHaveLength(3);
  });
});
