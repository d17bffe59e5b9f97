import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * How a kiosk, a staff tool or a counter/display page proves who it is to the
 * hall service without any secret crossing the wire: on every new WebSocket
 * the service sends a fresh random `challenge`; the client answers `hello`
 * with a proof ({@link helloProof}, declared in the protocol so the pages
 * compute it too) keyed by the kiosk's own key (`kiosks.json`, one per kiosk,
 * revocable one by one), the hall secret (staff tools, halls that have not
 * registered kiosks yet) or the page's key. A captured proof is worthless on
 * another connection (another nonce), and the key never leaves either end.
 */
export { helloProof } from './protocol/hello-proof.js';

export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

export { sameSecret } from '../electron/host/storage/crypto.js';

const KioskEntry = z.object({ kioskId: z.string().min(1).max(100), key: z.string().min(16).max(200), revoked: z.boolean().default(false), addedAt: z.string() });
const KioskFile = z.array(KioskEntry);
export type KioskEntry = z.infer<typeof KioskEntry>;

/**
 * The hall's kiosk credentials, kept 0600 in `<dataDir>/kiosks.json`. Re-read
 * when the file changes (checked at most every `recheckMs`), so `kiosk-add`
 * and `kiosk-revoke` from the command line take effect on a running service:
 * a revoked kiosk's next hello is refused and its open sockets are closed.
 */
export class KioskRegistry {
  private entries: KioskEntry[] = [];
  private loadedMtime = -1;
  private checkedAt = 0;

  constructor(
    readonly file: string,
    private readonly recheckMs = 1000,
  ) {
    this.reload();
  }

  /** True when at least one kiosk is registered: then kiosks must use their own key, never the hall secret. */
  get enforced(): boolean {
    this.refresh();
    return this.entries.length > 0;
  }

  /** The key of an active (registered, not revoked) kiosk. */
  keyOf(kioskId: string): string | undefined {
    this.refresh();
    const entry = this.entries.find((e) => e.kioskId === kioskId);
    return entry === undefined || entry.revoked ? undefined : entry.key;
  }

  isRevoked(kioskId: string): boolean {
    this.refresh();
    return this.entries.some((e) => e.kioskId === kioskId && e.revoked);
  }

  /** Registers a kiosk (or gives a revoked one a new key) and returns its key. */
  add(kioskId: string, now = new Date()): string {
    this.reload();
    const key = randomBytes(32).toString('base64url');
    this.entries = [...this.entries.filter((e) => e.kioskId !== kioskId), { kioskId, key, revoked: false, addedAt: now.toISOString() }];
    this.save();
    return key;
  }

  revoke(kioskId: string): boolean {
    this.reload();
    const entry = this.entries.find((e) => e.kioskId === kioskId);
    if (entry === undefined) return false;
    entry.revoked = true;
    this.save();
    return true;
  }

  list(): Array<Omit<KioskEntry, 'key'>> {
    this.refresh();
    return this.entries.map(({ key: _key, ...rest }) => rest);
  }

  /** The last reload error (a hand-edited file that does not parse), for the log. */
  problem: string | null = null;

  private refresh(): void {
    const now = Date.now();
    if (now - this.checkedAt < this.recheckMs) return;
    this.checkedAt = now;
    const mtime = existsSync(this.file) ? statSync(this.file).mtimeMs : 0;
    if (mtime === this.loadedMtime) return;
    try {
      this.reload();
      this.problem = null;
    } catch (err) {
      // Keep the last good list: a broken file must neither open the hall to the shared secret nor lock every kiosk out.
      this.loadedMtime = mtime;
      this.problem = err instanceof Error ? err.message : String(err);
    }
  }

  private reload(): void {
    this.checkedAt = Date.now();
    if (!existsSync(this.file)) {
      this.entries = [];
      this.loadedMtime = 0;
      return;
    }
    this.loadedMtime = statSync(this.file).mtimeMs;
    const parsed = KioskFile.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) throw new Error(`${this.file} is invalid: ${parsed.error.message}`);
    this.entries = parsed.data;
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.entries, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
    this.loadedMtime = statSync(this.file).mtimeMs;
  }
}
