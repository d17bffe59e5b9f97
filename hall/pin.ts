import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Counter staff PINs: stored only as `scrypt$<salt b64>$<hash b64>`, compared
 * in constant time. Session tokens are random and stored as SHA-256 hashes.
 */
const KEY_BYTES = 32;

export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  return `scrypt$${salt.toString('base64')}$${scryptSync(pin, salt, KEY_BYTES).toString('base64')}`;
}

/** False for a wrong PIN and for a malformed stored hash (a config error must not open the counter). */
export function verifyPin(pin: string, stored: string): boolean {
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || saltB64 === undefined || hashB64 === undefined) return false;
  const expected = Buffer.from(hashB64, 'base64');
  if (expected.length !== KEY_BYTES) return false;
  return timingSafeEqual(scryptSync(pin, Buffer.from(saltB64, 'base64'), KEY_BYTES), expected);
}

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
