import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { AttemptLimiter } from '../../common/attempt-limit.js';

/**
 * The one staff-credential model, used by the kiosk's own staff PIN
 * (`access.ts`) and by the hall service's counters and staff-confirmed
 * priority (`hall/service.ts`):
 * - PINs are stored only as `scrypt$<salt b64>$<hash b64>` (no plaintext PIN
 *   in any config) and compared in constant time;
 * - wrong PINs are counted **per staff identity** (the claimed staff id, known
 *   or not), wherever they are typed: after `maxFailuresPerStaff` within
 *   `staffLockMs` the identity is locked for `staffLockMs`, so spreading
 *   guesses over windows gains nothing;
 * - a **hall-wide rate limit**: after `hallFailuresPerWindow` failures within
 *   `hallWindowMs`, every attempt is refused until the oldest of them ages out,
 *   so spreading guesses over staff ids gains nothing either (and a lockout
 *   never lasts longer than that window);
 * - every failure is kept (the last `keptFailures`) for the hall manager and
 *   handed to `onFailure` (the caller logs it).
 * The counting is the one limiter of failed attempts (`electron/common/attempt-limit.ts`).
 * Session tokens are random and stored as SHA-256 hashes.
 */
const KEY_BYTES = 32;
/** Verified when the account is unknown, so timing does not tell which staff ids exist. */
const DUMMY_HASH = `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;

export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  return `scrypt$${salt.toString('base64')}$${scryptSync(pin, salt, KEY_BYTES).toString('base64')}`;
}

/** False for a wrong PIN and for a malformed stored hash (a config error must not open anything). */
export function verifyPin(pin: string, stored: string): boolean {
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || saltB64 === undefined || hashB64 === undefined) return false;
  const expected = Buffer.from(hashB64, 'base64');
  if (expected.length !== KEY_BYTES) return false;
  return timingSafeEqual(scryptSync(pin, Buffer.from(saltB64, 'base64'), KEY_BYTES), expected);
}

/** A session token: 256 random bits, base64url (43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface StaffAccount {
  staffId: string;
  pinHash: string;
}

export interface CredentialPolicy {
  maxFailuresPerStaff: number;
  staffLockMs: number;
  hallFailuresPerWindow: number;
  hallWindowMs: number;
  keptFailures: number;
}

export const DEFAULT_CREDENTIAL_POLICY: CredentialPolicy = {
  maxFailuresPerStaff: 5,
  staffLockMs: 15 * 60_000,
  hallFailuresPerWindow: 20,
  hallWindowMs: 10 * 60_000,
  keptFailures: 200,
};

export type CredentialRefusal = 'wrong' | 'locked' | 'rate-limited';
export type CredentialCheck = { ok: true } | { ok: false; reason: CredentialRefusal; retryAt?: Date };

/** One refused attempt, as the hall manager sees it (no PIN, of course). */
export interface CredentialFailure {
  at: string;
  /** The staff id typed (it may not exist). */
  staffId: string;
  /** Where: `window 3`, `kiosk staff screen`, `priority at kiosk k1`… */
  where: string;
  reason: CredentialRefusal;
}

export class StaffCredentials {
  /** The failed-PIN counts: the owner keeps them across restarts (`LockoutStore.keep`). */
  readonly attempts: AttemptLimiter;
  private readonly kept: CredentialFailure[] = [];
  private readonly policy: CredentialPolicy;

  constructor(
    private readonly accounts: readonly StaffAccount[],
    private readonly now: () => Date,
    policy: Partial<CredentialPolicy> = {},
    private readonly onFailure: (failure: CredentialFailure) => void = () => undefined,
  ) {
    this.policy = { ...DEFAULT_CREDENTIAL_POLICY, ...policy };
    this.attempts = new AttemptLimiter({
      perKey: { max: this.policy.maxFailuresPerStaff, windowMs: this.policy.staffLockMs, lockMs: this.policy.staffLockMs },
      overall: { max: this.policy.hallFailuresPerWindow, windowMs: this.policy.hallWindowMs },
    });
  }

  get configured(): boolean {
    return this.accounts.length > 0;
  }

  /**
   * Checks a staff id and PIN. `allowed` narrows which accounts count here
   * (e.g. the windows a staff member may log in at): a refused account counts
   * as a wrong PIN.
   */
  verify(staffId: string, pin: string, where: string, allowed: (account: StaffAccount) => boolean = () => true): CredentialCheck {
    const nowMs = this.now().getTime();
    const before = this.attempts.check(staffId, nowMs);
    if (!before.allowed) return this.refuse(staffId, where, before.scope === 'overall' ? 'rate-limited' : 'locked', new Date(before.retryAt));
    const account = this.accounts.find((a) => a.staffId === staffId);
    const pinOk = verifyPin(pin, account?.pinHash ?? DUMMY_HASH);
    if (account !== undefined && pinOk && allowed(account)) {
      this.attempts.forget(staffId);
      return { ok: true };
    }
    const after = this.attempts.fail(staffId, nowMs);
    return !after.allowed && after.scope === 'key' ? this.refuse(staffId, where, 'locked', new Date(after.retryAt)) : this.refuse(staffId, where, 'wrong');
  }

  /** The latest refused attempts, newest first, for the hall manager. */
  failures(): CredentialFailure[] {
    return [...this.kept].reverse();
  }

  private refuse(staffId: string, where: string, reason: CredentialRefusal, retryAt?: Date): CredentialCheck {
    const failure: CredentialFailure = { at: this.now().toISOString(), staffId: staffId.slice(0, 100), where, reason };
    this.kept.push(failure);
    if (this.kept.length > this.policy.keptFailures) this.kept.shift();
    this.onFailure(failure);
    return retryAt === undefined ? { ok: false, reason } : { ok: false, reason, retryAt };
  }
}
