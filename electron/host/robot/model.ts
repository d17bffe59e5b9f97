import * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from './features.js';

/**
 * The intent model and what travels with it. The network maps a feature vector
 * to logits (one per label); calibration (temperature) and the OOS decision
 * live in the config so they can be re-tuned without touching the weights.
 */
export const MODEL_FORMAT = 'liuliu-intent/1';

export interface IntentModelConfig {
  format: typeof MODEL_FORMAT;
  features: FeatureConfig;
  /** Intent ids in output order; the last one is 'oos'. */
  labels: string[];
  /** Softmax temperature fitted on the calibration split (logits / T). */
  temperature: number;
  /** Below this calibrated top in-scope confidence the question is treated as out of scope. */
  oosThreshold: number;
  /** Also declined when p(oos) is at least this multiple of the best in-scope probability; null = threshold only. */
  oosRatio: number | null;
  /** Below this (but above oosThreshold) the robot is unsure and offers the top 3. */
  unsureThreshold: number;
  /** Weight of the lexical matcher when re-ranking in-scope intents (0 = model only). */
  lexicalWeight: number;
  seed: number;
  /** sha256 of the content package the model was trained from. */
  contentHash: string;
  /**
   * For each intent, the out-of-scope key objects (intents.json scope terms) its
   * training texts name: a question naming another such object is declined
   * rather than answered by this intent (scope.ts). Absent: no key-object check.
   */
  intentScopeTerms?: Record<string, string[]>;
  /** Long questions are also read clause by clause and the most confident clause leads (clauses.ts); absent = whole questions only. */
  clauseScoring?: boolean;
  /**
   * Bare words that mean several intents ("补证", "领证"), with the intents
   * they may mean, copied from the training content's `ambiguous` lists: the
   * robot offers those rather than answering one (scope.ts). Absent: only the
   * services' own words are used.
   */
  ambiguousFragments?: { text: string; candidates: string[] }[];
}

export interface NetworkShape {
  inputSize: number;
  hiddenUnits: number;
  outputSize: number;
  seed: number;
}

let backendReady: Promise<void> | undefined;

/** tfjs-node cannot be installed here; the pure-JS CPU backend is deterministic and fast enough for a two-layer net. */
export function ensureCpuBackend(): Promise<void> {
  backendReady ??= tf.setBackend('cpu').then((ok) => {
    if (!ok) throw new Error('tfjs cpu backend unavailable');
  });
  return backendReady;
}

/** Feature vector → ReLU hidden layer → logits. Initialisers are seeded so training is reproducible. */
export function buildNetwork(shape: NetworkShape): tf.Sequential {
  // A fixed name: tfjs would otherwise number models per process ("sequential_2") and model.json would differ run to run.
  return tf.sequential({
    name: 'liuliu_intent',
    layers: [
      tf.layers.dense({
        inputShape: [shape.inputSize],
        units: shape.hiddenUnits,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: shape.seed }),
        name: 'hidden',
      }),
      tf.layers.dense({
        units: shape.outputSize,
        activation: 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: shape.seed + 1 }),
        name: 'logits',
      }),
    ],
  });
}

/**
 * The trained network as plain arrays, for inference. A question has ~40
 * non-zero features out of thousands, so the first layer is a sum of ~40 rows
 * of the kernel rather than a dense matrix product: ~0.05 ms per question and
 * no tensor allocation (tfjs predict costs ~1 ms and garbage-collection pauses).
 * Equal to `model.predict` up to float rounding (tested).
 */
export class SparseForward {
  private constructor(
    private readonly hiddenKernel: Float32Array,
    private readonly hiddenBias: Float32Array,
    private readonly outputKernel: Float32Array,
    private readonly outputBias: Float32Array,
  ) {}

  static fromModel(model: tf.LayersModel): SparseForward {
    const [k1, b1, k2, b2] = model.getWeights().map((w) => w.dataSync() as Float32Array);
    if (!k1 || !b1 || !k2 || !b2) throw new Error('the intent network needs two dense layers');
    return new SparseForward(Float32Array.from(k1), Float32Array.from(b1), Float32Array.from(k2), Float32Array.from(b2));
  }

  logits(indices: readonly number[], values: readonly number[]): Float64Array {
    const hiddenUnits = this.hiddenBias.length;
    const outputs = this.outputBias.length;
    const hidden = Float64Array.from(this.hiddenBias);
    indices.forEach((row, k) => {
      const value = values[k] ?? 0;
      const offset = row * hiddenUnits;
      for (let j = 0; j < hiddenUnits; j++) hidden[j] = (hidden[j] ?? 0) + value * (this.hiddenKernel[offset + j] ?? 0);
    });
    const logits = Float64Array.from(this.outputBias);
    for (let j = 0; j < hiddenUnits; j++) {
      const h = hidden[j] ?? 0;
      if (h <= 0) continue; // ReLU
      const offset = j * outputs;
      for (let c = 0; c < outputs; c++) logits[c] = (logits[c] ?? 0) + h * (this.outputKernel[offset + c] ?? 0);
    }
    return logits;
  }
}

/** Softmax of logits / temperature, in plain JS (tiny vectors; no tensor round trip). */
export function softmaxWithTemperature(logits: ArrayLike<number>, temperature: number): Float64Array {
  const out = new Float64Array(logits.length);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, (logits[i] ?? 0) / temperature);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp((logits[i] ?? 0) / temperature - max);
    sum += out[i] ?? 0;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}
