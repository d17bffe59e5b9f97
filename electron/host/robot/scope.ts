import type { Scope, Service } from '../content/schema.js';
import { intentCatalog, OOS, shortServiceName, type RobotContent } from './catalog.js';
import type { IntentCandidate, IntentResult } from './classifier.js';
import { normalizeText } from './text.js';

/**
 * What the hall does not do, and when to ask instead of guessing: pure
 * functions over the content's scope list (intents.json `scope`) and its
 * services, applied after the classifier.
 *
 * - `scopeMatches`: the out-of-scope key objects a question names ("存折" →
 *   bank), longest first — they pick the decline's referral.
 * - the key-object check: a question naming such an object ("银行卡丢了怎么补")
 *   is declined with that topic's referral unless the intent it matched was
 *   trained on that very object (`intentScopeTerms`, shipped in the model
 *   config: "社保卡的银行账户" legitimately belongs to the social-security card).
 * - `siblingIntents` / clarification: when the likeliest intents are close
 *   siblings (社保卡申领 vs 补换, the three 公积金提取 kinds), the robot asks
 *   which one rather than guessing.
 * - bare topic words (`fragmentCandidates`): a question of a few characters
 *   that is part of several services' names or keywords ("公积金", "户口",
 *   "补办") names a topic, not a service: the robot offers those services
 *   rather than answering one — or declining a word it could not place.
 */

export interface ScopeMatch {
  topicId: string;
  /** The term as normalised text. */
  term: string;
}

const termLists = new WeakMap<Scope, ScopeMatch[]>();

/** The scope's terms normalised once, longest first (then in code-point order): every question is checked against them. */
function scopeTermList(scope: Scope): ScopeMatch[] {
  let list = termLists.get(scope);
  if (!list) {
    list = scope.topics
      .flatMap((topic) => topic.terms.map((term) => ({ topicId: topic.id, term: normalizeText(term) })))
      .filter((m) => m.term !== '')
      .sort((a, b) => Array.from(b.term).length - Array.from(a.term).length || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    termLists.set(scope, list);
  }
  return list;
}

/** Every scope term found in the (normalised) question, longest term first; one entry per topic. */
export function scopeMatches(scope: Scope | undefined, text: string): ScopeMatch[] {
  if (!scope) return [];
  const normalized = normalizeText(text);
  const seen = new Set<string>();
  return scopeTermList(scope).filter((m) => normalized.includes(m.term) && !seen.has(m.topicId) && (seen.add(m.topicId), true));
}

/**
 * For each in-scope label, the scope terms its training texts contain: the key
 * objects an intent is legitimately about ("银行" for a social-security card
 * question about its bank account). Sorted, for a deterministic config.
 */
export function intentScopeTerms(scope: Scope | undefined, items: readonly { text: string; label: string }[]): Record<string, string[]> {
  if (!scope) return {};
  const terms = [...new Set(scope.topics.flatMap((topic) => topic.terms.map(normalizeText)).filter((term) => term !== ''))];
  const out = new Map<string, Set<string>>();
  for (const item of items) {
    if (item.label === OOS) continue;
    const text = normalizeText(item.text);
    for (const term of terms) {
      if (!text.includes(term)) continue;
      let set = out.get(item.label);
      if (!set) out.set(item.label, (set = new Set()));
      set.add(term);
    }
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : 1)).map(([label, set]) => [label, [...set].sort()]));
}

/** Whether an answer may follow: the question names no out-of-scope object its intent was not trained on. */
export function keyObjectAllowed(matches: readonly ScopeMatch[], allowed: Readonly<Record<string, readonly string[]>>, intentId: string): ScopeMatch | undefined {
  const own = new Set(allowed[intentId] ?? []);
  return matches.find((m) => !own.has(m.term));
}

function commonPrefixLength(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** Short names sharing at least this many leading characters, in one department, are siblings (社会保障卡申领 / 补换). */
const SIBLING_PREFIX = 3;

function servicesAreSiblings(a: Service, b: Service): boolean {
  if (a.relatedServiceIds.includes(b.id) || b.relatedServiceIds.includes(a.id)) return true;
  return a.departmentId === b.departmentId && commonPrefixLength(shortServiceName(a.name), shortServiceName(b.name)) >= SIBLING_PREFIX;
}

/**
 * Sibling intents, from content: services that name each other as related
 * (退休一件事 ↔ 职工退休) or whose names start alike in one department
 * (社会保障卡申领 / 补换, 住房公积金提取 ×3, 居民身份证换领 / 补领).
 */
export function siblingIntents(content: RobotContent): Map<string, Set<string>> {
  const entries = intentCatalog(content).filter((entry) => entry.serviceId !== undefined);
  const services = new Map(content.services.services.map((s) => [s.id, s]));
  const out = new Map<string, Set<string>>();
  for (const a of entries) {
    for (const b of entries) {
      if (a.id === b.id) continue;
      const sa = services.get(a.serviceId ?? '');
      const sb = services.get(b.serviceId ?? '');
      if (!sa || !sb || !servicesAreSiblings(sa, sb)) continue;
      let set = out.get(a.id);
      if (!set) out.set(a.id, (set = new Set()));
      set.add(b.id);
    }
  }
  return out;
}

/** A sibling in the top 3 at least this share of the best intent's confidence makes the robot ask. */
export const CLARIFY_RATIO = 0.3;

/** The intents to ask between (best first), or undefined when the best intent has no close sibling among the top 3. */
export function clarifyBetween(top3: readonly IntentCandidate[], siblings: ReadonlyMap<string, ReadonlySet<string>>, ratio: number = CLARIFY_RATIO): IntentCandidate[] | undefined {
  const [best, ...rest] = top3;
  if (!best) return undefined;
  const own = siblings.get(best.intentId);
  const close = rest.filter((c) => own?.has(c.intentId) === true && c.confidence >= ratio * best.confidence);
  return close.length > 0 ? [best, ...close] : undefined;
}

/** A question of at most this many characters (normalised) may be a bare topic word. */
export const FRAGMENT_MAX_CHARS = 6;
/** A bare topic word naming one of its services this confidently is answered as that service. */
export const FRAGMENT_SURE = 0.85;

export interface FragmentIndex {
  /** Per service intent, in catalog order: its normalised name, short name and keywords. */
  entries: { intentId: string; terms: string[] }[];
  /** Listed bare words (normalised) and the intents each may mean (the model's `ambiguousFragments`). */
  listed: Map<string, string[]>;
}

/**
 * The services' own words, once per content package, and the listed ambiguous
 * words (candidates this content does not know are left out): what a bare
 * topic word is looked up in.
 */
export function fragmentIndex(content: RobotContent, listed: ReadonlyArray<{ text: string; candidates: readonly string[] }> = []): FragmentIndex {
  const known = new Set(intentCatalog(content).map((entry) => entry.id));
  const listedMap = new Map<string, string[]>();
  for (const fragment of listed) {
    const candidates = fragment.candidates.filter((id) => known.has(id));
    if (candidates.length > 0) listedMap.set(normalizeText(fragment.text), candidates);
  }
  const services = new Map(content.services.services.map((s) => [s.id, s]));
  const entries = intentCatalog(content).flatMap((entry) => {
    const service = services.get(entry.serviceId ?? '');
    if (!service) return [];
    const terms = [...new Set([service.name, shortServiceName(service.name), ...service.keywords].map(normalizeText).filter((t) => t !== ''))];
    return [{ intentId: entry.id, terms }];
  });
  return { entries, listed: listedMap };
}

/**
 * A listed ambiguous word's intents ("补证"); else the service intents whose
 * names or keywords contain the whole question, when the question is short
 * enough to be a bare topic word ("社保卡" → 申领, 补换); empty for anything
 * longer or naming no service's words.
 */
export function fragmentCandidates(index: FragmentIndex, text: string): string[] {
  const normalized = normalizeText(text);
  const listed = index.listed.get(normalized);
  if (listed) return listed;
  const length = Array.from(normalized).length;
  if (length < 2 || length > FRAGMENT_MAX_CHARS) return [];
  return index.entries.filter((entry) => entry.terms.some((term) => term.includes(normalized))).map((entry) => entry.intentId);
}

/**
 * Words around a topic word that do not say which service ("我想办社保卡",
 * "社保卡怎么办", "医保在哪里办"): stripped, one at a time from either end,
 * to find a listed ambiguous word inside such a question. Longest first.
 */
const FILLER_PREFIXES = ['请问一下', '请问', '你好', '您好', '帮我', '我想要', '我想', '我要', '想要', '想', '要', '我', '怎么', '如何', '去哪里', '到哪里', '在哪里', '哪里', '办理', '去办', '办'];
const FILLER_SUFFIXES = ['在哪里办理', '在哪里办', '去哪里办', '到哪里办', '怎么办理', '要怎么办', '怎么办', '怎么弄', '怎么搞', '的事情', '的问题', '的事', '在哪里', '在哪儿', '哪里办', '在哪办', '在哪', '办理', '去办', '一下', '办', '呢', '吗', '啊', '呀', '咯', '哒', '嘛'];

/**
 * The intents a listed ambiguous word may mean, when the question is that
 * word, bare or wrapped in words that do not decide it ("社保卡",
 * "我想办社保卡", "社保卡怎么办"); empty otherwise. A listed word is
 * ambiguous by definition, so the robot asks however sure the model is.
 */
export function listedFragmentCandidates(index: FragmentIndex, text: string): string[] {
  let rest = normalizeText(text);
  for (let step = 0; step < 8 && rest !== ''; step++) {
    const listed = index.listed.get(rest);
    if (listed) return listed;
    const prefix = FILLER_PREFIXES.find((p) => rest.startsWith(p) && rest.length > p.length);
    const suffix = prefix === undefined ? FILLER_SUFFIXES.find((p) => rest.endsWith(p) && rest.length > p.length) : undefined;
    if (prefix === undefined && suffix === undefined) return [];
    rest = prefix !== undefined ? rest.slice(prefix.length) : rest.slice(0, rest.length - suffix!.length);
  }
  return [];
}

/** The candidates to offer for a bare topic word: the classifier's ranking first, then content order; at most three. */
function rankFragment(result: IntentResult, candidates: readonly string[]): IntentCandidate[] {
  const ranked = result.top3.filter((c) => candidates.includes(c.intentId));
  for (const intentId of candidates) if (!ranked.some((c) => c.intentId === intentId)) ranked.push({ intentId, confidence: 0 });
  return ranked.slice(0, 3);
}

function allSiblings(candidates: readonly IntentCandidate[], siblings: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  return candidates.length > 1 && candidates.every((a) => candidates.every((b) => a.intentId === b.intentId || siblings.get(a.intentId)?.has(b.intentId) === true));
}

/** What the robot does with a question after the classifier: the scope and clarification rules. */
export interface RobotDecision extends IntentResult {
  /** Declined: the out-of-scope topic the question names (its referral), if any. */
  declineTopic?: string;
  /** Declined because the question names an out-of-scope object its best intent is not about. */
  keyObject?: string;
  /** Asking which of these close siblings the citizen means (best first); `unsure` is true. */
  clarify?: IntentCandidate[];
  /** A bare topic word: the services it names, offered instead of the classifier's top 3; `unsure` is true. */
  suggest?: IntentCandidate[];
}

export interface DecisionRules {
  scope: Scope | undefined;
  /** Scope terms each intent was trained on (model config); a term outside its intent's list declines. Undefined: no key-object check. */
  allowedTerms: Readonly<Record<string, readonly string[]>> | undefined;
  siblings: ReadonlyMap<string, ReadonlySet<string>>;
  /** Overrides CLARIFY_RATIO (measurement only). */
  clarifyRatio?: number;
  /** The services' words for bare topic words; undefined: no fragment rule (measurement only). */
  fragments?: FragmentIndex;
}

/** A bare topic word: ask between its services (siblings) or offer them, never answer one of many or decline it. */
function askFragment(result: IntentResult, candidates: readonly string[], siblings: ReadonlyMap<string, ReadonlySet<string>>): RobotDecision {
  const ranked = rankFragment(result, candidates);
  const [first] = ranked;
  if (!first) return result;
  const base = { ...result, intentId: first.intentId, confidence: first.confidence, unsure: true };
  return allSiblings(ranked, siblings) ? { ...base, clarify: ranked } : { ...base, suggest: ranked };
}

/**
 * The classifier's result under the content's rules: a question naming an
 * out-of-scope object its best intent is not about is declined with that
 * object's referral; a decline names the topic the question mentions; close
 * siblings at the top get a clarifying question instead of a guess.
 */
export function applyRules(text: string, result: IntentResult, rules: DecisionRules): RobotDecision {
  const matches = scopeMatches(rules.scope, text);
  // A bare topic word naming no out-of-scope object: the services whose words contain it.
  const fragment = matches.length === 0 && rules.fragments ? fragmentCandidates(rules.fragments, text) : [];
  const listed = matches.length === 0 && rules.fragments ? listedFragmentCandidates(rules.fragments, text) : [];
  if (listed.length > 1) return askFragment(result, listed, rules.siblings);
  if (result.intentId === OOS) {
    if (matches[0]) return { ...result, declineTopic: matches[0].topicId };
    return fragment.length > 0 ? askFragment(result, fragment, rules.siblings) : result;
  }
  if (rules.allowedTerms) {
    const foreign = keyObjectAllowed(matches, rules.allowedTerms, result.intentId);
    if (foreign) return { ...result, intentId: OOS, confidence: 1 - result.confidence, unsure: false, declineTopic: foreign.topicId, keyObject: foreign.term };
  }
  if (fragment.length > 0 && !(fragment.includes(result.intentId) && (fragment.length === 1 || result.confidence >= FRAGMENT_SURE))) return askFragment(result, fragment, rules.siblings);
  const clarify = clarifyBetween(result.top3, rules.siblings, rules.clarifyRatio);
  return clarify ? { ...result, unsure: true, clarify } : result;
}
