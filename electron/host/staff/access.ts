import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The staff PIN session that guards the staff screen's controls (sync now,
 * dead letters). One kiosk has one screen, so there is one session, held by
 * the host; it ends on logout or after a few idle minutes. Wrong PINs are
 * counted, and after too many the PIN pad is locked for a while, so a
 * passer-by cannot try every 4-digit PIN.
 */
export interface StaffPolicy {
  /** A staff session ends after this long without a staff call. */
  idleMs: number;
  /** Wrong PINs in a row before the lockout. */
  maxFailures: number;
  lockoutMs: number;
}

export const DEFAULT_STAFF_POLICY: StaffPolicy = { idleMs: 5 * 60_000, maxFailures: 5, lockoutMs: 60_000 };

export type StaffLogin = { ok: true; expiresAt: Date } | { ok: false; reason: 'off' | 'wrong' | 'locked'; retryAt?: Date };

/** Constant-time PIN comparison: both sides are hashed first, so neither content nor length leaks through timing. */
export function pinMatches(expected: string, given: string): boolean {
  const digest = (pin: string): Buffer => createHash('sha256').update(pin, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

export class StaffAccess {
  private expiresAt: Date | null = null;
  private failures = 0;
  private lockedUntil: Date | null = null;

  constructor(
    private readonly pin: string | undefined,
    private readonly now: () => Date,
    private readonly policy: StaffPolicy = DEFAULT_STAFF_POLICY,
  ) {}

  /** Without a configured PIN, staff features are off. */
  get enabled(): boolean {
    return this.pin !== undefined;
  }

  login(given: string): StaffLogin {
    if (this.pin === undefined) return { ok: false, reason: 'off' };
    const now = this.now();
    if (this.lockedUntil !== null && now < this.lockedUntil) return { ok: false, reason: 'locked', retryAt: this.lockedUntil };
    if (!pinMatches(this.pin, given)) {
      this.failures += 1;
      this.expiresAt = null;
      if (this.failures >= this.policy.maxFailures) {
        this.failures = 0;
        this.lockedUntil = new Date(now.getTime() + this.policy.lockoutMs);
        return { ok: false, reason: 'locked', retryAt: this.lockedUntil };
      }
      return { ok: false, reason: 'wrong' };
    }
    this.failures = 0;
    this.lockedUntil = null;
    return { ok: true, expiresAt: this.extend(now) };
  }

  /** True while a staff session is open; each successful check keeps it alive. */
  check(): boolean {
    const now = this.now();
    if (this.expiresAt === null || now >= this.expiresAt) {
      this.expiresAt = null;
      return false;
    }
    this.extend(now);
    return true;
  }

  logout(): void {
    this.expiresAt = null;
  }

  private extend(now: Date): Date {
    this.expiresAt = new Date(now.getTime() + this.policy.idleMs);
    return this.expiresAt;
  }
}
