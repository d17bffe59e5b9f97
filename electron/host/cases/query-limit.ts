/**
 * Rate limit of anonymous progress queries on this terminal (pure: the clock
 * is passed in). Every failed query — an unknown number or the wrong phone
 * digits, which look the same to the asker — counts; after `maxFailures` in
 * `windowMs` the terminal answers no anonymous query until the oldest failure
 * leaves the window. A citizen's own cases (card login) are not limited.
 *
 * With 18-digit numbers carrying a 4-digit random part and a 4-digit second
 * factor, the default (5 per 10 minutes) leaves a guesser 720 tries a day
 * against 10^8 combinations per sequence number.
 */
export interface QueryLimitOptions {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_QUERY_LIMIT: QueryLimitOptions = { maxFailures: 5, windowMs: 10 * 60_000 };

export class QueryLimiter {
  private failures: number[] = [];

  constructor(private readonly options: QueryLimitOptions = DEFAULT_QUERY_LIMIT) {}

  private prune(nowMs: number): void {
    const from = nowMs - this.options.windowMs;
    this.failures = this.failures.filter((at) => at > from);
  }

  /** Milliseconds until the next query may be tried; 0 = go ahead. */
  blockedFor(nowMs: number): number {
    this.prune(nowMs);
    if (this.failures.length < this.options.maxFailures) return 0;
    const oldest = this.failures[0] ?? nowMs;
    return Math.max(1, oldest + this.options.windowMs - nowMs);
  }

  /** Records a failed query; returns how many failures are now in the window. */
  fail(nowMs: number): number {
    this.prune(nowMs);
    this.failures.push(nowMs);
    return this.failures.length;
  }

  /** Failures in the window now (for the log). */
  count(nowMs: number): number {
    this.prune(nowMs);
    return this.failures.length;
  }
}
