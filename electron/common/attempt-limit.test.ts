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
  it('snapshot and restore: a lock and the counted failures survive into a new limiter', () => {
    const policy = { perKey: { max: 3, windowMs: 10 * MIN, lockMs: 15 * MIN }, overall: { max: 10, windowMs: 10 * MIN } };
    const before = new AttemptLimiter(policy);
    let changes = 0;
    before.onChange(() => changes++);
    for (let i = 0; i < 3; i++) before.fail('s1', i * MIN);
    before.fail('s2', 3 * MIN);
    expect(changes).toBe(4);
    const saved = JSON.parse(JSON.stringify(before.snapshot(4 * MIN))) as unknown;
    const after = new AttemptLimiter(policy);
    expect(after.restore(saved, 5 * MIN)).toBe(true);
    expect(after.check('s1', 5 * MIN)).toEqual({ allowed: false, scope: 'key', retryAt: 17 * MIN });
    // s2's one failure still counts: two more lock it.
    after.fail('s2', 6 * MIN);
    expect(after.fail('s2', 7 * MIN).allowed).toBe(false);
    expect(after.overallCount(7 * MIN)).toBe(6);
    // A success forgets the key, and says so.
    let forgotten = 0;
    after.onChange(() => forgotten++);
    after.forget('nobody');
    after.forget('s2');
    expect(forgotten).toBe(1);
  });

  it('restore trusts the saved times only as far as the policy allows, and refuses what is not a state', () => {
    const policy = { perKey: { max: 3, windowMs: 10 * MIN, lockMs: 15 * MIN } };
    const limiter = new AttemptLimiter(policy);
    // An edited file (or a clock that jumped back) cannot lock a key out for a year.
    expect(limiter.restore({ v: 1, all: { failures: [], lockedUntil: 0 }, keys: [['s1', { failures: [], lockedUntil: 365 * 24 * 60 * MIN }]] }, 0)).toBe(true);
    expect(limiter.check('s1', 0)).toEqual({ allowed: false, scope: 'key', retryAt: 15 * MIN });
    for (const bad of [null, 'x', { v: 2 }, { v: 1, all: { failures: ['a'], lockedUntil: 0 }, keys: [] }]) expect(new AttemptLimiter(policy).restore(bad, 0)).toBe(false);
  });
});
