import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AUTH_HEADERS, type ErrorCode } from './contract.js';

/**
 * Request signing between a terminal and the platform. Each terminal has its
 * own id and secret; every request carries
 *   X-Liuliu-Terminal:  terminal id
 *   X-Liuliu-Timestamp: unix seconds
 *   X-Liuliu-Nonce:     32 hex chars, fresh per request
 *   X-Liuliu-Signature: hex HMAC-SHA256(secret, canonical string)
 * where the canonical string is METHOD \n path+query \n timestamp \n nonce \n
 * hex sha256(body). The platform refuses timestamps outside ±window and any
 * nonce it has already seen inside the window, so a captured request cannot
 * be replayed; the body hash binds the signature to the exact bytes sent.
 */
export const DEFAULT_WINDOW_SECONDS = 300;

export interface SignInput {
  method: string;
  /** Path and query exactly as sent, e.g. `/v1/cases/status-changes?cursor=12`. */
  pathAndQuery: string;
  body: Buffer;
  /** Unix seconds of the signer's (offset-corrected) clock. */
  timestamp: number;
  nonce: string;
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function canonicalString(input: SignInput): string {
  return [input.method.toUpperCase(), input.pathAndQuery, String(input.timestamp), input.nonce, sha256Hex(input.body)].join('\n');
}

export function signature(secret: string, input: SignInput): string {
  return createHmac('sha256', secret).update(canonicalString(input)).digest('hex');
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The auth headers for one request. */
export function signRequest(terminalId: string, secret: string, input: Omit<SignInput, 'nonce'> & { nonce?: string }): Record<string, string> {
  const signed: SignInput = { ...input, nonce: input.nonce ?? newNonce() };
  return {
    [AUTH_HEADERS.terminal]: terminalId,
    [AUTH_HEADERS.timestamp]: String(signed.timestamp),
    [AUTH_HEADERS.nonce]: signed.nonce,
    [AUTH_HEADERS.signature]: signature(secret, signed),
  };
}

export interface TerminalCredentials {
  secret: string;
  revoked: boolean;
}

/**
 * Nonces seen inside the replay window. Entries expire after twice the
 * window (a nonce older than that fails the timestamp check anyway). The cap
 * bounds memory under a flood; it is sized far above what a hall's terminals
 * send in ten minutes (50 terminals × 1 request/s × 600 s = 30,000).
 */
/**
 * Nonces seen inside the signature window, per terminal. A live nonce is never
 * evicted to make room: evicting by count let 200,001 requests from one
 * terminal flush another's nonces and reopen a replay. Instead a terminal that
 * spends more than `maxPerTerminal` nonces inside one window is told to slow
 * down ('busy'); no kiosk comes near it (a batch every few seconds).
 */
export class ReplayCache {
  private readonly byTerminal = new Map<string, Map<string, number>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxPerTerminal = 50_000,
  ) {}

  /** Records the nonce unless it is a replay or the terminal's window is full. */
  check(terminalId: string, nonce: string, nowMs: number): 'fresh' | 'replayed' | 'busy' {
    let seen = this.byTerminal.get(terminalId);
    if (seen === undefined) {
      seen = new Map();
      this.byTerminal.set(terminalId, seen);
    }
    const expires = seen.get(nonce);
    if (expires !== undefined && expires > nowMs) return 'replayed';
    // Insertion order is expiry order (one TTL for all), so stop at the first live entry.
    for (const [key, until] of seen) {
      if (until > nowMs) break;
      seen.delete(key);
    }
    if (seen.size >= this.maxPerTerminal) return 'busy';
    seen.set(nonce, nowMs + this.ttlMs);
    return 'fresh';
  }

  /** Live nonces over all terminals. */
  get size(): number {
    let total = 0;
    for (const seen of this.byTerminal.values()) total += seen.size;
    return total;
  }
}

export type VerifyResult = { ok: true; terminalId: string } | { ok: false; status: 401 | 403 | 429; code: ErrorCode; message: string };

export interface VerifyDeps {
  lookup: (terminalId: string) => TerminalCredentials | undefined;
  replay: ReplayCache;
  nowMs: number;
  windowSeconds: number;
}

export interface VerifyInput {
  method: string;
  pathAndQuery: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

function header(headers: VerifyInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Checks one request's signature, window and nonce; pure apart from recording the nonce. */
export function verifyRequest(input: VerifyInput, deps: VerifyDeps): VerifyResult {
  const terminalId = header(input.headers, AUTH_HEADERS.terminal);
  const timestampText = header(input.headers, AUTH_HEADERS.timestamp);
  const nonce = header(input.headers, AUTH_HEADERS.nonce);
  const given = header(input.headers, AUTH_HEADERS.signature);
  if (terminalId === undefined || timestampText === undefined || nonce === undefined || given === undefined) {
    return { ok: false, status: 401, code: 'missing_auth', message: 'the X-Liuliu-Terminal, -Timestamp, -Nonce and -Signature headers are required' };
  }
  const terminal = deps.lookup(terminalId);
  if (terminal === undefined) return { ok: false, status: 401, code: 'unknown_terminal', message: 'unknown terminal' };
  if (terminal.revoked) return { ok: false, status: 403, code: 'revoked_terminal', message: 'this terminal has been revoked' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, status: 401, code: 'timestamp_out_of_window', message: 'the timestamp must be unix seconds' };
  const timestamp = Number(timestampText);
  if (Math.abs(timestamp * 1000 - deps.nowMs) > deps.windowSeconds * 1000) {
    return { ok: false, status: 401, code: 'timestamp_out_of_window', message: `the timestamp is more than ${deps.windowSeconds} s from the platform clock (see the Date header)` };
  }
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) return { ok: false, status: 401, code: 'bad_signature', message: 'the nonce must be 16–64 hex characters' };
  const expected = Buffer.from(signature(terminal.secret, { method: input.method, pathAndQuery: input.pathAndQuery, body: input.body, timestamp, nonce }), 'hex');
  const actual = Buffer.from(/^[0-9a-f]{64}$/.test(given) ? given : '', 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, status: 401, code: 'bad_signature', message: 'the signature does not match' };
  // Only a correctly signed request may spend a nonce, so strangers cannot fill the cache.
  const seen = deps.replay.check(terminalId, nonce, deps.nowMs);
  if (seen === 'replayed') return { ok: false, status: 401, code: 'replayed', message: 'this nonce was already used' };
  if (seen === 'busy') return { ok: false, status: 429, code: 'too_many_requests', message: 'too many requests from this terminal inside the signature window; retry later' };
  return { ok: true, terminalId };
}
