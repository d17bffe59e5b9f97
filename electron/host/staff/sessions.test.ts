import { describe, expect, it } from 'vitest';
import { TokenSessions } from './sessions.js';

const policy = { idleMs: 30 * 60_000, maxAgeMs: 12 * 60 * 60_000, maxSessions: 3 };

describe('login sessions (reviewer, hall manager)', () => {
  it('opens a random 256-bit id and knows it while it is used', () => {
    const sessions = new TokenSessions(policy);
    const id = sessions.open(0);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(sessions.touch(id, 1000)).toBe(true);
    expect(sessions.touch(id + 'x', 1000)).toBe(false);
    expect(sessions.touch('', 1000)).toBe(false);
  });

  it('ends a session after 30 idle minutes, and each request restarts the idle clock', () => {
    const sessions = new TokenSessions(policy);
    const id = sessions.open(0);
    expect(sessions.touch(id, 29 * 60_000)).toBe(true);
    expect(sessions.touch(id, 58 * 60_000)).toBe(true);
    expect(sessions.touch(id, 88 * 60_000)).toBe(false);
    expect(sessions.touch(id, 89 * 60_000)).toBe(false);
  });

  it('ends a session 12 hours after login however busy it was', () => {
    const sessions = new TokenSessions(policy);
    const id = sessions.open(0);
    for (let at = 0; at < 12 * 60; at += 20) expect(sessions.touch(id, at * 60_000)).toBe(true);
    expect(sessions.touch(id, 12 * 60 * 60_000)).toBe(false);
  });

  it('keeps at most maxSessions: a new login drops the oldest', () => {
    const sessions = new TokenSessions(policy);
    const ids = [0, 1, 2, 3].map((i) => sessions.open(i));
    expect(sessions.size).toBe(3);
    expect(sessions.touch(ids[0]!, 10)).toBe(false);
    expect(sessions.touch(ids[3]!, 10)).toBe(true);
  });

  it('closes a session at logout', () => {
    const sessions = new TokenSessions(policy);
    const id = sessions.open(0);
    sessions.close(id);
    expect(sessions.touch(id, 1)).toBe(false);
  });
});
