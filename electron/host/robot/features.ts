import { charNgrams, normalizeText } from './text.js';

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
}

export interface VocabularyOptions {
  minN: number;
  maxN: number;
  /** Minimum number of texts an n-gram of length ≥ 2 must appear in (unigrams are always kept). */
  minDocFreq: number;
  maxSize: number;
}

/** Chooses the vocabulary from training texts: most frequent first, ties by code point, so the result is deterministic. */
export function buildFeatureConfig(texts: readonly string[], options: VocabularyOptions): FeatureConfig {
  const docFreq = new Map<string, number>();
  for (const text of texts) {
    for (const gram of new Set(charNgrams(normalizeText(text), options.minN, options.maxN))) docFreq.set(gram, (docFreq.get(gram) ?? 0) + 1);
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
  };
}

/** A vocabulary lookup built once per FeatureConfig. */
export class Featurizer {
  private readonly index: Map<string, number>;

  constructor(readonly config: FeatureConfig) {
    this.index = new Map(config.vocabulary.map((gram, i) => [gram, i]));
  }

  get size(): number {
    return this.config.vocabulary.length;
  }

  /** Writes the feature vector of `text` into `out` (length `size`, zeroed by the caller); returns how many n-grams were known. */
  fill(text: string, out: Float32Array): number {
    let known = 0;
    const seen: number[] = [];
    for (const gram of charNgrams(normalizeText(text), this.config.minN, this.config.maxN)) {
      const i = this.index.get(gram);
      if (i === undefined) continue;
      known++;
      if (out[i] === 0) seen.push(i);
      out[i] = this.config.idf[i] ?? 1;
    }
    let norm = 0;
    for (const i of seen) norm += (out[i] ?? 0) ** 2;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (const i of seen) out[i] = (out[i] ?? 0) * scale;
    }
    return known;
  }

  vector(text: string): Float32Array {
    const out = new Float32Array(this.size);
    this.fill(text, out);
    return out;
  }
}
