import { AttemptLimiter } from '../../common/attempt-limit.js';

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

/** The terminal-wide rule of the one limiter of failed attempts (`electron/common/attempt-limit.ts`). */
export class QueryLimiter {
  private readonly limiter: AttemptLimiter;

  constructor(options: QueryLimitOptions = DEFAULT_QUERY_LIMIT) {
    this.limiter = new AttemptLimiter({ overall: { max: options.maxFailures, windowMs: options.windowMs } });
  }

  /** Milliseconds until the next query may be tried; 0 = go ahead. */
  blockedFor(nowMs: number): number {
    const verdict = this.limiter.check('', nowMs);
    return verdict.allowed ? 0 : Math.max(1, verdict.retryAt - nowMs);
  }

  /** Records a failed query; returns how many failures are now in the window. */
  fail(nowMs: number): number {
    this.limiter.fail('', nowMs);
    return this.limiter.overallCount(nowMs);
  }

  /** Failures in the window now (for the log). */
  count(nowMs: number): number {
    return this.limiter.overallCount(nowMs);
  }
}
