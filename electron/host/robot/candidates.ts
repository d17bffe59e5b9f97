import { searchByPinyin, type VocabularyEntry, type VocabularyKind } from './pinyin-search.js';

/**
 * Candidates for the on-screen pinyin keyboard, like an input method's: for
 * "sfz" first the words the letters spell (身份证, cut out of the hall's terms
 * where the letters cover them), then the whole terms (身份证丢了…). Pure.
 */
export interface Candidate {
  text: string;
  kind: VocabularyKind;
}

/** How many syllables from `start` the letters cover (each syllable typed fully or as a prefix); -1 if they do not. */
function coveredSyllables(letters: string, syllables: readonly string[], start: number): number {
  const walk = (q: number, s: number): number => {
    if (q === letters.length) return s - start;
    const syllable = syllables[s];
    if (syllable === undefined) return -1;
    for (let k = Math.min(syllable.length, letters.length - q); k >= 1; k--) {
      if (letters.slice(q, q + k) !== syllable.slice(0, k)) continue;
      const covered = walk(q + k, s + 1);
      if (covered >= 0) return covered;
    }
    return -1;
  };
  return walk(0, start);
}

/** The part of a term the typed letters spell ("sfz" in 居民身份证 → 身份证), or undefined when it cannot be aligned. */
export function spelledPart(letters: string, entry: VocabularyEntry): string | undefined {
  const chars = Array.from(entry.text);
  // One syllable per character; terms with punctuation or mixed script do not align and are offered whole.
  if (letters === '' || chars.length !== entry.syllables.length) return undefined;
  for (let start = 0; start < chars.length; start++) {
    const covered = coveredSyllables(letters, entry.syllables, start);
    if (covered > 0) return chars.slice(start, start + covered).join('');
  }
  return undefined;
}

export function inputCandidates(vocabulary: readonly VocabularyEntry[], query: string, limit: number): Candidate[] {
  const matches = searchByPinyin(vocabulary, query, Math.max(limit * 4, 20));
  const letters = query.normalize('NFKC').toLowerCase().replace(/[^a-z]/g, '');
  const latinOnly = !/\p{Script=Han}/u.test(query) && letters !== '';
  const out = new Map<string, Candidate>();
  if (latinOnly) {
    for (const { entry } of matches) {
      const part = spelledPart(letters, entry);
      if (part !== undefined && !out.has(part)) out.set(part, { text: part, kind: entry.kind });
    }
  }
  for (const { entry } of matches) if (!out.has(entry.text)) out.set(entry.text, { text: entry.text, kind: entry.kind });
  return [...out.values()].slice(0, limit);
}
