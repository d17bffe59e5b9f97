import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import { buildVocabulary, searchByPinyin, type VocabularyEntry } from './pinyin-search.js';

let vocabulary: VocabularyEntry[];

beforeAll(() => {
  vocabulary = buildVocabulary(loadContent(join(import.meta.dirname, '../../../content/hall')));
});

const texts = (query: string, limit = 10): string[] => searchByPinyin(vocabulary, query, limit).map((m) => m.entry.text);

describe('buildVocabulary', () => {
  it('holds service names, keywords, departments and available facilities, de-duplicated', () => {
    const kinds = new Set(vocabulary.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['service', 'keyword', 'department', 'facility']));
    expect(vocabulary.find((e) => e.text === '居民身份证补领')?.syllables).toEqual(['ju', 'min', 'shen', 'fen', 'zheng', 'bu', 'ling']);
    const restroom = vocabulary.filter((e) => e.kind === 'facility' && e.text === '卫生间');
    expect(restroom).toHaveLength(1);
    expect(restroom[0]?.ids).toHaveLength(4);
    expect(vocabulary.some((e) => e.text === '吸烟区')).toBe(false);
  });
});

describe('searchByPinyin', () => {
  it('finds by initials, full pinyin, a mix, and Chinese', () => {
    for (const query of ['sfz', 'shenfenzheng', 'shenfz', 'shen fen zheng', '身份证']) {
      const top = texts(query, 5);
      expect(top.length, query).toBeGreaterThan(0);
      expect(top.every((t) => t.includes('身份证')), `${query}: ${top.join(',')}`).toBe(true);
    }
  });

  it('ranks a match at the start of a term and shorter terms first', () => {
    const results = texts('sfz', 20);
    expect(results[0]?.startsWith('身份证')).toBe(true);
    expect(results.indexOf('居民身份证补领')).toBeGreaterThan(results.indexOf('身份证丢了'));
    expect(texts('wsj')[0]).toBe('卫生间');
    expect(texts('gongan')[0]).toBe('公安局');
  });

  it('returns nothing for empty, unmatched or odd input', () => {
    expect(searchByPinyin(vocabulary, '')).toEqual([]);
    expect(searchByPinyin(vocabulary, '   ')).toEqual([]);
    expect(searchByPinyin(vocabulary, '😀😀')).toEqual([]);
    expect(searchByPinyin(vocabulary, 'qqqqqq')).toEqual([]);
    expect(searchByPinyin(vocabulary, 'x'.repeat(10_000)).length).toBe(0);
  });
});
