import { intentCatalog, serviceTerms, type RobotContent } from './catalog.js';
import { charNgrams, normalizeText } from './text.js';

/**
 * BM25 over character uni+bigrams, one document per intent (service name and
 * keywords, facility names, intents.json examples). It needs nothing but the
 * content, so it is the robot's fallback when the model cannot load, and it
 * may re-rank the model's in-scope candidates (see IntentModelConfig.lexicalWeight).
 */
export interface LexicalDocument {
  intentId: string;
  texts: string[];
}

export interface LexicalScore {
  intentId: string;
  /** Raw BM25. */
  score: number;
  /** BM25 divided by the summed idf of the query's grams: ~0 nothing matched, ~1 everything matched (can exceed 1 slightly for repeated grams). */
  coverage: number;
}

const K1 = 1.2;
const B = 0.75;

/** Documents for every intent in the catalog; texts in `exclude` are left out (to keep held-out examples unseen when measuring). */
export function lexicalDocuments(content: RobotContent, exclude: ReadonlySet<string> = new Set()): LexicalDocument[] {
  const services = new Map(content.services.services.map((service) => [service.id, service]));
  const facilities = new Map(content.hall.facilities.map((facility) => [facility.id, facility]));
  return intentCatalog(content).map((entry) => {
    const service = entry.serviceId !== undefined ? services.get(entry.serviceId) : undefined;
    const facilityNames = (entry.facilityIds ?? []).map((id) => facilities.get(id)?.name ?? '');
    const texts = [...(service ? serviceTerms(service) : []), ...facilityNames, ...entry.examples].filter((text) => text !== '' && !exclude.has(text));
    return { intentId: entry.id, texts };
  });
}

function grams(text: string): string[] {
  return charNgrams(normalizeText(text), 1, 2);
}

export class LexicalMatcher {
  private readonly docs: { intentId: string; tf: Map<string, number>; length: number }[];
  private readonly idf = new Map<string, number>();
  private readonly avgLength: number;

  constructor(documents: readonly LexicalDocument[]) {
    this.docs = documents.map((doc) => {
      const tf = new Map<string, number>();
      let length = 0;
      for (const text of doc.texts) {
        for (const gram of grams(text)) {
          tf.set(gram, (tf.get(gram) ?? 0) + 1);
          length++;
        }
      }
      return { intentId: doc.intentId, tf, length };
    });
    const df = new Map<string, number>();
    for (const doc of this.docs) for (const gram of doc.tf.keys()) df.set(gram, (df.get(gram) ?? 0) + 1);
    const n = this.docs.length;
    for (const [gram, count] of df) this.idf.set(gram, Math.log(1 + (n - count + 0.5) / (count + 0.5)));
    this.avgLength = this.docs.reduce((sum, doc) => sum + doc.length, 0) / Math.max(1, n);
  }

  /** Every intent's score, best first (ties keep catalog order). */
  score(text: string): LexicalScore[] {
    const query = grams(text);
    const ceiling = query.reduce((sum, gram) => sum + (this.idf.get(gram) ?? 0), 0);
    const scores = this.docs.map((doc) => {
      let score = 0;
      const norm = K1 * (1 - B + (B * doc.length) / this.avgLength);
      for (const gram of query) {
        const tf = doc.tf.get(gram);
        if (tf === undefined) continue;
        score += ((this.idf.get(gram) ?? 0) * tf * (K1 + 1)) / (tf + norm);
      }
      return { intentId: doc.intentId, score, coverage: ceiling > 0 ? score / ceiling : 0 };
    });
    return scores.sort((a, b) => b.score - a.score);
  }
}
