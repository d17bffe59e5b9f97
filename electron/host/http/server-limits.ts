import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The limits every Liuliu HTTP server applies to its clients (the hall
 * service, the reference platform, the kiosk's browser-shell server), set in
 * one place:
 * - slow clients (slowloris): the request head must be complete within
 *   `headersMs` and the whole request within `requestMs`, checked every
 *   `checkIntervalMs` (Node's own defaults are 60 s / 300 s checked every
 *   30 s: a few hundred sockets trickling a header byte at a time would hold
 *   a hall server for minutes); the client gets a 408 and a closed socket;
 * - an idle keep-alive socket is closed after `keepAliveMs`;
 * - at most `maxHeadersCount` header lines (Node's 16 KiB head limit stays:
 *   a larger head gets 431).
 * Bodies are limited by each server where it reads them (1 MB hall, the
 * platform's `maxBodyBytes`), WebSocket frames by `maxPayload`.
 */
export interface ServerLimits {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
  checkIntervalMs: number;
  maxHeadersCount: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersMs: 10_000,
  requestMs: 60_000,
  keepAliveMs: 5_000,
  checkIntervalMs: 2_000,
  maxHeadersCount: 100,
};

/** Applies the limits; call before `listen` (the timeout check starts when the server listens). */
export function applyServerLimits(server: Server, limits: Partial<ServerLimits> = {}): ServerLimits {
  const applied = { ...DEFAULT_SERVER_LIMITS, ...limits };
  server.headersTimeout = applied.headersMs;
  server.requestTimeout = Math.max(applied.requestMs, applied.headersMs);
  server.keepAliveTimeout = applied.keepAliveMs;
  server.maxHeadersCount = applied.maxHeadersCount;
  // Read by Node when the server starts listening (setupConnectionsTracking).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = applied.checkIntervalMs;
  return applied;
}

/**
 * Headers of every HTML page a Liuliu server hands a browser (the counter,
 * display and statistics pages, the ticket page, the platform's phone,
 * review and fleet pages): no framing by another site (clickjacking a PIN pad
 * or a review button), no MIME sniffing, no referrer carrying a path out.
 * Each page adds its own Content-Security-Policy; `frame-ancestors 'none'`
 * belongs in it too (X-Frame-Options is for older browsers).
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * The `clientError` answer of every server that installs one: a client that
 * timed out gets 408, an oversized head 431, anything else unparseable 400;
 * then the socket closes. Never an exception (a throw here would take the
 * process down).
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  else socket.destroy();
}
