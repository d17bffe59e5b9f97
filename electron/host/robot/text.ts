/**
 * Text hygiene and character n-grams for short Chinese questions. Pure
 * functions: the trainer, the classifier and the lexical matcher all see the
 * same normalised text, so a question is featurised identically everywhere.
 */

/** Longer input is cut before any work: a question is a sentence, not a document. */
export const MAX_INPUT_CHARS = 200;

// Anything that is not a letter, digit or CJK ideograph carries no meaning for
// intent (punctuation, emoji, control characters, whitespace).
const NOT_MEANINGFUL = /[^\p{Script=Han}\p{L}\p{N}]/gu;

/** NFKC (full-width → half-width), lower case, meaningful characters only, at most MAX_INPUT_CHARS. */
export function normalizeText(input: unknown): string {
  if (typeof input !== 'string') return '';
  // Cut early (a 10,000-character paste must stay cheap), then again after cleaning.
  const head = input.slice(0, MAX_INPUT_CHARS * 4);
  return Array.from(head.normalize('NFKC').toLowerCase().replace(NOT_MEANINGFUL, ''))
    .slice(0, MAX_INPUT_CHARS)
    .join('');
}

/** Character n-grams of already normalised text, orders `minN`..`maxN`, in order of appearance (duplicates kept). */
export function charNgrams(text: string, minN: number, maxN: number): string[] {
  const chars = Array.from(text);
  const grams: string[] = [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= chars.length; i++) grams.push(chars.slice(i, i + n).join(''));
  }
  return grams;
}

/** FNV-1a 32-bit: a stable hash for deterministic splits and seeds. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Fisher–Yates with a given PRNG; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
