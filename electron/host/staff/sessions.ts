import { hashToken, newSessionToken } from './credentials.js';

/**
 * The one login-session store of the credential model (pure apart from the
 * random source; the clock is passed in): the reference platform's reviewer
 * (a login with the admin token) and the hall manager (a login with the
 * manager PIN) get a random token, and the cookie or page carries only that —
 * never the secret behind it, so a token that leaks opens the pages for at
 * most `maxAgeMs` and is gone at logout.
 *
 * Tokens are kept as SHA-256 hashes (`hashToken`), so a memory dump of the
 * table opens nothing; a session ends after `idleMs` without a request or
 * `maxAgeMs` after login, whichever comes first; at most `maxSessions` live
 * at once (the oldest is dropped), so logins cannot grow memory without
 * limit. Sessions live in memory: a restart logs everyone out, which is the
 * safe direction.
 */
export interface SessionPolicy {
  idleMs: number;
  maxAgeMs: number;
  maxSessions: number;
}

interface Session {
  openedAt: number;
  lastSeenAt: number;
}

export class TokenSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(readonly policy: SessionPolicy) {}

  /** Opens a session; answers its token (`newSessionToken`: 256 random bits, base64url). */
  open(nowMs: number): string {
    this.sweep(nowMs);
    while (this.sessions.size >= this.policy.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const id = newSessionToken();
    this.sessions.set(hashToken(id), { openedAt: nowMs, lastSeenAt: nowMs });
    return id;
  }

  /** Is `id` a live session? A live one is kept alive (its idle clock restarts). */
  touch(id: string, nowMs: number): boolean {
    if (id.length === 0 || id.length > 128) return false;
    const key = hashToken(id);
    const session = this.sessions.get(key);
    if (session === undefined) return false;
    if (this.expired(session, nowMs)) {
      this.sessions.delete(key);
      return false;
    }
    session.lastSeenAt = nowMs;
    return true;
  }

  close(id: string): void {
    this.sessions.delete(hashToken(id));
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session, nowMs: number): boolean {
    return nowMs - session.lastSeenAt >= this.policy.idleMs || nowMs - session.openedAt >= this.policy.maxAgeMs;
  }

  private sweep(nowMs: number): void {
    for (const [key, session] of this.sessions) if (this.expired(session, nowMs)) this.sessions.delete(key);
  }
}
