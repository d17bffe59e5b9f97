import type { AttemptLimiter } from '../../common/attempt-limit.js';
import { StaffCredentials, type CredentialFailure } from './credentials.js';

/**
 * The staff PIN session that guards the staff screen's controls (sync now,
 * dead letters). One kiosk has one screen, so there is one session, held by
 * the host; it ends on logout or after a few idle minutes. Wrong PINs are
 * counted, and after too many the PIN pad is locked for a while, so a
 * passer-by cannot try every 4-digit PIN. The PIN is checked by the one
 * staff-credential model (`credentials.ts`, shared with the hall service's
 * counters): config holds only its scrypt hash (`staffPinHash`), and every
 * refusal is kept (`failures()`) and handed to `onFailure` for the log.
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

/** The kiosk's one staff identity in the credential model. */
const KIOSK_STAFF = 'kiosk-staff';

export class StaffAccess {
  private expiresAt: Date | null = null;
  private readonly credentials: StaffCredentials | null;

  constructor(
    pinHash: string | undefined,
    private readonly now: () => Date,
    private readonly policy: StaffPolicy = DEFAULT_STAFF_POLICY,
    onFailure: (failure: CredentialFailure) => void = () => undefined,
  ) {
    this.credentials =
      pinHash === undefined
        ? null
        : new StaffCredentials([{ staffId: KIOSK_STAFF, pinHash }], now, { maxFailuresPerStaff: policy.maxFailures, staffLockMs: policy.lockoutMs }, onFailure);
  }

  /** The failed-PIN counts, for keeping them across restarts; none when staff features are off. */
  get attempts(): AttemptLimiter | undefined {
    return this.credentials?.attempts;
  }

  /** Without a configured PIN hash, staff features are off. */
  get enabled(): boolean {
    return this.credentials !== null;
  }

  login(given: string): StaffLogin {
    if (this.credentials === null) return { ok: false, reason: 'off' };
    const check = this.credentials.verify(KIOSK_STAFF, given, 'kiosk staff screen');
    if (!check.ok) {
      this.expiresAt = null;
      if (check.reason === 'wrong') return { ok: false, reason: 'wrong' };
      return check.retryAt === undefined ? { ok: false, reason: 'locked' } : { ok: false, reason: 'locked', retryAt: check.retryAt };
    }
    return { ok: true, expiresAt: this.extend(this.now()) };
  }

  /** Refused PINs, newest first (no PIN in them), for staff and the log. */
  failures(): CredentialFailure[] {
    return this.credentials?.failures() ?? [];
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
