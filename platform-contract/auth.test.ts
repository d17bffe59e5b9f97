import { describe, expect, it } from 'vitest';
import { ReplayCache, signRequest, verifyRequest, type TerminalCredentials } from './auth.js';

const terminals = new Map<string, TerminalCredentials>([
  ['kiosk-01', { secret: 'kiosk-01-secret-0123456789', revoked: false }],
  ['kiosk-02', { secret: 'kiosk-02-secret-0123456789', revoked: true }],
]);
const nowMs = Date.parse('2026-03-02T08:00:00Z');
const body = Buffer.from('{"records":[]}');

function signed(overrides: { terminal?: string; secret?: string; timestampMs?: number; path?: string; nonce?: string } = {}) {
  const headers = signRequest(overrides.terminal ?? 'kiosk-01', overrides.secret ?? 'kiosk-01-secret-0123456789', {
    method: 'POST',
    pathAndQuery: '/v1/records:batch',
    body,
    timestamp: Math.floor((overrides.timestampMs ?? nowMs) / 1000),
    ...(overrides.nonce === undefined ? {} : { nonce: overrides.nonce }),
  });
  return { method: 'POST', pathAndQuery: overrides.path ?? '/v1/records:batch', headers, body };
}

function deps(replay = new ReplayCache(600_000)) {
  return { lookup: (id: string) => terminals.get(id), replay, nowMs, windowSeconds: 300 };
}

describe('HMAC request auth', () => {
  it('accepts a correctly signed request', () => {
    expect(verifyRequest(signed(), deps())).toEqual({ ok: true, terminalId: 'kiosk-01' });
  });

  it('refuses the same request replayed inside the window', () => {
    const replay = new ReplayCache(600_000);
    const request = signed();
    expect(verifyRequest(request, deps(replay)).ok).toBe(true);
    expect(verifyRequest(request, deps(replay))).toMatchObject({ ok: false, status: 401, code: 'replayed' });
  });

  it('refuses timestamps outside ±300 s and accepts them just inside', () => {
    expect(verifyRequest(signed({ timestampMs: nowMs - 301_000 }), deps())).toMatchObject({ ok: false, code: 'timestamp_out_of_window' });
    expect(verifyRequest(signed({ timestampMs: nowMs + 301_000 }), deps())).toMatchObject({ ok: false, code: 'timestamp_out_of_window' });
    expect(verifyRequest(signed({ timestampMs: nowMs + 299_000 }), deps()).ok).toBe(true);
    expect(verifyRequest(signed({ timestampMs: nowMs - 3 * 3600_000 }), deps())).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses unknown terminals (401) and revoked ones (403)', () => {
    expect(verifyRequest(signed({ terminal: 'kiosk-99' }), deps())).toMatchObject({ ok: false, status: 401, code: 'unknown_terminal' });
    expect(verifyRequest(signed({ terminal: 'kiosk-02', secret: 'kiosk-02-secret-0123456789' }), deps())).toMatchObject({ ok: false, status: 403, code: 'revoked_terminal' });
  });

  it('refuses a wrong secret, a changed path, a changed body and missing headers', () => {
    expect(verifyRequest(signed({ secret: 'not-the-secret-0123456789' }), deps())).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyRequest(signed({ path: '/v1/heartbeat' }), deps())).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyRequest({ ...signed(), body: Buffer.from('{"records":[1]}') }, deps())).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyRequest({ ...signed(), headers: {} }, deps())).toMatchObject({ ok: false, code: 'missing_auth' });
  });

  it('does not let a badly signed request spend a nonce', () => {
    const replay = new ReplayCache(600_000);
    const nonce = 'ab'.repeat(16);
    expect(verifyRequest(signed({ nonce, secret: 'wrong-secret-0123456789' }), deps(replay)).ok).toBe(false);
    expect(verifyRequest(signed({ nonce }), deps(replay)).ok).toBe(true);
  });

  it('forgets nonces after their time to live and stays bounded', () => {
    const cache = new ReplayCache(1000, 3);
    expect(cache.check('t', 'a', 0)).toBe('fresh');
    expect(cache.check('t', 'a', 500)).toBe('replayed');
    expect(cache.check('t', 'a', 1500)).toBe('fresh');
    for (const key of ['b', 'c', 'd', 'e']) cache.check('t', key, 1600);
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});

describe('replay protection under load (issue #13 finding 9)', () => {
  it('never forgets a live nonce, however many other requests arrive: a flooding terminal is refused instead', () => {
    const replay = new ReplayCache(600_000, 1000);
    const flooder = { secret: 'kiosk-03-secret-0123456789', revoked: false };
    const lookup = (id: string) => (id === 'kiosk-03' ? flooder : terminals.get(id));
    const verify = (request: ReturnType<typeof signed>) => verifyRequest(request, { ...deps(replay), lookup });
    const first = signed();
    expect(verify(first).ok).toBe(true);
    const refused: string[] = [];
    for (let i = 0; i < 1500; i += 1) {
      const verdict = verify(signed({ terminal: 'kiosk-03', secret: flooder.secret }));
      if (!verdict.ok) refused.push(verdict.code);
    }
    expect(verify(first)).toMatchObject({ ok: false, code: 'replayed' });
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(['too_many_requests']));
    expect(verify(signed()).ok).toBe(true);
  });
});
