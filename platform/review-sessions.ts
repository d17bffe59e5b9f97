import { createHash, randomBytes } from 'node:crypto';

/**
 * The reviewer's browser sessions on the reference platform (pure apart from
 * the random source; the clock is passed in). A login with the admin token
 * opens a session and the cookie carries only its random id — never the
 * token, so a cookie that leaks (a shared PC, a proxy log, a browser
 * profile) opens the pages for at most `maxAgeMs` and is gone at logout,
 * while the token itself keeps its worth.
 *
 * Ids are kept as SHA-256 hashes, so a memory dump of the table opens
 * nothing; a session ends after `idleMs` without a request or `maxAgeMs`
 * after login, whichever comes first; at most `maxSessions` live at once
 * (the oldest is dropped), so logins cannot grow memory without limit.
 * Sessions live in memory: a platform restart logs every reviewer out, which
 * is the safe direction.
 */
export interface ReviewSessionPolicy {
  idleMs: number;
  maxAgeMs: number;
  maxSessions: number;
}

export const DEFAULT_REVIEW_SESSION_POLICY: ReviewSessionPolicy = {
  idleMs: 30 * 60_000,
  maxAgeMs: 12 * 60 * 60_000,
  maxSessions: 64,
};

interface Session {
  openedAt: number;
  lastSeenAt: number;
}

const hashOf = (id: string): string => createHash('sha256').update(id).digest('hex');

export class ReviewSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly policy: ReviewSessionPolicy = DEFAULT_REVIEW_SESSION_POLICY,
    private readonly random: (bytes: number) => Buffer = randomBytes,
  ) {}

  /** Opens a session; answers the id for the cookie (256 random bits, base64url). */
  open(nowMs: number): string {
    this.sweep(nowMs);
    while (this.sessions.size >= this.policy.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const id = this.random(32).toString('base64url');
    this.sessions.set(hashOf(id), { openedAt: nowMs, lastSeenAt: nowMs });
    return id;
  }

  /** Is `id` a live session? A live one is kept alive (its idle clock restarts). */
  touch(id: string, nowMs: number): boolean {
    if (id.length === 0 || id.length > 128) return false;
    const key = hashOf(id);
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
    this.sessions.delete(hashOf(id));
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
