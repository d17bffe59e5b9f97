import { chitchatNegatives, facilityPhrasings, facilityTerms, intentCatalog, OOS, servicePhrasings, serviceTerms, type IntentEntry, type RobotContent } from './catalog.js';
import { fnv1a, normalizeText } from './text.js';

export type TextSource = 'example' | 'generated' | 'generated-heldout' | 'variant' | 'oos' | 'negative';

export interface LabeledText {
  text: string;
  /** An intent id, or 'oos'. */
  label: string;
  source: TextSource;
}

export interface IntentDataset {
  /** Intent ids in catalog order, then 'oos' last. */
  labels: string[];
  train: LabeledText[];
  /** For temperature scaling and the OOS threshold. */
  calib: LabeledText[];
  /** Never seen in training or calibration: the held-out metrics. */
  test: LabeledText[];
}

export interface DatasetOptions {
  /** Generated phrasings per service term (training templates). */
  phrasingsPerTerm: number;
  /** Held-out-template phrasings per service term. */
  heldoutPerTerm: number;
  /** Term-substituted copies per hand-written training example (0 = none); see `termVariants`. */
  variantsPerExample: number;
  /** Templates cut from hand-written training examples, applied to each term of services without examples (0 = none). */
  borrowedTemplatesPerTerm: number;
}

type Split = 'train' | 'calib' | 'test';

const GENERATED: ReadonlySet<TextSource> = new Set(['generated', 'generated-heldout', 'variant', 'negative']);

/**
 * A generated text can coincide with a hand-written one ("饮水处在几楼"): drop
 * generated training texts that are held out, then generated held-out texts
 * that are trained on, so no question is both seen and scored.
 */
function withoutLeaks(data: IntentDataset): IntentDataset {
  const heldout = new Set([...data.calib, ...data.test].map((item) => normalizeText(item.text)));
  const train = data.train.filter((item) => !GENERATED.has(item.source) || !heldout.has(normalizeText(item.text)));
  const trained = new Set(train.map((item) => normalizeText(item.text)));
  const keep = (item: LabeledText): boolean => !GENERATED.has(item.source) || !trained.has(normalizeText(item.text));
  return { labels: data.labels, train, calib: data.calib.filter(keep), test: data.test.filter(keep) };
}

/** Rank within a group by a stable hash, then a fixed pattern: of every 10, two go to test and one to calibration. */
function splitByRank<T>(items: readonly T[], key: (item: T) => string, pattern: (rank: number) => Split): Map<Split, T[]> {
  const ranked = items.slice().sort((a, b) => fnv1a(key(a)) - fnv1a(key(b)) || (key(a) < key(b) ? -1 : 1));
  const out = new Map<Split, T[]>([['train', []], ['calib', []], ['test', []]]);
  ranked.forEach((item, rank) => out.get(pattern(rank))?.push(item));
  return out;
}

const exampleSplit = (rank: number): Split => (rank % 10 === 0 || rank % 10 === 5 ? 'test' : rank % 10 === 3 ? 'calib' : 'train');
// 30 outOfScope utterances → 10 test, 5 calibration, 15 training.
const oosSplit = (rank: number): Split => (rank % 3 === 0 ? 'test' : rank % 6 === 1 ? 'calib' : 'train');

/** The words citizens use for an intent, from content only: its service's keywords and short name, or its facilities' names. */
function intentTerms(content: RobotContent, entry: IntentEntry): string[] {
  const service = entry.serviceId !== undefined ? content.services.services.find((s) => s.id === entry.serviceId) : undefined;
  if (service) return serviceTerms(service);
  const names = (entry.facilityIds ?? []).map((id) => content.hall.facilities.find((f) => f.id === id)?.name ?? '');
  return [...new Set(names.filter((name) => name !== '').flatMap(facilityTerms))];
}

/** "身份证掉了在哪里补" with terms [..., '身份证掉了', ...] → "{kw}在哪里补": the example with its longest content term cut out, or undefined. */
export function exampleTemplate(example: string, terms: readonly string[]): string | undefined {
  const term = terms.filter((t) => Array.from(t).length >= 2 && example.includes(t)).sort((a, b) => b.length - a.length || (a < b ? -1 : 1))[0];
  return term === undefined ? undefined : example.replace(term, '{kw}');
}

/**
 * The colloquial wordings of hand-written examples carried over to the words
 * in the content: each training example whose text contains one of its
 * intent's terms gets copies with the other terms substituted ("身份证掉了在哪里补"
 * → "补办身份证在哪里补"), chosen by a stable hash. This teaches the model that a
 * service's keywords are interchangeable — the synonyms come from services.json
 * keywords, not from a hand list.
 */
export function termVariants(example: string, terms: readonly string[], count: number): string[] {
  const template = exampleTemplate(example, terms);
  if (template === undefined || count <= 0) return [];
  const others = terms.filter((t) => !example.includes(t));
  const start = fnv1a(example) % Math.max(1, others.length);
  return others.slice(start).concat(others.slice(0, start)).slice(0, count).map((t) => template.replace('{kw}', t));
}

/**
 * The deterministic train / calibration / test split. intents.json examples and
 * outOfScope utterances are split per group by hash rank; generated phrasings
 * from the training templates all train, phrasings from the held-out templates
 * go half to calibration and half to test; where-is questions generated from
 * facility names only train; generated chit-chat trains (4 in 5)
 * or calibrates, never tests, so OOS test figures use real utterances only.
 */
export function buildDataset(content: RobotContent, options: DatasetOptions): IntentDataset {
  const catalog = intentCatalog(content);
  const services = new Map(content.services.services.map((service) => [service.id, service]));
  const data: IntentDataset = { labels: [...catalog.map((entry) => entry.id), OOS], train: [], calib: [], test: [] };
  const add = (split: Split, items: readonly LabeledText[]): void => {
    data[split].push(...items);
  };

  for (const entry of catalog) {
    const examples = entry.examples.map((text): LabeledText => ({ text, label: entry.id, source: 'example' }));
    for (const [split, items] of splitByRank(examples, (item) => item.text, exampleSplit)) add(split, items);
    add('train', facilityPhrasings(content, entry).map((text) => ({ text, label: entry.id, source: 'generated' })));
    const service = entry.serviceId !== undefined ? services.get(entry.serviceId) : undefined;
    if (!service) continue;
    add('train', servicePhrasings(service, 'train', options.phrasingsPerTerm).map((text) => ({ text, label: entry.id, source: 'generated' })));
    for (const text of servicePhrasings(service, 'heldout', options.heldoutPerTerm)) {
      add(fnv1a(text) % 2 === 0 ? 'calib' : 'test', [{ text, label: entry.id, source: 'generated-heldout' }]);
    }
  }
  // Hand-written training examples → term-substituted variants, and their
  // templates borrowed by the services that have no hand-written examples.
  const templates = new Set<string>();
  for (const entry of catalog) {
    const terms = intentTerms(content, entry);
    for (const item of data.train.filter((t) => t.label === entry.id && t.source === 'example')) {
      const variants = termVariants(item.text, terms, options.variantsPerExample);
      add('train', variants.map((text) => ({ text, label: entry.id, source: 'variant' })));
      const template = entry.serviceId !== undefined ? exampleTemplate(item.text, terms) : undefined;
      if (template !== undefined && Array.from(template.replace('{kw}', '')).length >= 2) templates.add(template);
    }
  }
  const borrowed = [...templates].sort();
  if (borrowed.length > 0 && options.borrowedTemplatesPerTerm > 0) {
    for (const entry of catalog.filter((e) => e.examples.length === 0 && e.serviceId !== undefined)) {
      for (const term of intentTerms(content, entry)) {
        const start = fnv1a(`${entry.id}|${term}|borrowed`);
        for (let k = 0; k < options.borrowedTemplatesPerTerm; k++) {
          const template = borrowed[(start + k * 13) % borrowed.length] ?? '{kw}';
          add('train', [{ text: template.replace('{kw}', term), label: entry.id, source: 'variant' }]);
        }
      }
    }
  }
  const oos = content.intents.outOfScope.map((text): LabeledText => ({ text, label: OOS, source: 'oos' }));
  for (const [split, items] of splitByRank(oos, (item) => item.text, oosSplit)) add(split, items);
  for (const text of chitchatNegatives()) add(fnv1a(text) % 5 === 0 ? 'calib' : 'train', [{ text, label: OOS, source: 'negative' }]);
  return withoutLeaks(data);
}
