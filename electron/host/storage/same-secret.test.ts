import { describe, expect, it } from 'vitest';
import { sameSecret } from './crypto.js';

describe('sameSecret', () => {
  it('compares strings and buffers of any length without throwing, equal only when equal', () => {
    expect(sameSecret('admin-token-0123', 'admin-token-0123')).toBe(true);
    expect(sameSecret(Buffer.from('admin-token-0123'), Buffer.from('admin-token-0123'))).toBe(true);
    expect(sameSecret('admin-token-0123', Buffer.from('admin-token-0123'))).toBe(true);
    // A shorter or longer guess is simply unequal: node's timingSafeEqual alone throws on unequal lengths, so callers used to
    // return early on a length mismatch, which told an attacker the token's length.
    for (const guess of ['', 'a', 'admin-token-012', 'admin-token-01234', 'x'.repeat(10_000)]) expect(sameSecret(guess, 'admin-token-0123')).toBe(false);
    expect(sameSecret(undefined, 'admin-token-0123')).toBe(false);
  });
});
