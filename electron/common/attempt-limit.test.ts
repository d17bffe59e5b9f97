import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempt-limit.js';

const MIN = 60_000;

describe('the one limiter of failed attempts (pure)', () => {
  it('per key: max failures in the sliding window lock that key for the cooling-off, other keys untouched', () => {
    const limiter = new AttemptLimiter({ perKey: { max: 3, windowMs: 10 * MIN, lockMs: 15 * MIN } });
    expect(limiter.fail('k1', 0)).toEqual({ allowed: true });
    expect(limiter.fail('k1', MIN)).toEqual({ allowed: true });
    expect(limiter.fail('k1', 2 * MIN)).toEqual({ allowed: false, scope: 'key', retryAt: 17 * MIN });
    expect(limiter.check('k1', 16 * MIN)).toEqual({ allowed: false, scope: 'key', retryAt: 17 * MIN });
    expect(limiter.check('k2', 3 * MIN)).toEqual({ allowed: true });
    // After the cooling-off the key starts afresh: one failure does not lock it again.
    expect(limiter.check('k1', 17 * MIN)).toEqual({ allowed: true });
    expect(limiter.fail('k1', 17 * MIN)).toEqual({ allowed: true });
  });

  it('per key: failures that left the window no longer count', () => {
    const limiter = new AttemptLimiter({ perKey: { max: 3, windowMs: 10 * MIN, lockMs: 15 * MIN } });
    limiter.fail('k1', 0);
    limiter.fail('k1', 5 * MIN);
    expect(limiter.fail('k1', 10 * MIN)).toEqual({ allowed: true }); // the one at 0 aged out
    expect(limiter.fail('k1', 11 * MIN).allowed).toBe(false);
  });

  it('overall without a cooling-off: refused until the oldest failure ages out, whatever the key', () => {
    const limiter = new AttemptLimiter({ overall: { max: 3, windowMs: 10 * MIN } });
    limiter.fail('a', 0);
    limiter.fail('b', MIN);
    expect(limiter.fail('c', 2 * MIN)).toEqual({ allowed: false, scope: 'overall', retryAt: 10 * MIN });
    expect(limiter.check('d', 9 * MIN)).toEqual({ allowed: false, scope: 'overall', retryAt: 10 * MIN });
    expect(limiter.check('d', 10 * MIN)).toEqual({ allowed: true });
    expect(limiter.overallCount(10 * MIN)).toBe(2);
  });

  it('overall with a cooling-off, asked before the key; forget clears a key but not the overall count', () => {
    const limiter = new AttemptLimiter({ perKey: { max: 5, windowMs: 10 * MIN, lockMs: 15 * MIN }, overall: { max: 4, windowMs: 10 * MIN, lockMs: 20 * MIN } });
    for (const key of ['a', 'b', 'c']) limiter.fail(key, 0);
    limiter.forget('a');
    expect(limiter.fail('a', MIN)).toEqual({ allowed: false, scope: 'overall', retryAt: 21 * MIN });
    expect(limiter.check('zzz', 20 * MIN)).toEqual({ allowed: false, scope: 'overall', retryAt: 21 * MIN });
    expect(limiter.check('zzz', 21 * MIN)).toEqual({ allowed: true });
  });

  it('tracks a bounded number of keys', () => {
    const limiter = new AttemptLimiter({ perKey: { max: 2, windowMs: MIN, lockMs: MIN }, maxKeys: 3 });
    for (let i = 0; i < 100; i++) limiter.fail(`k${i}`, 0);
    expect((limiter as unknown as { keys: Map<string, unknown> }).keys.size).toBe(3);
  });
});
