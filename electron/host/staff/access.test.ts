import { describe, expect, it } from 'vitest';
import { StaffAccess } from './access.js';
import { hashPin } from './credentials.js';

const HASH_2468 = hashPin('2468');

function clock(start = Date.parse('2026-11-25T09:00:00Z')): { now: () => Date; advance: (ms: number) => void } {
  let at = start;
  return { now: () => new Date(at), advance: (ms) => void (at += ms) };
}

describe('staff PIN session', () => {
  it('compares PINs exactly, whatever their lengths, against the stored hash only', () => {
    const staff = new StaffAccess(HASH_2468, clock().now, { idleMs: 60_000, maxFailures: 10, lockoutMs: 30_000 });
    expect(staff.login('24680')).toMatchObject({ ok: false, reason: 'wrong' });
    expect(staff.login('2469')).toMatchObject({ ok: false, reason: 'wrong' });
    expect(staff.login('2468')).toMatchObject({ ok: true });
    expect(staff.failures().map((f) => f.reason)).toEqual(['wrong', 'wrong']);
  });

  it('is off without a configured PIN', () => {
    const staff = new StaffAccess(undefined, clock().now);
    expect(staff.enabled).toBe(false);
    expect(staff.login('1234')).toEqual({ ok: false, reason: 'off' });
    expect(staff.check()).toBe(false);
  });

  it('opens on the right PIN, stays open while used, ends when idle or on logout', () => {
    const time = clock();
    const staff = new StaffAccess(HASH_2468, time.now, { idleMs: 60_000, maxFailures: 3, lockoutMs: 30_000 });
    expect(staff.check()).toBe(false);
    const login = staff.login('2468');
    expect(login).toEqual({ ok: true, expiresAt: new Date(time.now().getTime() + 60_000) });
    time.advance(50_000);
    expect(staff.check()).toBe(true);
    time.advance(50_000);
    expect(staff.check()).toBe(true); // each check keeps it alive
    time.advance(60_000);
    expect(staff.check()).toBe(false);
    staff.login('2468');
    staff.logout();
    expect(staff.check()).toBe(false);
  });

  it('locks the PIN pad after too many wrong PINs, even for the right PIN, until the lockout passes', () => {
    const time = clock();
    const staff = new StaffAccess(HASH_2468, time.now, { idleMs: 60_000, maxFailures: 3, lockoutMs: 30_000 });
    expect(staff.login('0000')).toEqual({ ok: false, reason: 'wrong' });
    expect(staff.login('1111')).toEqual({ ok: false, reason: 'wrong' });
    const locked = staff.login('2222');
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    expect(staff.login('2468')).toMatchObject({ ok: false, reason: 'locked' });
    time.advance(30_000);
    expect(staff.login('2468')).toMatchObject({ ok: true });
    // A success resets the count.
    expect(staff.login('0000')).toEqual({ ok: false, reason: 'wrong' });
    expect(staff.check()).toBe(false); // a wrong PIN also closes an open session
  });
});
