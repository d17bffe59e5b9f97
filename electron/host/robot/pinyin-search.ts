import { pinyin } from 'pinyin-pro';
import type { RobotContent } from './catalog.js';

/**
 * Search for the kiosk's keyboard-less input: a citizen types full pinyin
 * ("shenfenzheng"), initials ("sfz"), a mix ("shenfz") or Chinese, and gets
 * ranked service names, keywords, departments and facilities. Pure: build the
 * vocabulary once per content package, then search it.
 */
export type VocabularyKind = 'service' | 'keyword' | 'department' | 'facility';

export interface VocabularyEntry {
  text: string;
  kind: VocabularyKind;
  /** The service / department / facility ids this text names (a keyword or a facility name can name several). */
  ids: string[];
  /** Toneless pinyin per character (non-Chinese characters as themselves, lower case). */
  syllables: string[];
}

export interface PinyinMatch {
  entry: VocabularyEntry;
  /** Higher is better. */
  score: number;
}

const KIND_ORDER: Record<VocabularyKind, number> = { service: 0, keyword: 1, department: 2, facility: 3 };

function syllablesOf(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s !== '');
}

export function buildVocabulary(content: RobotContent): VocabularyEntry[] {
  const entries = new Map<string, VocabularyEntry>();
  const add = (text: string, kind: VocabularyKind, id: string): void => {
    const key = `${kind}\u0000${text}`;
    const entry = entries.get(key);
    if (entry) {
      if (!entry.ids.includes(id)) entry.ids.push(id);
      return;
    }
    entries.set(key, { text, kind, ids: [id], syllables: syllablesOf(text) });
  };
  for (const service of content.services.services) {
    add(service.name, 'service', service.id);
    for (const keyword of service.keywords) add(keyword, 'keyword', service.id);
  }
  for (const department of content.hall.departments) add(department.name, 'department', department.id);
  for (const facility of content.hall.facilities) if (facility.available) add(facility.name, 'facility', facility.id);
  return [...entries.values()];
}

/**
 * Where `query` (lower-case latin, no spaces) matches a run of syllables
 * starting at `start`: each syllable typed in full or as a prefix (an initial
 * is a one- or two-letter prefix). Returns how many syllables were typed in
 * full, or -1 when the run does not match.
 */
function matchRun(query: string, syllables: readonly string[], start: number): number {
  const memo = new Map<string, number>();
  const walk = (q: number, s: number): number => {
    if (q === query.length) return 0;
    if (s >= syllables.length) return -1;
    const key = `${q},${s}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    const syllable = syllables[s] ?? '';
    let best = -1;
    for (let k = Math.min(syllable.length, query.length - q); k >= 1; k--) {
      if (query.slice(q, q + k) !== syllable.slice(0, k)) continue;
      const rest = walk(q + k, s + 1);
      if (rest >= 0) best = Math.max(best, rest + (k === syllable.length ? 1 : 0));
    }
    memo.set(key, best);
    return best;
  };
  return walk(0, start);
}

function latinScore(query: string, entry: VocabularyEntry): number {
  let best = -1;
  for (let start = 0; start < entry.syllables.length; start++) {
    const full = matchRun(query, entry.syllables, start);
    if (full < 0) continue;
    // A match at the start of the term beats one inside it; fully typed syllables beat initials.
    best = Math.max(best, (start === 0 ? 1000 : 500) + full * 10 - start);
  }
  return best;
}

function chineseScore(query: string, entry: VocabularyEntry): number {
  const at = entry.text.indexOf(query);
  if (at < 0) return -1;
  return (at === 0 ? 1000 : 500) + (query.length === entry.text.length ? 100 : 0) - at;
}

/** Ranked candidates for `query`; an empty or unmatched query gives []. */
export function searchByPinyin(vocabulary: readonly VocabularyEntry[], query: string, limit = 10): PinyinMatch[] {
  const normalized = String(query ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s'’·]/g, '')
    .slice(0, 60);
  if (normalized === '') return [];
  const chinese = /\p{Script=Han}/u.test(normalized);
  const latin = normalized.replace(/[^a-z0-9]/g, '');
  if (!chinese && latin === '') return [];
  const matches: PinyinMatch[] = [];
  for (const entry of vocabulary) {
    const score = chinese ? chineseScore(normalized, entry) : latinScore(latin, entry);
    // Shorter terms first among equals: "身份证" before "居民身份证补领".
    if (score >= 0) matches.push({ entry, score: score - Array.from(entry.text).length });
  }
  return matches
    .sort((a, b) => b.score - a.score || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] || (a.entry.text < b.entry.text ? -1 : a.entry.text > b.entry.text ? 1 : 0))
    .slice(0, limit);
}
