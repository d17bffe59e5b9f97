import { OOS } from './catalog.js';
import type { RobotDecision } from './scope.js';
import { charNgrams, normalizeText } from './text.js';

/**
 * Figures for a labelled set of questions, shared by the trainer's held-out
 * metrics, scripts/eval-intent.ts and scripts/bench-intent.ts.
 */
export interface LabeledQuestion {
  text: string;
  /** An intent id or 'oos'. */
  expect: string;
  /** Where the line comes from (hand-written, generated, dialect, mixed-language, english…): figures are also given per source. */
  source?: string;
}

export interface Prediction {
  text: string;
  expect: string;
  source?: string;
  result: RobotDecision;
  ms: number;
}

/** The figures that matter to a citizen, for a whole set or one source of it. */
export interface OutcomeFigures {
  lines: number;
  /** Top-1 over the in-scope lines (1 when there are none). */
  top1: number;
  /** Share of out-of-scope lines declined (1 when there are none). */
  oosRecall: number;
  /**
   * Share of all lines answered confidently and wrongly: an answer (not
   * unsure, not a clarifying question) with the wrong intent, or any answer,
   * suggestions or question to an out-of-scope line.
   */
  confidentlyWrong: number;
  /** Share of lines answered with suggestions or a clarifying question (unsure). */
  unsureRate: number;
  /** Share of lines answered with a clarifying question between siblings. */
  clarifyRate: number;
}

export interface EvaluationFigures {
  inScope: number;
  outOfScope: number;
  /** Top-1 accuracy over in-scope lines (an in-scope line predicted 'oos' counts as wrong). */
  top1: number;
  /** Of the lines predicted 'oos', the share that are out of scope (1 when none were predicted). */
  oosPrecision: number;
  /** Of the out-of-scope lines, the share predicted 'oos' (1 when there are none). */
  oosRecall: number;
  /** In-scope lines wrongly declined as 'oos'. */
  falseDeclines: number;
  /** Share of lines answered as "unsure" (in scope, low confidence, or a clarifying question). */
  unsureRate: number;
  /** See OutcomeFigures. */
  confidentlyWrong: number;
  clarifyRate: number;
  /** The same figures per line source (only when lines carry a source). */
  bySource: Record<string, OutcomeFigures>;
  latencyMs: { p50: number; p95: number };
  /** The most frequent (expected → predicted) mistakes. */
  confusions: { expect: string; predicted: string; count: number }[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export function predictAll(questions: readonly LabeledQuestion[], classify: (text: string) => RobotDecision): Prediction[] {
  return questions.map((q) => {
    const started = performance.now();
    const result = classify(q.text);
    return { text: q.text, expect: q.expect, ...(q.source === undefined ? {} : { source: q.source }), result, ms: performance.now() - started };
  });
}

const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** A confident wrong answer: see OutcomeFigures.confidentlyWrong. */
export function isConfidentlyWrong(p: Pick<Prediction, 'expect' | 'result'>): boolean {
  if (p.expect === OOS) return p.result.intentId !== OOS;
  return p.result.intentId !== OOS && !p.result.unsure && p.result.intentId !== p.expect;
}

export function outcomeFigures(predictions: readonly Prediction[]): OutcomeFigures {
  const inScope = predictions.filter((p) => p.expect !== OOS);
  const outOfScope = predictions.filter((p) => p.expect === OOS);
  const share = (n: number, of: number, empty: number): number => round(of === 0 ? empty : n / of);
  return {
    lines: predictions.length,
    top1: share(inScope.filter((p) => p.result.intentId === p.expect).length, inScope.length, 1),
    oosRecall: share(outOfScope.filter((p) => p.result.intentId === OOS).length, outOfScope.length, 1),
    confidentlyWrong: share(predictions.filter(isConfidentlyWrong).length, predictions.length, 0),
    unsureRate: share(predictions.filter((p) => p.result.unsure).length, predictions.length, 0),
    clarifyRate: share(predictions.filter((p) => p.result.clarify !== undefined).length, predictions.length, 0),
  };
}

export function summarize(predictions: readonly Prediction[], maxConfusions = 5): EvaluationFigures {
  const inScope = predictions.filter((p) => p.expect !== OOS);
  const outOfScope = predictions.filter((p) => p.expect === OOS);
  const predictedOos = predictions.filter((p) => p.result.intentId === OOS);
  const confusions = new Map<string, { expect: string; predicted: string; count: number }>();
  for (const p of predictions) {
    if (p.result.intentId === p.expect) continue;
    const key = `${p.expect}\u0000${p.result.intentId}`;
    const entry = confusions.get(key) ?? { expect: p.expect, predicted: p.result.intentId, count: 0 };
    entry.count++;
    confusions.set(key, entry);
  }
  const latencies = predictions.map((p) => p.ms).sort((a, b) => a - b);
  return {
    inScope: inScope.length,
    outOfScope: outOfScope.length,
    top1: round(inScope.length === 0 ? 1 : inScope.filter((p) => p.result.intentId === p.expect).length / inScope.length),
    oosPrecision: round(predictedOos.length === 0 ? 1 : predictedOos.filter((p) => p.expect === OOS).length / predictedOos.length),
    oosRecall: round(outOfScope.length === 0 ? 1 : outOfScope.filter((p) => p.result.intentId === OOS).length / outOfScope.length),
    falseDeclines: inScope.filter((p) => p.result.intentId === OOS).length,
    unsureRate: round(predictions.length === 0 ? 0 : predictions.filter((p) => p.result.unsure).length / predictions.length),
    confidentlyWrong: outcomeFigures(predictions).confidentlyWrong,
    clarifyRate: outcomeFigures(predictions).clarifyRate,
    bySource: Object.fromEntries(
      [...new Set(predictions.map((p) => p.source).filter((source) => source !== undefined))].sort().map((source) => [source, outcomeFigures(predictions.filter((p) => p.source === source))]),
    ),
    latencyMs: { p50: round(percentile(latencies, 50), 3), p95: round(percentile(latencies, 95), 3) },
    confusions: [...confusions.values()]
      .sort((a, b) => b.count - a.count || (a.expect < b.expect ? -1 : a.expect > b.expect ? 1 : 0))
      .slice(0, maxConfusions),
  };
}

/** Parses eval lines `{"text":"…","expect":"<intent id>|oos"}`; blank lines are skipped, bad lines reported by number. */
export function parseLabeledJsonl(source: string): { questions: LabeledQuestion[]; errors: string[] } {
  const questions: LabeledQuestion[] = [];
  const errors: string[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push(`line ${i + 1}: not JSON`);
      return;
    }
    const record = value as { text?: unknown; expect?: unknown; source?: unknown };
    if (typeof value !== 'object' || value === null || typeof record.expect !== 'string' || (record.text !== undefined && typeof record.text !== 'string')) {
      errors.push(`line ${i + 1}: needs "expect" (string) and "text" (string)`);
      return;
    }
    questions.push({ text: typeof record.text === 'string' ? record.text : '', expect: record.expect, ...(typeof record.source === 'string' ? { source: record.source } : {}) });
  });
  return { questions, errors };
}

/** Held-out questions at least this similar to a training text are its near twins (bigram Jaccard). */
export const NEAR_TWIN_SIMILARITY = 0.6;

const bigrams = (text: string): Set<string> => new Set(charNgrams(normalizeText(text), 2, 2));

/** Jaccard similarity of two sets of character bigrams: 1 = the same bigrams, 0 = none shared. */
function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * The held-out questions that no training text nearly repeats. Questions
 * written for training by people who never saw the held-out split can still
 * coincide with it in wording ("身份证丢了怎么补"); the figure over the rest
 * cannot come from near copies.
 */
export function withoutNearTwins<T extends { text: string }>(heldout: readonly T[], training: readonly string[]): T[] {
  const trained = training.map(bigrams);
  return heldout.filter((item) => {
    const grams = bigrams(item.text);
    return !trained.some((other) => jaccard(grams, other) >= NEAR_TWIN_SIMILARITY);
  });
}
