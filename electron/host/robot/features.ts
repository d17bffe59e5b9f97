import { compileGlossary, type GlossaryPair } from './glossary.js';
import { charNgrams, MAX_INPUT_CHARS, normalizeText } from './text.js';

/**
 * Bag of character n-grams over a fixed vocabulary, idf-weighted and L2
 * normalised. Chinese questions are short and unsegmented, so uni/bi/tri-grams
 * of characters carry the words without needing a segmenter.
 */
export interface FeatureConfig {
  kind: 'char-ngram-tfidf';
  minN: number;
  maxN: number;
  vocabulary: string[];
  /** idf per vocabulary entry, same order. */
  idf: number[];
  /** The hall glossary's rewrites (glossary.ts), applied before normalisation; absent in older models. */
  glossary?: GlossaryPair[];
}

export interface VocabularyOptions {
  minN: number;
  maxN: number;
  /** Minimum number of texts an n-gram of length ≥ 2 must appear in (unigrams are always kept). */
  minDocFreq: number;
  maxSize: number;
  /** Rewrites applied to every text before its n-grams are counted (and kept in the config). */
  glossary?: readonly GlossaryPair[];
}

/** The text the n-grams are taken from: glossary rewrites on the (cut) raw question, then normalizeText. */
export function preparedText(input: unknown, rewrite: (text: string) => string): string {
  if (typeof input !== 'string') return '';
  return normalizeText(rewrite(input.slice(0, MAX_INPUT_CHARS * 4)));
}

/** Chooses the vocabulary from training texts: most frequent first, ties by code point, so the result is deterministic. */
export function buildFeatureConfig(texts: readonly string[], options: VocabularyOptions): FeatureConfig {
  const docFreq = new Map<string, number>();
  const rewrite = compileGlossary(options.glossary ?? []);
  for (const text of texts) {
    for (const gram of new Set(charNgrams(preparedText(text, rewrite), options.minN, options.maxN))) docFreq.set(gram, (docFreq.get(gram) ?? 0) + 1);
  }
  const kept = [...docFreq.entries()]
    .filter(([gram, df]) => Array.from(gram).length === 1 || df >= options.minDocFreq)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, options.maxSize);
  const n = texts.length;
  return {
    kind: 'char-ngram-tfidf',
    minN: options.minN,
    maxN: options.maxN,
    vocabulary: kept.map(([gram]) => gram),
    // Rounded so the saved config is short and stable across platforms.
    idf: kept.map(([, df]) => Math.round(Math.log((1 + n) / (1 + df)) * 1e4) / 1e4 + 1),
    ...(options.glossary && options.glossary.length > 0 ? { glossary: options.glossary.map(([from, to]): GlossaryPair => [from, to]) } : {}),
  };
}

/** A vocabulary lookup built once per FeatureConfig. */
export class Featurizer {
  private readonly index: Map<string, number>;
  private readonly rewrite: (text: string) => string;

  constructor(readonly config: FeatureConfig) {
    this.index = new Map(config.vocabulary.map((gram, i) => [gram, i]));
    this.rewrite = compileGlossary(config.glossary ?? []);
  }

  /** A raw question as the model sees it: glossary rewrites, then normalizeText (idempotent: preparing prepared text changes nothing). */
  prepare(input: unknown): string {
    return preparedText(input, this.rewrite);
  }

  get size(): number {
    return this.config.vocabulary.length;
  }

  /** The non-zero entries of the feature vector of `text`: vocabulary indices (first-seen order) and their L2-normalised idf weights. */
  sparse(text: string): { indices: number[]; values: number[] } {
    const indices: number[] = [];
    const seen = new Set<number>();
    for (const gram of charNgrams(this.prepare(text), this.config.minN, this.config.maxN)) {
      const i = this.index.get(gram);
      if (i === undefined || seen.has(i)) continue;
      seen.add(i);
      indices.push(i);
    }
    const values = indices.map((i) => this.config.idf[i] ?? 1);
    const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
    return { indices, values: norm > 0 ? values.map((v) => v / norm) : values };
  }

  /** Writes the dense feature vector of `text` into `out` (length `size`, zeroed by the caller). */
  fill(text: string, out: Float32Array): void {
    const { indices, values } = this.sparse(text);
    indices.forEach((i, k) => {
      out[i] = values[k] ?? 0;
    });
  }

  vector(text: string): Float32Array {
    const out = new Float32Array(this.size);
    this.fill(text, out);
    return out;
  }
}
