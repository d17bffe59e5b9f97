import { z } from 'zod';

/**
 * The hall's glossary: words citizens use that the content does not — English
 * ("ID card", "toilet"), homophone and typing errors ("身份正", "社宝卡"), Hunan
 * dialect ("茅厕", "堂客") — each mapped to the content's own term before the
 * question is featurised. Character n-grams of "toilet" or "身份正" share
 * little with "卫生间" or "身份证"; after the rewrite they share everything.
 *
 * The glossary is content data (`glossary.json` beside the content package),
 * validated when training starts, and travels inside the model config
 * (`features.glossary`), so training and the kiosk rewrite identically.
 */
export const GLOSSARY_FILE = 'glossary.json';

/** One rewrite: what the citizen said → the content's term. */
export type GlossaryPair = readonly [from: string, to: string];

const Term = z.string().trim().min(1).max(40);

export const GlossaryEntry = z
  .object({
    /** The content's term every `from` becomes. */
    to: Term,
    /** What citizens say or type instead (Latin words match whole words only; spaces and hyphens between them are optional). */
    from: z.array(Term).min(1),
    /** Why it is in the glossary: english, typo (homophone or typing error), dialect, mixed-language. */
    kind: z.enum(['english', 'typo', 'dialect', 'mixed-language']),
  })
  .strict();
export type GlossaryEntry = z.infer<typeof GlossaryEntry>;

export const GlossaryFile = z
  .object({
    version: z.string().min(1),
    /** Who wrote it and what they saw: the held-out figures are only honest if the writer never saw the test lines. */
    provenance: z.string().min(1),
    entries: z.array(GlossaryEntry).min(1),
  })
  .strict();

/** How a `from` is compared: NFKC, lower case, runs of spaces/hyphens/underscores as one space. */
export function glossaryKey(term: string): string {
  return term.normalize('NFKC').toLowerCase().replace(/[\s\-_'’]+/gu, ' ').trim();
}

const LATIN = /[a-z]/u;

/**
 * Problems of a parsed glossary, [] when it is usable: a `from` listed twice
 * (or mapped to two terms), a `from` equal to its `to`, or a `to` that
 * contains some `from` (the rewrite must give the same text when applied twice).
 */
export function glossaryProblems(entries: readonly GlossaryEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  entries.forEach((entry, i) => {
    for (const from of entry.from) {
      const key = glossaryKey(from);
      if (key === '') problems.push(`entries.${i}: "${from}" is empty after normalisation`);
      else if (key === glossaryKey(entry.to)) problems.push(`entries.${i}: "${from}" is the term itself`);
      else if (seen.has(key)) problems.push(`entries.${i}: "${from}" is already listed (→ ${seen.get(key) ?? ''})`);
      else seen.set(key, entry.to);
    }
  });
  const froms = [...seen.keys()];
  entries.forEach((entry, i) => {
    const to = glossaryKey(entry.to);
    const inside = froms.find((from) => (LATIN.test(from) ? new RegExp(`(?<![a-z])${escape(from)}(?![a-z])`, 'u').test(to) : to.includes(from)));
    if (inside !== undefined) problems.push(`entries.${i}: the term "${entry.to}" contains "${inside}", which would be rewritten again`);
  });
  return problems;
}

/** The entries as pairs, the form kept in the model config. */
export function glossaryPairs(entries: readonly GlossaryEntry[]): GlossaryPair[] {
  return entries.flatMap((entry) => entry.from.map((from): GlossaryPair => [glossaryKey(from), entry.to]));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** Characters that may separate the words of a multi-word `from` in a question (none, one or several). */
const SEPARATOR = /[\s\-_'’]/u;

interface TrieNode {
  next: Map<string, TrieNode>;
  /** The node after a word of a multi-word `from`: separators are skipped here. */
  sep?: TrieNode;
  /** A `from` ends here: its key length and text (for the longest-first rule), its term, whether its ends need word boundaries. */
  end?: { length: number; from: string; to: string; latin: boolean };
}

const isLatinLetter = (ch: string | undefined): boolean => ch !== undefined && ch >= 'a' && ch <= 'z';

/**
 * Compiles pairs into one rewrite: a single left-to-right pass, the longest
 * `from` winning where several start at the same place (ties: the first in
 * code-point order). Latin `from`s match whole words only, and the words of
 * a multi-word `from` may be joined by any run of spaces, hyphens,
 * underscores or apostrophes ("e-invoice", "e invoice", "einvoice").
 * Rewritten terms are padded with spaces so a Latin neighbour keeps its word
 * boundary; the featuriser drops spaces anyway. Pure; no pairs → the
 * identity. A trie, not one regular expression of every `from`: with ~1,000
 * phrases the alternation was tried at every character and cost several
 * milliseconds a question.
 */
export function compileGlossary(pairs: readonly GlossaryPair[]): (text: string) => string {
  if (pairs.length === 0) return (text) => text;
  const root: TrieNode = { next: new Map() };
  for (const [from, to] of pairs) {
    let node = root;
    const words = from.split(' ');
    words.forEach((word, w) => {
      if (w > 0) node = node.sep ??= { next: new Map() };
      for (const ch of word) {
        let child = node.next.get(ch);
        if (!child) node.next.set(ch, (child = { next: new Map() }));
        node = child;
      }
    });
    const candidate = { length: from.length, from, to, latin: LATIN.test(from) };
    const better = !node.end || candidate.length > node.end.length || (candidate.length === node.end.length && candidate.from < node.end.from);
    if (better) node.end = candidate;
  }

  /** The best `from` matching at `start`, with the index just after it. */
  const matchAt = (text: string, start: number): { to: string; end: number } | undefined => {
    let best: { length: number; from: string; to: string; end: number } | undefined;
    const walk = (node: TrieNode, i: number): void => {
      const end = node.end;
      if (end && (!end.latin || (!isLatinLetter(text[start - 1]) && !isLatinLetter(text[i])))) {
        if (!best || end.length > best.length || (end.length === best.length && end.from < best.from)) best = { ...end, end: i };
      }
      const child = node.next.get(text[i] ?? '');
      if (child) walk(child, i + 1);
      if (node.sep) {
        let j = i;
        while (j < text.length && SEPARATOR.test(text[j] ?? '')) j++;
        walk(node.sep, j);
      }
    };
    walk(root, start);
    return best && best.end > start ? { to: best.to, end: best.end } : undefined;
  };

  return (input) => {
    const text = input.normalize('NFKC').toLowerCase();
    let out = '';
    for (let i = 0; i < text.length; ) {
      const match = matchAt(text, i);
      if (match) {
        out += ` ${match.to} `;
        i = match.end;
      } else {
        out += text[i];
        i++;
      }
    }
    return out;
  };
}
