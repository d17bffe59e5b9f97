import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Constant-time comparison of a presented secret with the expected one (tokens,
 * PINs' digits, proofs): both sides are hashed first, so neither the content
 * nor the length leaks through timing. The one way every server compares secrets.
 */
export function sameSecret(given: string | Buffer | undefined, expected: string | Buffer): boolean {
  if (given === undefined) return false;
  const digest = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Encryption at rest for personal data that must wait on the terminal until it
 * is synced (PIPL). AES-256-GCM; a sealed value is
 * `version(1) | iv(12) | tag(16) | ciphertext`, so a tampered or foreign blob
 * fails to open instead of yielding garbage.
 */
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DataKey {
  private constructor(private readonly key: Buffer) {}

  static fromBytes(key: Buffer): DataKey {
    if (key.length !== 32) throw new Error(`data key must be 32 bytes, got ${key.length}`);
    return new DataKey(Buffer.from(key));
  }

  /**
   * Loads the terminal's key file, creating it (mode 0600) on first start. In
   * a hall the key file lives on the kiosk's own disk, readable only by the
   * kiosk user; the Electron shell may wrap it with the OS keystore.
   */
  static loadOrCreate(file: string): DataKey {
    if (existsSync(file)) {
      const raw = readFileSync(file);
      return DataKey.fromBytes(raw.length === 32 ? raw : Buffer.from(raw.toString('utf8').trim(), 'base64'));
    }
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    writeFileSync(file, key.toString('base64'), { mode: 0o600 });
    chmodSync(file, 0o600);
    return new DataKey(key);
  }

  seal(plain: string | Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): Buffer {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) throw new Error('sealed value has an unknown format');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  sealJson(value: unknown): Buffer {
    return this.seal(JSON.stringify(value));
  }

  openJson(sealed: Buffer): unknown {
    return JSON.parse(this.open(sealed).toString('utf8')) as unknown;
  }
}
