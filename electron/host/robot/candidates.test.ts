import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import { appRoot } from '../paths.js';
import { inputCandidates, spelledPart } from './candidates.js';
import { buildVocabulary } from './pinyin-search.js';

const vocabulary = buildVocabulary(loadContent(join(appRoot(), 'content', 'hall')));
const entry = (text: string, syllables: string[]) => ({ text, kind: 'keyword' as const, ids: [], syllables });

describe('input candidates', () => {
  it('cuts out the part of a term the letters spell', () => {
    expect(spelledPart('sfz', entry('居民身份证', ['ju', 'min', 'shen', 'fen', 'zheng']))).toBe('身份证');
    expect(spelledPart('shenfz', entry('身份证丢了', ['shen', 'fen', 'zheng', 'diu', 'le']))).toBe('身份证');
    expect(spelledPart('sfz', entry('身份证（临时）', ['shen', 'fen', 'zheng', 'lin', 'shi']))).toBeUndefined();
    expect(spelledPart('xyz', entry('身份证', ['shen', 'fen', 'zheng']))).toBeUndefined();
  });

  it('offers the spelled word first, then whole terms, without duplicates', () => {
    const texts = inputCandidates(vocabulary, 'sfz', 8).map((c) => c.text);
    expect(texts[0]).toBe('身份证');
    expect(texts.length).toBeGreaterThan(1);
    expect(new Set(texts).size).toBe(texts.length);
    expect(inputCandidates(vocabulary, 'gongan', 8).map((c) => c.text)).toContain('公安');
    expect(inputCandidates(vocabulary, '身份', 8).every((c) => c.text.includes('身份'))).toBe(true);
    expect(inputCandidates(vocabulary, '', 8)).toEqual([]);
    expect(inputCandidates(vocabulary, '😀', 8)).toEqual([]);
  });
});
