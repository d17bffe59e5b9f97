/** Retry delays shared by every retry loop (platform sync, the supervisor's restarts). Pure. */
export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** No delay grows beyond this. */
  maxMs: number;
}

/**
 * Capped exponential backoff with "equal jitter": after the n-th failure
 * (n ≥ 1) the ceiling is min(max, base·2^(n−1)) and the delay is drawn from
 * [ceiling/2, ceiling), so terminals that failed together do not retry
 * together, yet none retries sooner than half the ceiling.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
