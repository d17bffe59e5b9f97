import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentError } from '../content/loader.js';
import { buildFeatureConfig, Featurizer } from './features.js';
import { compileGlossary, GLOSSARY_FILE, glossaryPairs, glossaryProblems, type GlossaryEntry } from './glossary.js';
import { asTrainingQuestion, loadTrainingContent, readGlossary } from './training-questions.js';

const HALL = join(import.meta.dirname, '../../../content/hall');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const entries: GlossaryEntry[] = [
  { to: '身份证', from: ['身份正', 'id card', 'id'], kind: 'typo' },
  { to: '社保卡', from: ['社宝卡'], kind: 'typo' },
  { to: '卫生间', from: ['toilet', 'wc'], kind: 'english' },
  { to: '没有', from: ['冇得'], kind: 'dialect' },
  { to: '丢了', from: ['搞掉哒', 'lost'], kind: 'dialect' },
];
const rewrite = compileGlossary(glossaryPairs(entries));
const plain = (text: string): string => rewrite(text).replace(/\s+/gu, '');

/**
 * The rewrite as one regular expression of every `from` (longest first), as
 * it was before the trie: the reference the trie must equal. It tried the
 * whole alternation at every character (~1.4 ms a question with ~1,100
 * phrases; the trie takes ~0.02 ms).
 */
function regexRewrite(pairs: ReturnType<typeof glossaryPairs>): (text: string) => string {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  const patternOf = (from: string): string => {
    const body = from.split(' ').map(escape).join("[\\s\\-_'’]*");
    return /[a-z]/u.test(from) ? `(?<![a-z])${body}(?![a-z])` : body;
  };
  const target = new Map(pairs.map(([from, to]) => [from.replace(/ /gu, ''), to]));
  const sorted = [...pairs].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
  const pattern = new RegExp(sorted.map(([from]) => patternOf(from)).join('|'), 'gu');
  return (text) => text.normalize('NFKC').toLowerCase().replace(pattern, (match) => ` ${target.get(match.replace(/[\s\-_'’]+/gu, '')) ?? match} `);
}

describe('compileGlossary', () => {
  it('gives exactly what one longest-first regular expression gives, on training questions, the phrases themselves and random text', () => {
    const { pairs } = readGlossary(HALL);
    const trie = compileGlossary(pairs);
    const regex = regexRewrite(pairs);
    // Every eighth training question: the reference expression costs ~1.4 ms a question.
    const texts = Object.values(loadTrainingContent(HALL).trainingQuestions)
      .flatMap((list) => list.map((entry) => asTrainingQuestion(entry).text))
      .filter((_, i) => i % 8 === 0);
    for (const [from] of pairs) texts.push(`x${from}`, ` ${from}-${from}s `, from.replace(/ /gu, '-'), from.replace(/ /gu, ''));
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const alphabet = "abcdeilnorstuw -_'’身份证卡WC号";
    for (let k = 0; k < 1500; k++) texts.push(Array.from({ length: 1 + (random() % 30) }, () => alphabet[random() % alphabet.length]).join(''));
    expect(texts.length).toBeGreaterThan(6_000);
    expect(texts.filter((text) => trie(text) !== regex(text))).toEqual([]);
  }, 60_000);


  it('rewrites homophone and typing errors to the content term', () => {
    expect(plain('身份正丢了怎么办')).toBe('身份证丢了怎么办');
    expect(plain('社宝卡坏了')).toBe('社保卡坏了');
  });

  it('rewrites Hunan dialect words', () => {
    expect(plain('身份证搞掉哒，冇得办法')).toBe('身份证丢了,没有办法');
  });

  it('rewrites English words in mixed-language and English questions, whole words only', () => {
    expect(plain('WC在哪')).toBe('卫生间在哪');
    expect(plain('I lost my ID-card')).toBe('i丢了my身份证');
    expect(plain('Where is the TOILET?')).toBe('whereisthe卫生间?');
    // "wc" inside "how can" and "id" inside "guide" are not words: left alone.
    expect(plain('how can I')).toBe('howcani');
    expect(plain('a guide')).toBe('aguide');
    // Longest first: "id card" is one term, not "id" + "card".
    expect(plain('id card')).toBe('身份证');
  });

  it('is the identity without pairs and leaves the content terms alone (rewriting twice changes nothing)', () => {
    expect(compileGlossary([])('WC在哪')).toBe('WC在哪');
    const once = rewrite('社宝卡搞掉哒 toilet');
    expect(rewrite(once)).toBe(once);
    expect(plain('身份证丢了')).toBe('身份证丢了');
  });
});

describe('glossaryProblems', () => {
  it('finds a term listed twice, a term mapped to itself and a target that would be rewritten again', () => {
    expect(glossaryProblems(entries)).toEqual([]);
    const problems = glossaryProblems([
      { to: '身份证', from: ['身份正', 'ID  card'], kind: 'typo' },
      { to: '护照', from: ['id card', '护照'], kind: 'english' },
      { to: '怎么样', from: ['么样'], kind: 'dialect' },
    ]);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/"id card" is already listed/);
    expect(problems.join('\n')).toMatch(/"护照" is the term itself/);
    expect(problems.join('\n')).toMatch(/contains "么样"/);
  });
});

describe('the glossary file', () => {
  function hallWith(glossary?: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-glossary-'));
    dirs.push(dir);
    for (const file of ['hall.json', 'services.json', 'intents.json']) cpSync(join(HALL, file), join(dir, file));
    if (glossary !== undefined) writeFileSync(join(dir, GLOSSARY_FILE), glossary);
    return dir;
  }

  it('is optional, and the demo hall ships a valid one', () => {
    expect(loadTrainingContent(hallWith()).glossary).toEqual([]);
    const shipped = readGlossary(HALL);
    expect(shipped.problems).toEqual([]);
    expect(shipped.pairs.length).toBeGreaterThan(100);
  });

  it('is refused with a clear error when broken', () => {
    expect(() => loadTrainingContent(hallWith('{not json'))).toThrow(ContentError);
    expect(() => loadTrainingContent(hallWith(JSON.stringify({ version: '1', provenance: 'x', entries: [{ to: '身份证', from: [], kind: 'typo' }] })))).toThrow(/glossary\.json: entries\.0\.from/);
    expect(() => loadTrainingContent(hallWith(JSON.stringify({ version: '1', provenance: 'x', entries: [{ to: '身份证', from: ['身份证'], kind: 'typo' }] })))).toThrow(/is the term itself/);
  });

  it('makes the features of a misspelt, dialect or English question those of the content term, and travels in the feature config', () => {
    const pairs = glossaryPairs(entries);
    const config = buildFeatureConfig(['身份证丢了', '卫生间在哪', '社保卡'], { minN: 1, maxN: 2, minDocFreq: 1, maxSize: 100, glossary: pairs });
    expect(config.glossary).toEqual(pairs);
    const featurizer = new Featurizer(JSON.parse(JSON.stringify(config)) as typeof config);
    expect(featurizer.sparse('身份正搞掉哒')).toEqual(featurizer.sparse('身份证丢了'));
    expect(featurizer.sparse('WC在哪')).toEqual(featurizer.sparse('卫生间在哪'));
    expect(featurizer.prepare('I lost my ID card')).toBe('i丢了my身份证');
    // Without the glossary in its config (an older model) nothing is rewritten.
    expect(new Featurizer({ kind: config.kind, minN: config.minN, maxN: config.maxN, vocabulary: config.vocabulary, idf: config.idf }).prepare('WC在哪')).toBe('wc在哪');
  });
});
