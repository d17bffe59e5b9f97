import { TokenSessions } from '../electron/host/staff/sessions.js';

/**
 * The hall manager's sessions on the statistics page. The manager's PIN is
 * one identity (`MANAGER_ID`) in the service's one staff-credential model
 * (scrypt hash from config, lockout and hall-wide rate limit shared with the
 * counters, every failure logged and kept); a login gives a random token
 * of the credential model's one session store (`TokenSessions`: kept only as
 * its SHA-256 hash, in memory — a restarted service asks for the PIN again),
 * valid for `ttlMs` from login.
 */
export const MANAGER_ID = 'manager';
const DEFAULT_TTL_MS = 8 * 3_600_000;

export class ManagerSessions {
  private readonly sessions: TokenSessions;

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {
    // Valid for ttlMs from login however it is used: idle and absolute limits alike.
    this.sessions = new TokenSessions({ idleMs: ttlMs, maxAgeMs: ttlMs, maxSessions: 64 });
  }

  open(): { token: string; expiresAt: string } {
    const nowMs = this.now().getTime();
    return { token: this.sessions.open(nowMs), expiresAt: new Date(nowMs + this.ttlMs).toISOString() };
  }

  valid(token: string): boolean {
    return this.sessions.touch(token, this.now().getTime());
  }
}
