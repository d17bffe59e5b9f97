import { chitchatNegatives, facilityPhrasings, intentCatalog, OOS, PHRASING_TEMPLATES, servicePhrasings, serviceTerms, sharedServiceTerms, type RobotContent } from './catalog.js';
import { composeAnswer } from './answers.js';
import { fnv1a, normalizeText } from './text.js';
import { asTrainingQuestion, type TrainingQuestions } from './training-questions.js';

/** `training-question`: training-questions.json, training only (in-scope or OOS by label). */
export type TextSource = 'example' | 'training-question' | 'generated' | 'generated-heldout' | 'oos' | 'negative';

export interface LabeledText {
  text: string;
  /** An intent id, or 'oos'. */
  label: string;
  source: TextSource;
  /** Training questions: how it is asked (dialect, typo, english…) and, out of scope, the scope topic — for per-style figures. */
  style?: string;
  topic?: string;
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
  /** Train facility and general intents also on the clauses of their own composed answers. */
  answerClauses: boolean;
  /** Generated phrasings per service term (training templates). */
  phrasingsPerTerm: number;
  /** Held-out-template phrasings per service term. */
  heldoutPerTerm: number;
  /** One in ten training questions calibrates (temperature, decline threshold) instead of training the first fit. */
  trainingQuestionsInCalibration: boolean;
}

type Split = 'train' | 'calib' | 'test';

/** Sources that give way when they coincide with a text of another split. */
const YIELDING: ReadonlySet<TextSource> = new Set(['training-question', 'generated', 'generated-heldout', 'negative']);

/**
 * A generated text or training question can coincide with a hand-written one
 * ("饮水处在几楼"): drop such training texts that are held out, then generated
 * held-out texts that are trained on, so no question is both seen and scored.
 */
function withoutLeaks(data: IntentDataset): IntentDataset {
  const heldout = new Set([...data.calib, ...data.test].map((item) => normalizeText(item.text)));
  const train = data.train.filter((item) => !YIELDING.has(item.source) || !heldout.has(normalizeText(item.text)));
  const trained = new Set(train.map((item) => normalizeText(item.text)));
  const keep = (item: LabeledText): boolean => !YIELDING.has(item.source) || !trained.has(normalizeText(item.text));
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

/**
 * The clauses of an intent's answer as composed from content ("里面有哺乳椅、尿布台和热水",
 * "周日及法定节假日休息"): what the hall says about a facility or a general
 * topic names the things citizens ask about, where intents.json has only a few
 * examples. A clause that names what another intent is about (a service term,
 * another facility, a question template's wording: "比如补办身份证", "卫生间",
 * "要带什么材料" in the capabilities answer) is left out: it would teach this
 * intent the other's words.
 */
export function answerClauses(content: RobotContent, intentId: string): string[] {
  const answer = composeAnswer(content, intentId);
  const entry = intentCatalog(content).find((e) => e.id === intentId);
  if (answer.kind !== 'intent' || !entry) return [];
  const own = new Set(entry.facilityIds ?? []);
  const otherWords = [
    ...content.services.services.flatMap(serviceTerms),
    ...content.hall.facilities.filter((f) => !own.has(f.id)).map((f) => f.name),
    ...Object.values(PHRASING_TEMPLATES).flatMap((templates) => templates.flatMap((t) => t.split('{kw}'))),
  ]
    .map(normalizeText)
    .filter((word) => Array.from(word).length >= 2);
  return [
    ...new Set(
      answer.text
        .split(/[，。；！？、,;!?]/u)
        .map((clause) => normalizeText(clause))
        .filter((clause) => Array.from(clause).length >= 3 && !otherWords.some((word) => clause.includes(word))),
    ),
  ];
}

/**
 * The deterministic train / calibration / test split. intents.json examples and
 * outOfScope utterances are split per group by hash rank; generated phrasings
 * from the training templates all train, phrasings from the held-out templates
 * go half to calibration and half to test; where-is questions generated from
 * facility names only train; generated chit-chat trains (4 in 5)
 * or calibrates, never tests, so OOS test figures use real utterances only.
 * Training questions (training-questions.json) only train.
 * `withheld` texts are left out of training altogether (cross-validation folds),
 * and the negatives are filtered without them.
 */
export function buildDataset(
  content: RobotContent & { trainingQuestions?: TrainingQuestions },
  options: DatasetOptions,
  withheld: ReadonlySet<string> = new Set(),
): IntentDataset {
  const catalog = intentCatalog(content);
  const services = new Map(content.services.services.map((service) => [service.id, service]));
  const data: IntentDataset = { labels: [...catalog.map((entry) => entry.id), OOS], train: [], calib: [], test: [] };
  const withheldNormalized = new Set([...withheld].map(normalizeText));
  const add = (split: Split, items: readonly LabeledText[]): void => {
    data[split].push(...(split === 'train' ? items.filter((item) => !withheldNormalized.has(normalizeText(item.text))) : items));
  };
  const addTrainingQuestions = (label: string): void => {
    for (const entry of content.trainingQuestions?.[label] ?? []) {
      const { text, style, topic } = asTrainingQuestion(entry);
      const item: LabeledText = { text, label, source: 'training-question', ...(style === undefined ? {} : { style }), ...(topic === undefined ? {} : { topic }) };
      add(options.trainingQuestionsInCalibration && fnv1a(`calib|${text}`) % 10 === 3 ? 'calib' : 'train', [item]);
    }
  };

  const sharedTerms = sharedServiceTerms(content.services.services);
  for (const entry of catalog) {
    const examples = entry.examples.map((text): LabeledText => ({ text, label: entry.id, source: 'example' }));
    for (const [split, items] of splitByRank(examples, (item) => item.text, exampleSplit)) add(split, items);
    addTrainingQuestions(entry.id);
    add('train', facilityPhrasings(content, entry).map((text) => ({ text, label: entry.id, source: 'generated' })));
    if (options.answerClauses && entry.serviceId === undefined) add('train', answerClauses(content, entry.id).map((text) => ({ text, label: entry.id, source: 'generated' })));
    const service = entry.serviceId !== undefined ? services.get(entry.serviceId) : undefined;
    if (!service) continue;
    add('train', servicePhrasings(service, 'train', options.phrasingsPerTerm, sharedTerms).map((text) => ({ text, label: entry.id, source: 'generated' })));
    for (const text of servicePhrasings(service, 'heldout', options.heldoutPerTerm, sharedTerms)) {
      add(fnv1a(text) % 2 === 0 ? 'calib' : 'test', [{ text, label: entry.id, source: 'generated-heldout' }]);
    }
  }
  const oos = content.intents.outOfScope.map((text): LabeledText => ({ text, label: OOS, source: 'oos' }));
  for (const [split, items] of splitByRank(oos, (item) => item.text, oosSplit)) add(split, items);
  addTrainingQuestions(OOS);
  // What the hall does, as far as training may know it: training texts and every service's terms.
  const inScope = [...data.train.filter((item) => item.label !== OOS).map((item) => item.text), ...content.services.services.flatMap(serviceTerms)];
  for (const text of chitchatNegatives(inScope)) add(fnv1a(text) % 5 === 0 ? 'calib' : 'train', [{ text, label: OOS, source: 'negative' }]);
  return withoutLeaks(data);
}
