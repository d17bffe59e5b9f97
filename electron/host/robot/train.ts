import * as tf from '@tensorflow/tfjs';
import type { ContentPackage } from '../content/schema.js';
import { OOS } from './catalog.js';
import { decideFromModel, IntentClassifier, type DecisionParams } from './classifier.js';
import { buildDataset, type IntentDataset, type LabeledText } from './dataset.js';
import { predictAll, summarize, type EvaluationFigures, type LabeledQuestion } from './evaluate.js';
import { buildFeatureConfig, Featurizer } from './features.js';
import { LexicalMatcher, lexicalDocuments } from './lexical.js';
import { buildNetwork, ensureCpuBackend, MODEL_FORMAT, softmaxWithTemperature, type IntentModelConfig } from './model.js';
import { seededRandom, shuffled } from './text.js';

export interface TrainOptions {
  seed: number;
  hiddenUnits: number;
  maxVocabulary: number;
  /** Bi/tri-grams must appear in this many training texts to enter the vocabulary. */
  minDocFreq: number;
  /** Pinyin syllable n-grams up to this order as extra features (0 = none). */
  pinyinMaxN: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  labelSmoothing: number;
  /** Loss weight of hand-written examples and real OOS utterances (and their noisy copies) relative to generated texts. */
  exampleWeight: number;
  /** Noisy copies per hand-written example (and one per OOS utterance). */
  augmentCopies: number;
  phrasingsPerTerm: number;
  heldoutPerTerm: number;
  variantsPerExample: number;
  borrowedTemplatesPerTerm: number;
  /** Lexical re-ranking weights to try on the calibration split; the best is shipped. */
  lexicalWeights: number[];
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 20261125,
  hiddenUnits: 64,
  maxVocabulary: 3000,
  minDocFreq: 2,
  pinyinMaxN: 0,
  epochs: 10,
  batchSize: 128,
  learningRate: 0.02,
  labelSmoothing: 0.02,
  exampleWeight: 1,
  augmentCopies: 4,
  phrasingsPerTerm: 2,
  heldoutPerTerm: 2,
  variantsPerExample: 0,
  borrowedTemplatesPerTerm: 0,
  lexicalWeights: [0, 0.25, 0.5],
};

const FILLERS_BEFORE = ['请问', '你好', '我想问下', '那个', '麻烦问一下', '浏浏'];
const FILLERS_AFTER = ['呀', '咯', '哦', '啊', '呢', '吗', '哒'];

/** A noisy variant of a question: a dropped or swapped character, or a filler word, as people type and speak. */
export function augment(text: string, random: () => number): string {
  const chars = Array.from(text);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const op = Math.floor(random() * 4);
  if (op === 0 && chars.length > 3) chars.splice(Math.floor(random() * chars.length), 1);
  else if (op === 1 && chars.length > 3) {
    const i = Math.floor(random() * (chars.length - 1));
    [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
  } else if (op === 2) chars.unshift(pick(FILLERS_BEFORE));
  else chars.push(pick(FILLERS_AFTER));
  return chars.join('');
}

function trainingTexts(dataset: IntentDataset, options: TrainOptions, random: () => number): LabeledText[] {
  const out: LabeledText[] = [];
  for (const item of dataset.train) {
    out.push(item);
    const copies = item.source === 'example' ? options.augmentCopies : item.source === 'oos' ? 1 : 0;
    for (let k = 0; k < copies; k++) out.push({ ...item, text: augment(item.text, random) });
  }
  return out;
}

/**
 * Temperature minimising the weighted negative log-likelihood on the
 * calibration split (grid search; logits are few).
 */
export function fitTemperature(logits: readonly Float32Array[], labelIndex: readonly number[], weights: readonly number[]): number {
  let best = { temperature: 1, nll: Infinity };
  for (let t = 0.25; t <= 5.0001; t += 0.05) {
    let nll = 0;
    logits.forEach((row, i) => {
      nll -= (weights[i] ?? 1) * Math.log(Math.max(1e-12, softmaxWithTemperature(row, t)[labelIndex[i] ?? 0] ?? 0));
    });
    if (nll < best.nll) best = { temperature: Math.round(t * 100) / 100, nll };
  }
  return best.temperature;
}

/**
 * Calibration weights: every source (hand-written examples, generated
 * phrasings, real OOS, generated chit-chat) counts as much as the others, so
 * the many easy generated phrasings do not decide the threshold for the
 * colloquial questions citizens actually ask.
 */
export function sourceWeights(items: readonly LabeledText[]): number[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.source, (counts.get(item.source) ?? 0) + 1);
  return items.map((item) => 1 / (counts.get(item.source) ?? 1));
}

/** Calibrated confidence below which an in-scope answer is offered as suggestions instead. */
const UNSURE_BELOW = 0.5;
/** The OOS threshold may cost the calibration split's hand-written examples at most this much accuracy. */
const MAX_ACCURACY_LOSS = 0;

/**
 * Adam (tfjs defaults: β1 0.9, β2 0.999, ε 1e-7) over plain Float64Arrays. The
 * gradients of a batch are summed sparsely (a question has ~40 non-zero
 * features), so training is a few seconds in plain JS where the dense tfjs CPU
 * backend took over a minute; plain arithmetic in a fixed order is also
 * byte-for-byte deterministic.
 */
class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(
    private readonly params: Float64Array[],
    private readonly learningRate: number,
  ) {
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  step(grads: readonly Float64Array[]): void {
    this.t++;
    const rate = (this.learningRate * Math.sqrt(1 - 0.999 ** this.t)) / (1 - 0.9 ** this.t);
    this.params.forEach((p, k) => {
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      if (!g || !m || !v) return;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] ?? 0;
        m[i] = 0.9 * (m[i] ?? 0) + 0.1 * gi;
        v[i] = 0.999 * (v[i] ?? 0) + 0.001 * gi * gi;
        p[i] = (p[i] ?? 0) - (rate * (m[i] ?? 0)) / (Math.sqrt(v[i] ?? 0) + 1e-7);
      }
    });
  }
}

export interface TrainResult {
  model: tf.LayersModel;
  config: IntentModelConfig;
  dataset: IntentDataset;
  /** Held-out figures for each lexical weight tried, and for the shipped one. */
  heldout: { lexicalWeight: number; all: EvaluationFigures; examples: EvaluationFigures; generated: EvaluationFigures }[];
  trainingTexts: number;
  trainMs: number;
}

const asQuestions = (items: readonly LabeledText[]): LabeledQuestion[] => items.map((item) => ({ text: item.text, expect: item.label }));

/**
 * Trains the intent network from content only. Deterministic: seeded
 * initialisers, seeded augmentation and batch order, CPU backend — the same
 * content and options give byte-identical weights.
 */
export async function trainIntentModel(content: Pick<ContentPackage, 'hall' | 'services' | 'intents' | 'hash'>, options: TrainOptions = DEFAULT_TRAIN_OPTIONS, log: (line: string) => void = () => {}): Promise<TrainResult> {
  await ensureCpuBackend();
  const started = performance.now();
  const random = seededRandom(options.seed);
  const dataset = buildDataset(content, options);
  const texts = trainingTexts(dataset, options, random);
  const features = buildFeatureConfig(
    dataset.train.map((item) => item.text),
    { minN: 1, maxN: 3, minDocFreq: options.minDocFreq, maxSize: options.maxVocabulary, pinyinMaxN: options.pinyinMaxN },
  );
  const featurizer = new Featurizer(features);
  const labelIndex = new Map(dataset.labels.map((label, i) => [label, i]));
  const inputSize = featurizer.size;
  const outputSize = dataset.labels.length;
  log(`training texts ${texts.length}, features ${inputSize}, labels ${outputSize}`);

  const rows = texts.map((item) => featurizer.sparse(item.text));
  const y = texts.map((item) => labelIndex.get(item.label) ?? outputSize - 1);
  const sampleWeight = texts.map((item) => (item.source === 'example' || item.source === 'oos' ? options.exampleWeight : 1));

  const model = buildNetwork({ inputSize, hiddenUnits: options.hiddenUnits, outputSize, seed: options.seed });
  const params = model.getWeights().map((w) => Float64Array.from(w.dataSync()));
  const [k1, b1, k2, b2] = params;
  if (!k1 || !b1 || !k2 || !b2) throw new Error('the intent network needs two dense layers');
  const adam = new Adam(params, options.learningRate);
  const grads = params.map((p) => new Float64Array(p.length));
  const [gk1, gb1, gk2, gb2] = grads as [Float64Array, Float64Array, Float64Array, Float64Array];
  const H = options.hiddenUnits;
  const C = outputSize;
  const hidden = new Float64Array(H);
  const dHidden = new Float64Array(H);
  const logits = new Float64Array(C);
  const order = texts.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const batchOrder = shuffled(order, random);
    let lossSum = 0;
    let weightSum = 0;
    for (let start = 0; start < batchOrder.length; start += options.batchSize) {
      const batch = batchOrder.slice(start, start + options.batchSize);
      const batchWeight = batch.reduce((sum, row) => sum + (sampleWeight[row] ?? 1), 0);
      for (const g of grads) g.fill(0);
      for (const row of batch) {
        const { indices, values } = rows[row] ?? { indices: [], values: [] };
        const scale = (sampleWeight[row] ?? 1) / batchWeight;
        // Forward: the first layer sums the kernel rows of the non-zero features.
        hidden.set(b1);
        indices.forEach((feature, k) => {
          const v = values[k] ?? 0;
          for (let j = 0; j < H; j++) hidden[j] = (hidden[j] ?? 0) + v * (k1[feature * H + j] ?? 0);
        });
        for (let j = 0; j < H; j++) hidden[j] = Math.max(0, hidden[j] ?? 0);
        logits.set(b2);
        for (let j = 0; j < H; j++) {
          const h = hidden[j] ?? 0;
          if (h === 0) continue;
          for (let c = 0; c < C; c++) logits[c] = (logits[c] ?? 0) + h * (k2[j * C + c] ?? 0);
        }
        const p = softmaxWithTemperature(logits, 1);
        // Cross-entropy with label smoothing: target = (1 - ε)·onehot + ε / C; dL/dlogit = p − target.
        const label = y[row] ?? C - 1;
        for (let c = 0; c < C; c++) {
          const target = (c === label ? 1 - options.labelSmoothing : 0) + options.labelSmoothing / C;
          lossSum -= (sampleWeight[row] ?? 1) * target * Math.log(Math.max(1e-12, p[c] ?? 0));
          logits[c] = ((p[c] ?? 0) - target) * scale; // reused as dL/dlogits
        }
        weightSum += sampleWeight[row] ?? 1;
        dHidden.fill(0);
        for (let j = 0; j < H; j++) {
          const h = hidden[j] ?? 0;
          if (h === 0) continue;
          let back = 0;
          for (let c = 0; c < C; c++) {
            const d = logits[c] ?? 0;
            gk2[j * C + c] = (gk2[j * C + c] ?? 0) + h * d;
            back += d * (k2[j * C + c] ?? 0);
          }
          dHidden[j] = back;
        }
        for (let c = 0; c < C; c++) gb2[c] = (gb2[c] ?? 0) + (logits[c] ?? 0);
        for (let j = 0; j < H; j++) gb1[j] = (gb1[j] ?? 0) + (dHidden[j] ?? 0);
        indices.forEach((feature, k) => {
          const v = values[k] ?? 0;
          for (let j = 0; j < H; j++) gk1[feature * H + j] = (gk1[feature * H + j] ?? 0) + v * (dHidden[j] ?? 0);
        });
      }
      adam.step(grads);
    }
    log(`epoch ${epoch + 1}/${options.epochs} loss ${(lossSum / Math.max(1e-9, weightSum)).toFixed(4)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  const shapes = model.getWeights().map((w) => w.shape);
  model.setWeights(params.map((p, i) => tf.tensor(Float32Array.from(p), shapes[i])));

  // Calibration: temperature first (NLL), then lexical weight and OOS threshold on the same split.
  const logitsOf = (items: readonly LabeledText[]): Float32Array[] =>
    items.map((item) => tf.tidy(() => (model.predict(tf.tensor2d(featurizer.vector(item.text), [1, inputSize])) as tf.Tensor).dataSync() as Float32Array));
  const calibLogits = logitsOf(dataset.calib);
  const calibWeights = sourceWeights(dataset.calib);
  const temperature = fitTemperature(calibLogits, dataset.calib.map((item) => labelIndex.get(item.label) ?? outputSize - 1), calibWeights);
  const unseen = new Set([...dataset.calib, ...dataset.test].map((item) => item.text));
  const heldoutLexical = new LexicalMatcher(lexicalDocuments(content, unseen));
  const calibProbabilities = calibLogits.map((row) => softmaxWithTemperature(row, temperature));
  const calibLexical = dataset.calib.map((item) => heldoutLexical.score(item.text));

  // For each lexical weight: accuracy with no threshold, then the highest
  // threshold that keeps the hand-written examples' accuracy within
  // MAX_ACCURACY_LOSS of it (more OOS caught, citizens still answered). The
  // weight with the best sum of weighted accuracy, example accuracy and OOS
  // recall wins: colloquial questions count twice, they are what citizens ask.
  const score = (params: DecisionParams): { accuracy: number; exampleAccuracy: number; recall: number } => {
    let correct = 0;
    let inScope = 0;
    let examplesCorrect = 0;
    let examples = 0;
    let declined = 0;
    let oos = 0;
    dataset.calib.forEach((item, i) => {
      const weight = calibWeights[i] ?? 0;
      const decision = decideFromModel(dataset.labels, calibProbabilities[i] ?? [], params, calibLexical[i]);
      if (item.label === OOS) {
        oos += weight;
        if (decision.intentId === OOS) declined += weight;
        return;
      }
      inScope += weight;
      if (decision.intentId === item.label) correct += weight;
      if (item.source === 'example') {
        examples++;
        if (decision.intentId === item.label) examplesCorrect++;
      }
    });
    return { accuracy: correct / Math.max(1e-9, inScope), exampleAccuracy: examplesCorrect / Math.max(1, examples), recall: declined / Math.max(1e-9, oos) };
  };
  let chosen: DecisionParams & { objective: number } = { oosThreshold: 0, unsureThreshold: UNSURE_BELOW, lexicalWeight: 0, objective: -Infinity };
  for (const lexicalWeight of options.lexicalWeights) {
    const baseline = score({ oosThreshold: 0, unsureThreshold: UNSURE_BELOW, lexicalWeight });
    let best = { oosThreshold: 0, ...baseline };
    for (let step = 2; step <= 80; step += 2) {
      const figures = score({ oosThreshold: step / 100, unsureThreshold: UNSURE_BELOW, lexicalWeight });
      if (figures.exampleAccuracy >= baseline.exampleAccuracy - MAX_ACCURACY_LOSS && figures.recall > best.recall + 1e-9) best = { oosThreshold: step / 100, ...figures };
    }
    const objective = best.accuracy + best.exampleAccuracy + best.recall;
    log(`lexical weight ${lexicalWeight}: calibration accuracy ${best.accuracy.toFixed(3)} (examples ${best.exampleAccuracy.toFixed(3)}), OOS recall ${best.recall.toFixed(3)} at threshold ${best.oosThreshold}`);
    if (objective > chosen.objective + 1e-9) chosen = { oosThreshold: best.oosThreshold, unsureThreshold: UNSURE_BELOW, lexicalWeight, objective };
  }
  const config: IntentModelConfig = {
    format: MODEL_FORMAT,
    features,
    labels: dataset.labels,
    temperature,
    oosThreshold: chosen.oosThreshold,
    unsureThreshold: Math.max(chosen.oosThreshold, chosen.unsureThreshold),
    lexicalWeight: chosen.lexicalWeight,
    seed: options.seed,
    contentHash: content.hash,
  };
  log(`temperature ${temperature}, oos threshold ${config.oosThreshold}, lexical weight ${config.lexicalWeight}`);

  const heldout = [...new Set([...options.lexicalWeights, config.lexicalWeight])].map((lexicalWeight) => {
    const classifier = IntentClassifier.fromModel(model, config, heldoutLexical, lexicalWeight);
    const figures = (items: readonly LabeledText[]): EvaluationFigures => summarize(predictAll(asQuestions(items), (text) => classifier.classify(text)));
    return {
      lexicalWeight,
      all: figures(dataset.test),
      examples: figures(dataset.test.filter((item) => item.source !== 'generated-heldout')),
      generated: figures(dataset.test.filter((item) => item.source === 'generated-heldout')),
    };
  });
  return { model, config, dataset, heldout, trainingTexts: texts.length, trainMs: performance.now() - started };
}
