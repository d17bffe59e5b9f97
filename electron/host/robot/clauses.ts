/**
 * Long, rambling questions ("上个礼拜我回老家……身份证也在里面，现在要重新办一张")
 * name the service in one clause among many; the rest of the story dilutes the
 * character n-grams. Pure functions: split a question into clauses, and choose
 * between the whole question's probabilities and its most confident clause's.
 */

/** Questions shorter than this (normalised characters) are read whole. */
export const MIN_CLAUSE_SCORING_CHARS = 24;
/** Clauses shorter than this (normalised characters) carry no service on their own. */
const MIN_CLAUSE_CHARS = 3;

// Punctuation that ends a clause, full- and half-width; spaces only between Han characters (spoken input has no commas).
const CLAUSE_BREAK = /[，。！？；：、,.!?;:\n]+|(?<=\p{Script=Han})\s+(?=\p{Script=Han})/u;

/** The clauses of a raw question, trimmed, as written (not normalised). */
export function splitClauses(text: string): string[] {
  return text
    .split(CLAUSE_BREAK)
    .map((clause) => clause.trim())
    .filter((clause) => clause !== '');
}

/** The best in-scope probability of a distribution over `labels` (the `oos` label excluded). */
function bestInScope(probabilities: ArrayLike<number>, oosIndex: number): number {
  let best = 0;
  for (let i = 0; i < probabilities.length; i++) if (i !== oosIndex) best = Math.max(best, probabilities[i] ?? 0);
  return best;
}

/**
 * The probabilities a long question is decided on: the whole question's,
 * unless one clause is more confident about an in-scope intent — then the mean
 * of the two, so the clause leads and the whole question still counts (its
 * context, and its out-of-scope evidence). `clauseProbabilities` holds only
 * clauses long enough to be read (see `readableClauses`).
 */
export function poolClauses(whole: Float64Array, clauseProbabilities: readonly Float64Array[], oosIndex: number): Float64Array {
  let best: Float64Array | undefined;
  let bestScore = bestInScope(whole, oosIndex);
  for (const clause of clauseProbabilities) {
    const score = bestInScope(clause, oosIndex);
    if (score > bestScore) {
      best = clause;
      bestScore = score;
    }
  }
  if (!best) return whole;
  const chosen = best;
  return whole.map((p, i) => (p + (chosen[i] ?? 0)) / 2);
}

/** The clauses of a question worth scoring on their own: none unless the question is long and has several. */
export function readableClauses(raw: string, prepare: (text: string) => string): string[] {
  if (prepare(raw).length < MIN_CLAUSE_SCORING_CHARS) return [];
  const clauses = splitClauses(raw).filter((clause) => prepare(clause).length >= MIN_CLAUSE_CHARS);
  return clauses.length >= 2 ? clauses : [];
}
