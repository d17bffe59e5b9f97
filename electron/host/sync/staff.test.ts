import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { platformSettings } from './module.js';
import { StaffAccess, pinMatches } from './staff.js';

function clock(start = Date.parse('2026-11-25T09:00:00Z')): { now: () => Date; advance: (ms: number) => void } {
  let at = start;
  return { now: () => new Date(at), advance: (ms) => void (at += ms) };
}

describe('staff PIN session', () => {
  it('compares PINs exactly, whatever their lengths', () => {
    expect(pinMatches('2468', '2468')).toBe(true);
    expect(pinMatches('2468', '24680')).toBe(false);
    expect(pinMatches('24680', '2468')).toBe(false);
    expect(pinMatches('2468', '2469')).toBe(false);
  });

  it('is off without a configured PIN', () => {
    const staff = new StaffAccess(undefined, clock().now);
    expect(staff.enabled).toBe(false);
    expect(staff.login('1234')).toEqual({ ok: false, reason: 'off' });
    expect(staff.check()).toBe(false);
  });

  it('opens on the right PIN, stays open while used, ends when idle or on logout', () => {
    const time = clock();
    const staff = new StaffAccess('2468', time.now, { idleMs: 60_000, maxFailures: 3, lockoutMs: 30_000 });
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
    const staff = new StaffAccess('2468', time.now, { idleMs: 60_000, maxFailures: 3, lockoutMs: 30_000 });
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

describe('platform settings from the config', () => {
  const env = { LIULIU_DATA_DIR: '/tmp/liuliu-unused' };
  it('is off without a baseUrl', () => {
    expect(platformSettings(parseConfig({}, 'test', env))).toEqual({ kind: 'off' });
  });

  it('takes the inline secret, or the trimmed secret file', () => {
    const inline = platformSettings(parseConfig({ terminalId: 'k-7', platform: { baseUrl: 'http://p.example', secret: 'x'.repeat(20), intervalSeconds: 5 } }, 'test', env));
    expect(inline).toMatchObject({ kind: 'ready', sync: { baseUrl: 'http://p.example', terminalId: 'k-7', secret: 'x'.repeat(20), intervalMs: 5000, batchSize: 200, retentionDays: 7 } });
    const fromFile = platformSettings(parseConfig({ platform: { baseUrl: 'http://p.example', secretFile: '/etc/liuliu/secret' } }, 'test', env), (file) => (file === '/etc/liuliu/secret' ? `${'s'.repeat(24)}\n` : ''));
    expect(fromFile).toMatchObject({ kind: 'ready', sync: { secret: 's'.repeat(24) } });
  });

  it('reports an unreadable or short secret file instead of throwing', () => {
    const config = parseConfig({ platform: { baseUrl: 'http://p.example', secretFile: '/nope' } }, 'test', env);
    const missing = platformSettings(config, () => {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    });
    expect(missing).toEqual({ kind: 'unusable', reason: expect.stringContaining('ENOENT') });
    expect(platformSettings(config, () => 'short\n')).toMatchObject({ kind: 'unusable' });
  });
});
