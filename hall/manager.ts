import { hashToken, newSessionToken } from '../electron/host/staff/credentials.js';

/**
 * The hall manager's sessions on the statistics page. The manager's PIN is
 * one identity (`MANAGER_ID`) in the service's one staff-credential model
 * (scrypt hash from config, lockout and hall-wide rate limit shared with the
 * counters, every failure logged and kept); a login gives a random token,
 * kept here only as its SHA-256 hash, valid for `ttlMs` (in memory: a
 * restarted service asks for the PIN again).
 */
export const MANAGER_ID = 'manager';
const DEFAULT_TTL_MS = 8 * 3_600_000;

export class ManagerSessions {
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  open(): { token: string; expiresAt: string } {
    const nowMs = this.now().getTime();
    for (const [hash, expires] of this.sessions) if (expires <= nowMs) this.sessions.delete(hash);
    const token = newSessionToken();
    const expires = nowMs + this.ttlMs;
    this.sessions.set(hashToken(token), expires);
    return { token, expiresAt: new Date(expires).toISOString() };
  }

  valid(token: string): boolean {
    const expires = this.sessions.get(hashToken(token));
    return expires !== undefined && expires > this.now().getTime();
  }
}
