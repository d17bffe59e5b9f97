import * as tf from '@tensorflow/tfjs';
import type { DeviceHealth } from '../../../devices/device.js';
import type { Logger } from '../logging/logger.js';
import { OOS, type RobotContent } from './catalog.js';
import { Featurizer } from './features.js';
import { LexicalMatcher, lexicalDocuments, type LexicalScore } from './lexical.js';
import { SparseForward, softmaxWithTemperature, type IntentModelConfig } from './model.js';
import { loadModel } from './model-files.js';
import { MAX_INPUT_CHARS, normalizeText } from './text.js';
import { poolClauses, readableClauses } from './clauses.js';
import { deviceReason } from '../../common/device-reasons.js';

export interface IntentCandidate {
  intentId: string;
  confidence: number;
}

export interface IntentResult {
  /** An intent id, or 'oos' (decline). */
  intentId: string;
  /** Calibrated probability that `intentId` is right (for 'oos': that no in-scope intent is). */
  confidence: number;
  /** In scope but not confident enough to answer: offer `top3` as suggestions. */
  unsure: boolean;
  /** The three most likely in-scope intents, best first. */
  top3: IntentCandidate[];
  /** What decided: the model, the model re-ranked by the lexical matcher, or the lexical matcher alone (degraded). */
  source: 'model' | 'model+lexical' | 'lexical';
}

export interface DecisionParams {
  oosThreshold: number;
  /** Also decline when p(oos) ≥ oosRatio × the best in-scope probability; null = by threshold only. */
  oosRatio: number | null;
  unsureThreshold: number;
  lexicalWeight: number;
}

/**
 * Lexical-only decision parameters, used when no model is available. They live
 * here, not in the model config, because the fallback must work without it.
 * minCoverage: on the calibration split, 90% of hand-written examples cover
 * ≥ 0.56 of their query's idf mass while real OOS questions have a median of
 * 0.56 — lexical overlap separates OOS poorly, which is why the model decides
 * OOS whenever it is available.
 */
export const LEXICAL_FALLBACK = { minCoverage: 0.5, unsureConfidence: 0.5, sharpness: 0.6 } as const;

function top3Of(candidates: readonly IntentCandidate[]): IntentCandidate[] {
  return candidates.slice(0, 3);
}

/** Lexical scores → a distribution over intents (softmax of BM25, sharpened): used for fallback and re-ranking. */
export function lexicalDistribution(scores: readonly LexicalScore[], sharpness: number = LEXICAL_FALLBACK.sharpness): Map<string, number> {
  const max = scores[0]?.score ?? 0;
  const weights = scores.map((s) => Math.exp(sharpness * (s.score - max)));
  const sum = weights.reduce((a, b) => a + b, 0);
  return new Map(scores.map((s, i) => [s.intentId, (weights[i] ?? 0) / sum]));
}

/**
 * The decision from calibrated probabilities (labels' order; 'oos' last). The
 * lexical matcher, when given and weighted, re-distributes only the in-scope
 * mass; the OOS decision stays the model's.
 *
 * A question is declined when no in-scope intent reaches `oosThreshold`, or
 * (unless `oosRatio` is null) when the `oos` class is `oosRatio` times as
 * likely as the best intent. The trainer chooses both on the calibration
 * split. The ratio is a choice, not fixed at 1, because the `oos` class is
 * learned from generated chit-chat that short hall questions ("你们几点下班",
 * "你能帮我办什么") resemble; a larger ratio, or none, spares them when that
 * declines fewer real questions.
 */
export function decideFromModel(labels: readonly string[], probabilities: ArrayLike<number>, params: DecisionParams, lexical?: readonly LexicalScore[]): IntentResult {
  let oos = 0;
  let inScope: IntentCandidate[] = [];
  labels.forEach((intentId, i) => {
    if (intentId === OOS) oos = probabilities[i] ?? 0;
    else inScope.push({ intentId, confidence: probabilities[i] ?? 0 });
  });
  const blended = lexical !== undefined && params.lexicalWeight > 0;
  if (blended) {
    const mass = 1 - oos;
    const lex = lexicalDistribution(lexical);
    inScope = inScope.map((c) => ({ intentId: c.intentId, confidence: (1 - params.lexicalWeight) * c.confidence + params.lexicalWeight * mass * (lex.get(c.intentId) ?? 0) }));
  }
  inScope.sort((a, b) => b.confidence - a.confidence);
  const best = inScope[0] ?? { intentId: OOS, confidence: 0 };
  const source = blended ? 'model+lexical' : 'model';
  if (best.confidence < params.oosThreshold || (params.oosRatio !== null && oos >= params.oosRatio * best.confidence)) {
    return { intentId: OOS, confidence: 1 - best.confidence, unsure: false, top3: top3Of(inScope), source };
  }
  return { intentId: best.intentId, confidence: best.confidence, unsure: best.confidence < params.unsureThreshold, top3: top3Of(inScope), source };
}

/** The degraded decision: lexical matcher alone. */
export function decideFromLexical(scores: readonly LexicalScore[]): IntentResult {
  const dist = lexicalDistribution(scores);
  const candidates = scores.map((s) => ({ intentId: s.intentId, confidence: dist.get(s.intentId) ?? 0 }));
  const best = scores[0];
  const top = candidates[0];
  if (!best || !top || best.coverage < LEXICAL_FALLBACK.minCoverage) {
    return { intentId: OOS, confidence: 1 - (top?.confidence ?? 0), unsure: false, top3: top3Of(candidates), source: 'lexical' };
  }
  return { intentId: top.intentId, confidence: top.confidence, unsure: top.confidence < LEXICAL_FALLBACK.unsureConfidence, top3: top3Of(candidates), source: 'lexical' };
}

const EMPTY_RESULT = (source: IntentResult['source']): IntentResult => ({ intentId: OOS, confidence: 1, unsure: false, top3: [], source });

export interface ClassifierOptions {
  /** Directory with model.json, weights.bin, intent-config.json (content/model). */
  modelDir: string;
  content: RobotContent;
  logger?: Logger;
  /** Texts kept out of the lexical index (held-out evaluation only). */
  lexicalExclude?: ReadonlySet<string>;
  /** Overrides the config's lexical weight (measurement only). */
  lexicalWeight?: number;
}

/**
 * 浏浏's intent classifier. `load` never throws: a missing or corrupt model
 * leaves the lexical matcher in charge and health 'degraded' with the reason,
 * which the host shows as the 'robot' device status.
 */
export class IntentClassifier {
  private constructor(
    private readonly lexical: LexicalMatcher,
    private readonly network: { model: tf.LayersModel; forward: SparseForward; config: IntentModelConfig; featurizer: Featurizer; params: DecisionParams } | undefined,
    private readonly status: DeviceHealth,
    /** Wall time of `load` in milliseconds (model files + lexical index). */
    readonly loadMs: number,
  ) {}

  static async load(options: ClassifierOptions): Promise<IntentClassifier> {
    const started = performance.now();
    const lexical = new LexicalMatcher(lexicalDocuments(options.content, options.lexicalExclude));
    try {
      const { model, config } = await loadModel(options.modelDir);
      const classifier = IntentClassifier.fromModel(model, config, lexical, options.lexicalWeight, performance.now() - started);
      options.logger?.info({ loadMs: Math.round(classifier.loadMs), labels: config.labels.length, features: config.features.vocabulary.length }, 'robot intent model loaded');
      return classifier;
    } catch (err) {
      const reason = deviceReason('device.robotLexicalOnly', { detail: (err as Error).message });
      options.logger?.warn({ err: (err as Error).message, modelDir: options.modelDir }, 'robot intent model unavailable; lexical fallback');
      return new IntentClassifier(lexical, undefined, { state: 'degraded', reason, endpoint: `file:${options.modelDir}` }, performance.now() - started);
    }
  }

  /** Wraps an in-memory model (the trainer evaluates before saving). */
  static fromModel(model: tf.LayersModel, config: IntentModelConfig, lexical: LexicalMatcher, lexicalWeight?: number, loadMs = 0): IntentClassifier {
    const params = { oosThreshold: config.oosThreshold, oosRatio: config.oosRatio, unsureThreshold: config.unsureThreshold, lexicalWeight: lexicalWeight ?? config.lexicalWeight };
    return new IntentClassifier(lexical, { model, forward: SparseForward.fromModel(model), config, featurizer: new Featurizer(config.features), params }, { state: 'ok' }, loadMs);
  }

  /** Bare words meaning several intents, shipped with the model; empty in degraded mode or for an older model. */
  ambiguousFragments(): ReadonlyArray<{ text: string; candidates: readonly string[] }> {
    return this.network?.config.ambiguousFragments ?? [];
  }

  /** Scope terms each intent was trained on (the key-object check); undefined in degraded mode or for an older model. */
  intentScopeTerms(): Readonly<Record<string, readonly string[]>> | undefined {
    return this.network?.config.intentScopeTerms;
  }

  health(): DeviceHealth {
    return { ...this.status };
  }

  /** Calibrated probabilities over the config's labels, or undefined in degraded mode. */
  probabilities(text: string): Float64Array | undefined {
    if (!this.network) return undefined;
    const { forward, config, featurizer } = this.network;
    const { indices, values } = featurizer.sparse(text);
    return softmaxWithTemperature(forward.logits(indices, values), config.temperature);
  }

  /** The same probabilities through tfjs `model.predict` (dense input): the reference the sparse path is tested against. */
  probabilitiesViaTfjs(text: string): Float64Array | undefined {
    if (!this.network) return undefined;
    const { model, config, featurizer } = this.network;
    const logits = tf.tidy(() => (model.predict(tf.tensor2d(featurizer.vector(text), [1, featurizer.size])) as tf.Tensor).dataSync());
    return softmaxWithTemperature(logits, config.temperature);
  }

  /** A long question's probabilities with its most confident clause leading (clauses.ts). */
  private pooledOverClauses(input: string, whole: Float64Array): Float64Array {
    const network = this.network;
    if (!network) return whole;
    const clauses = readableClauses(input.slice(0, MAX_INPUT_CHARS * 4), (clause) => network.featurizer.prepare(clause));
    if (clauses.length === 0) return whole;
    const clauseProbabilities = clauses.flatMap((clause) => this.probabilities(network.featurizer.prepare(clause)) ?? []);
    return poolClauses(whole, clauseProbabilities, network.config.labels.indexOf(OOS));
  }

  /** Never throws; any input (empty, 10,000 characters, emoji, control characters, not a string) gives a result. */
  classify(input: unknown): IntentResult {
    // With a model, the question is read through its glossary ("ID card" → 身份证) by both the network and the lexical matcher.
    const text = this.network ? this.network.featurizer.prepare(input) : normalizeText(input);
    if (text === '') return EMPTY_RESULT(this.network ? 'model' : 'lexical');
    const whole = this.probabilities(text);
    const probabilities = whole && this.network?.config.clauseScoring === true && typeof input === 'string' ? this.pooledOverClauses(input, whole) : whole;
    if (!this.network || !probabilities) return decideFromLexical(this.lexical.score(text));
    const { config, params } = this.network;
    return decideFromModel(config.labels, probabilities, params, params.lexicalWeight > 0 ? this.lexical.score(text) : undefined);
  }

  dispose(): void {
    this.network?.model.dispose();
  }
}
