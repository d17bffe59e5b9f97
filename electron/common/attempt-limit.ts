/**
 * The one limiter of failed attempts (pure: the clock is passed in), shared by
 * the staff credentials (`electron/host/staff/credentials.ts`: per staff
 * identity and hall-wide), the appointment-code check-in at the hall service
 * (`hall/service.ts`: per kiosk and hall-wide) and the terminal's anonymous
 * progress query (`electron/host/cases/query-limit.ts`).
 *
 * Two rules, each optional: `perKey` counts the failures of one key (a staff
 * id, a kiosk) and `overall` those of every key together. A rule counts the
 * failures of the last `windowMs` (a sliding window). When `max` of them are
 * in the window:
 * - with `lockMs`, the key (or everything) is locked for `lockMs` from that
 *   failure — a cooling-off — and counting starts afresh after it;
 * - without, attempts are refused until the oldest failure leaves the window.
 * `check` says whether an attempt may be evaluated at all; the caller refuses
 * it unevaluated when it may not (so a locked guesser learns nothing, not even
 * from a right guess). Keys are bounded, so invented keys cannot grow memory
 * without limit.
 *
 * A lockout must outlive a restart of the process that keeps it (a guesser
 * who can make the service restart would otherwise start afresh):
 * `snapshot` / `restore` give the state as data, validated on the way back
 * in, and `onChange` tells the owner when to save it
 * (`electron/host/storage/lockouts.ts` keeps it in the process's database).
 */
import { z } from 'zod';

export interface AttemptRule {
  max: number;
  windowMs: number;
  /** Cooling-off after `max` failures; omitted = refused only until the oldest failure ages out. */
  lockMs?: number;
}

export interface AttemptLimitPolicy {
  perKey?: AttemptRule;
  overall?: AttemptRule;
  /** At most this many keys are tracked (default 10,000); past it the oldest records are dropped. */
  maxKeys?: number;
}

export type AttemptScope = 'key' | 'overall';
export type AttemptVerdict = { allowed: true } | { allowed: false; scope: AttemptScope; retryAt: number };

interface Counter {
  failures: number[];
  lockedUntil: number;
}

const ALLOWED: AttemptVerdict = { allowed: true };

const CounterState = z.object({ failures: z.array(z.number().finite()).max(10_000), lockedUntil: z.number().finite() });
/** The limiter as data: what `snapshot` gives and `restore` takes back (versioned, bounded). */
export const AttemptLimiterState = z.object({
  v: z.literal(1),
  all: CounterState,
  keys: z.array(z.tuple([z.string().max(500), CounterState])).max(10_000),
});
export type AttemptLimiterState = z.infer<typeof AttemptLimiterState>;

function prune(counter: Counter, rule: AttemptRule, nowMs: number): void {
  const from = nowMs - rule.windowMs;
  if (counter.failures.length > 0 && counter.failures[0]! <= from) counter.failures = counter.failures.filter((at) => at > from);
}

/** When this counter refuses attempts until, or null when it does not (now). */
function blockedUntil(counter: Counter, rule: AttemptRule, nowMs: number): number | null {
  if (nowMs < counter.lockedUntil) return counter.lockedUntil;
  prune(counter, rule, nowMs);
  if (rule.lockMs === undefined && counter.failures.length >= rule.max) return counter.failures[0]! + rule.windowMs;
  return null;
}

function record(counter: Counter, rule: AttemptRule, nowMs: number): void {
  prune(counter, rule, nowMs);
  counter.failures.push(nowMs);
  if (rule.lockMs !== undefined && counter.failures.length >= rule.max) {
    counter.lockedUntil = nowMs + rule.lockMs;
    counter.failures = [];
  }
}

export class AttemptLimiter {
  private readonly keys = new Map<string, Counter>();
  private readonly all: Counter = { failures: [], lockedUntil: 0 };
  private readonly maxKeys: number;
  private changed: () => void = () => undefined;

  constructor(private readonly policy: AttemptLimitPolicy) {
    this.maxKeys = policy.maxKeys ?? 10_000;
  }

  /** Called after every recorded failure and every forgotten key: the owner saves `snapshot()` then. */
  onChange(listener: () => void): void {
    this.changed = listener;
  }

  /** The counters that still matter at `nowMs` (a lock in force or failures inside the window). */
  snapshot(nowMs: number): AttemptLimiterState {
    const live = (counter: Counter, rule: AttemptRule | undefined): boolean => {
      if (rule !== undefined) prune(counter, rule, nowMs);
      return counter.lockedUntil > nowMs || counter.failures.length > 0;
    };
    const keys: [string, Counter][] = [];
    for (const [key, counter] of this.keys) if (live(counter, this.policy.perKey)) keys.push([key, { failures: [...counter.failures], lockedUntil: counter.lockedUntil }]);
    live(this.all, this.policy.overall);
    return { v: 1, all: { failures: [...this.all.failures], lockedUntil: this.all.lockedUntil }, keys };
  }

  /**
   * Takes back a snapshot (from disk: anything). Invalid → false, nothing
   * changed. Times are trusted only as far as the policy allows: a lock ends
   * at most `lockMs` from now and failures from the future count as now, so
   * a wrong clock or an edited file cannot lock a key out for ever.
   */
  restore(state: unknown, nowMs: number): boolean {
    const parsed = AttemptLimiterState.safeParse(state);
    if (!parsed.success) return false;
    const bounded = (counter: z.infer<typeof CounterState>, rule: AttemptRule | undefined): Counter => ({
      failures: counter.failures.map((at) => Math.min(at, nowMs)).sort((a, b) => a - b).slice(-(rule?.max ?? 0)),
      lockedUntil: Math.min(counter.lockedUntil, nowMs + (rule?.lockMs ?? 0)),
    });
    if (this.policy.overall !== undefined) Object.assign(this.all, bounded(parsed.data.all, this.policy.overall));
    if (this.policy.perKey !== undefined) {
      for (const [key, counter] of parsed.data.keys.slice(-this.maxKeys)) this.keys.set(key, bounded(counter, this.policy.perKey));
    }
    return true;
  }

  /** May an attempt for `key` be evaluated now? The overall rule is asked first. */
  check(key: string, nowMs: number): AttemptVerdict {
    if (this.policy.overall !== undefined) {
      const until = blockedUntil(this.all, this.policy.overall, nowMs);
      if (until !== null) return { allowed: false, scope: 'overall', retryAt: until };
    }
    const counter = this.keys.get(key);
    if (this.policy.perKey !== undefined && counter !== undefined) {
      const until = blockedUntil(counter, this.policy.perKey, nowMs);
      if (until !== null) return { allowed: false, scope: 'key', retryAt: until };
    }
    return ALLOWED;
  }

  /** Records a failed attempt of `key`; answers whether the next attempt may be evaluated (the key's verdict first: "now locked"). */
  fail(key: string, nowMs: number): AttemptVerdict {
    if (this.policy.overall !== undefined) record(this.all, this.policy.overall, nowMs);
    if (this.policy.perKey !== undefined) {
      let counter = this.keys.get(key);
      if (counter === undefined) {
        if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
        counter = { failures: [], lockedUntil: 0 };
        this.keys.set(key, counter);
      }
      record(counter, this.policy.perKey, nowMs);
    }
    this.changed();
    if (this.policy.perKey !== undefined) {
      const until = blockedUntil(this.keys.get(key)!, this.policy.perKey, nowMs);
      if (until !== null) return { allowed: false, scope: 'key', retryAt: until };
    }
    if (this.policy.overall !== undefined) {
      const until = blockedUntil(this.all, this.policy.overall, nowMs);
      if (until !== null) return { allowed: false, scope: 'overall', retryAt: until };
    }
    return ALLOWED;
  }

  /** A success: the key's failures are forgotten (the overall count is not: a success proves nothing about the others). */
  forget(key: string): void {
    if (this.keys.delete(key)) this.changed();
  }

  /** Failures counted now by the overall rule (for the log). */
  overallCount(nowMs: number): number {
    if (this.policy.overall === undefined) return 0;
    prune(this.all, this.policy.overall, nowMs);
    return this.all.failures.length;
  }
}
