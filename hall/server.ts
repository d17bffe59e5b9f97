import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseRequestTarget } from '../electron/host/http/request-target.js';
import { serveStaticFile } from '../electron/host/http/static-files.js';
import { applyServerLimits, PAGE_SECURITY_HEADERS, type ServerLimits } from '../electron/host/http/server-limits.js';
import { AttemptLimiter, type AttemptLimitPolicy } from '../electron/common/attempt-limit.js';
import type { z } from 'zod';
import type { Logger } from '../electron/host/logging/logger.js';
import { CLOSE_PROTOCOL, CLOSE_UNAUTHORIZED, ClientMessage, COUNTER_METHODS, Methods, MethodName, type PageRole, type ServerMessage } from './protocol/messages.js';
import type { HallQueueService } from './service.js';
import { helloProof, newNonce, sameSecret, type KioskRegistry } from './handshake.js';
import { ticketPageHtml } from './ticket-page.js';
import { fail, ok, type Result } from './protocol/types.js';
import { callAudio } from '../electron/host/speech/call-audio.js';

/**
 * The standalone hall service over the network: JSON RPC over a WebSocket
 * (`/ws`) and plain HTTP (`POST /api/<method>`), both checked against the
 * shared secret and every message validated with zod; ticket events are pushed
 * to WebSocket clients; any other GET is served from an optional static
 * directory (the counter and display pages). README "API".
 */
export interface HallServerOptions {
  service: HallQueueService;
  /** The hall secret: the manager's HTTP API, staff tools' handshake key, page keys are derived from it; kiosks' key until kiosks are registered. */
  secret: string;
  /** Per-kiosk keys (`<dataDir>/kiosks.json`); once any kiosk is registered, kiosks must prove their own key. */
  kiosks?: KioskRegistry;
  /** Serve HTTPS + wss:// with the hall's certificate (PEM). */
  tls?: { cert: string; key: string };
  port: number;
  /** Interface to listen on; 127.0.0.1 for tests, 0.0.0.0 for a hall LAN. */
  host?: string;
  staticDir?: string;
  logger: Logger;
  /** A WebSocket must say hello within this time (ms). */
  helloTimeoutMs?: number;
  /** Slow-client limits of the HTTP server (default `DEFAULT_SERVER_LIMITS`). */
  limits?: Partial<ServerLimits>;
  /** WebSockets open at once from one address (default 64: a hall's kiosks, counters and boards each have their own; embedded mode's loopback clients are few). */
  maxSocketsPerPeer?: number;
  /** Calls one socket may have unanswered at once (default 64); more are refused, not queued. */
  maxCallsInFlight?: number;
  /** Bytes waiting to be sent on one socket before it counts as not reading and is cut off (default 4 MB). */
  maxBufferedBytes?: number;
  /**
   * Failed authentications (a wrong hall secret on `/api`, a refused WebSocket hello) per peer address
   * before that address cools off (default `DEFAULT_AUTH_FAILURE_LIMIT`). Loopback peers are not limited
   * unless `includeLoopback` (they are on the machine that holds the secret file; tests set it).
   */
  authFailures?: { policy?: AttemptLimitPolicy; includeLoopback?: boolean };
}

/** 20 failed authentications from one address within 10 minutes → that address is refused unevaluated for 15 minutes. */
export const DEFAULT_AUTH_FAILURE_LIMIT: AttemptLimitPolicy = { perKey: { max: 20, windowMs: 10 * 60_000, lockMs: 15 * 60_000 } };
const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export interface HallServer {
  port: number;
  /** `ws://host:port/ws` */
  wsUrl: string;
  httpUrl: string;
  /** Authenticated sockets by role, for the hall service's health in its heartbeat. */
  connections(): Record<'kiosk' | 'counter' | 'display', number>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
/** A hello is a few hundred bytes: a socket that has not said hello gets no megabyte frames. */
const MAX_HELLO_BYTES = 4096;
/** WebSocket close code "try again later" (RFC 6455 §7.4.1 registry): too many sockets from one address. */
const CLOSE_TRY_AGAIN_LATER = 1013;
/** The pages served from --static (counter, display, statistics) and the ticket page: only their own scripts, styles inline (the ticket page), WebSocket back to the hall, never framed. */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob: data:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
const PAGE_HEADERS: Record<string, string> = { ...PAGE_SECURITY_HEADERS, 'content-security-policy': PAGE_CSP };
const secretMatches = sameSecret;

/** Who is calling, as established by the connection: priority claims and kiosk ids are checked against it. */
export type Caller = { kind: 'kiosk'; kioskId: string } | { kind: 'page' } | { kind: 'manager' };

/**
 * Page keys: the counter and display pages are public files, so they are given
 * a key for their role instead of the shared secret (in the page URL's
 * fragment, which browsers never send to the server). A page key is
 * HMAC(secret, role): it opens a WebSocket for that role only, and only that
 * role's methods — a display key can read the board but not issue or call; a
 * counter key still needs a staff PIN (`counterLogin`) for every counter
 * operation. Kiosks and HTTP use the shared secret itself.
 */
export function pageKey(secret: string, role: PageRole): string {
  return createHmac('sha256', secret).update(`liuliu-hall-page:${role}`).digest('base64url');
}

export const PAGE_METHODS: Record<PageRole, ReadonlySet<MethodName>> = {
  display: new Set<MethodName>(['snapshot', 'ticket']),
  counter: new Set<MethodName>(['snapshot', 'ticket', 'counterLogin', ...COUNTER_METHODS]),
  stats: new Set<MethodName>(['managerLogin', 'hallStats']),
};

/** Validates a method's params and runs it; counter methods first resolve their session token. */
export async function dispatch(service: HallQueueService, method: MethodName, rawParams: unknown, caller: Caller, logger?: Logger): Promise<Result<unknown>> {
  const params = rawParams ?? {};
  const withParams = async <S extends z.ZodType>(schema: S, run: (value: z.output<S>) => Promise<Result<unknown>>): Promise<Result<unknown>> => {
    const parsed = schema.safeParse(params);
    if (!parsed.success) return fail('bad-request', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    return run(parsed.data);
  };
  /** A counter method: its token names the window and staff logged in there. */
  const atCounter = <S extends z.ZodType<{ token: string }>>(schema: S, run: (session: { windowNo: string; staffId: string }, value: z.output<S>) => Promise<Result<unknown>>) =>
    withParams(schema, async (value) => {
      const session = await service.sessionByToken(value.token);
      if (session === null) return fail('not-logged-in', '窗口未登录或登录已过期，请重新登录');
      return run(session, value);
    });
  switch (method) {
    case 'issue':
      return withParams(Methods.issue, (v) => {
        // Priority is decided where it is checked: the card's birth date only from a kiosk's authenticated connection, for itself.
        const refusal =
          caller.kind === 'kiosk'
            ? v.kioskId !== caller.kioskId
              ? `this connection is kiosk ${caller.kioskId}, not ${v.kioskId}`
              : null
            : v.birthDate !== undefined || v.priority !== undefined
              ? 'priority claims come only from a kiosk connection'
              : null;
        if (refusal === null) return service.issue(v);
        logger?.warn({ caller: caller.kind, kioskId: v.kioskId, priority: v.priority ?? null, elderlyClaim: v.birthDate !== undefined }, `queue server: issue refused: ${refusal}`);
        return Promise.resolve(fail('unauthorized', refusal));
      });
    case 'checkIn':
      // An appointment-priority ticket: only for a kiosk connection, in its own name (a page key or the manager API cannot check anyone in).
      return withParams(Methods.checkIn, (v) => {
        const refusal = caller.kind !== 'kiosk' ? 'appointment check-in comes only from a kiosk connection' : v.kioskId !== caller.kioskId ? `this connection is kiosk ${caller.kioskId}` : null;
        if (refusal === null) return service.checkIn(v);
        logger?.warn({ caller: caller.kind, kioskId: v.kioskId }, `queue server: check-in refused: ${refusal}`);
        return Promise.resolve(fail('unauthorized', refusal));
      });
    case 'ticket':
      return withParams(Methods.ticket, (v) => service.ticket(v));
    case 'snapshot':
      return withParams(Methods.snapshot, () => service.snapshot());
    case 'counterLogin':
      return withParams(Methods.counterLogin, (v) => service.counterLogin(v));
    case 'counterLogout':
      return atCounter(Methods.counterLogout, (at) => service.counterLogout(at));
    case 'callNext':
      return atCounter(Methods.callNext, (at) => service.callNext(at));
    case 'recall':
      return atCounter(Methods.recall, (at) => service.recall(at));
    case 'skip':
      return atCounter(Methods.skip, (at) => service.skip(at));
    case 'finish':
      return atCounter(Methods.finish, (at) => service.finish(at));
    case 'requeue':
      return atCounter(Methods.requeue, (at, v) => service.requeue({ ...at, displayNo: v.displayNo }));
    case 'transfer':
      return atCounter(Methods.transfer, (at, v) => service.transfer({ ...at, toCategoryId: v.toCategoryId }));
    case 'lease':
      return withParams(Methods.lease, (v) => (caller.kind === 'kiosk' && v.kioskId !== caller.kioskId ? Promise.resolve(fail('unauthorized', `this connection is kiosk ${caller.kioskId}`)) : service.lease(v)));
    case 'uploadOffline':
      return withParams(Methods.uploadOffline, (v) => (caller.kind === 'kiosk' && v.kioskId !== caller.kioskId ? Promise.resolve(fail('unauthorized', `this connection is kiosk ${caller.kioskId}`)) : service.mergeOffline(v)));
    case 'staffFailures':
      return withParams(Methods.staffFailures, () => Promise.resolve(caller.kind === 'manager' ? ok(service.staffFailures()) : fail('unauthorized', 'the hall manager only')));
    case 'managerLogin':
      return withParams(Methods.managerLogin, (v) => service.managerLogin(v));
    case 'hallStats':
      return withParams(Methods.hallStats, (v) => service.hallStats(v));
    case 'reportRatings':
      // Ratings are what citizens left at a kiosk: only a kiosk connection reports them, in its own name (the service checks the params and logs bad ones).
      if (caller.kind !== 'kiosk') {
        logger?.warn({ caller: caller.kind }, 'queue server: ratings refused: not a kiosk connection');
        return fail('unauthorized', 'ratings come only from a kiosk connection');
      }
      return service.reportRatings(params, caller.kioskId);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolveBody(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function serveStatic(root: string, urlPath: string, res: ServerResponse, headOnly: boolean): Promise<void> {
  const outcome = await serveStaticFile(res, { root, pathname: urlPath, headOnly, directoryIndex: true, headers: PAGE_HEADERS });
  if (outcome === 'bad-path') sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: 'bad path' } });
  else if (outcome === 'not-found') sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'not found' } });
}

interface Client {
  socket: WebSocket;
  authenticated: boolean;
  events: boolean;
  /** Methods a page-key client may call; null = the shared secret, every method. */
  allowed: ReadonlySet<MethodName> | null;
  role: 'kiosk' | PageRole | null;
  caller: Caller;
  nonce: string;
}

export async function startHallServer(options: HallServerOptions): Promise<HallServer> {
  const { service, secret, logger } = options;
  if (secret.length < 8) throw new Error('the hall secret must be at least 8 characters');
  const staticRoot = options.staticDir === undefined ? undefined : resolve(options.staticDir);
  const helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
  const clients = new Set<Client>();
  const speech = callAudio({ onError: (error) => logger.warn({ err: error.message }, 'hall: the display board call could not be spoken') });

  // Guessing the hall secret or a key: refusals per peer address, logged, then a cooling-off (the secret and proofs themselves are never logged).
  const authLimiter = new AttemptLimiter(options.authFailures?.policy ?? DEFAULT_AUTH_FAILURE_LIMIT);
  const authLimited = (peer: string): boolean => options.authFailures?.includeLoopback === true || !LOOPBACK_PEERS.has(peer);
  /** Milliseconds this peer must wait before its credentials are looked at again; 0 = go ahead. */
  const authCoolingOff = (peer: string): number => {
    if (!authLimited(peer)) return 0;
    const verdict = authLimiter.check(peer, Date.now());
    return verdict.allowed ? 0 : Math.max(1, verdict.retryAt - Date.now());
  };
  const authFailed = (peer: string, where: string): void => {
    const verdict = authLimited(peer) ? authLimiter.fail(peer, Date.now()) : { allowed: true as const };
    logger.warn({ peer, where, coolingOff: !verdict.allowed }, 'queue server: authentication refused');
  };

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = parseRequestTarget(req.url);
    if (url === undefined) return sendJson(res, 400, fail('bad-request', 'malformed request target'));
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname.startsWith('/api/')) {
      const peer = req.socket.remoteAddress ?? '';
      const wait = authCoolingOff(peer);
      if (wait > 0) {
        logger.warn({ peer, where: 'http' }, 'queue server: authentication refused unevaluated (cooling off)');
        res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
        return sendJson(res, 429, fail('unauthorized', 'too many failed authentications from this address; try again later'));
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!secretMatches(bearer, secret)) {
        authFailed(peer, 'http');
        return sendJson(res, 401, fail('unauthorized', 'missing or wrong hall secret'));
      }
      const method = MethodName.safeParse(url.pathname.slice('/api/'.length));
      if (!method.success) return sendJson(res, 404, fail('bad-request', `unknown method ${url.pathname}`));
      let params: unknown = {};
      if (req.method === 'POST') {
        const body = await readBody(req);
        if (body === null) return sendJson(res, 413, fail('bad-request', 'body too large'));
        try {
          params = body.trim() === '' ? {} : JSON.parse(body);
        } catch {
          return sendJson(res, 400, fail('bad-request', 'body is not JSON'));
        }
      } else if (req.method !== 'GET' || method.data !== 'snapshot') {
        return sendJson(res, 405, fail('bad-request', 'use POST (GET only for snapshot)'));
      }
      return sendJson(res, 200, await dispatch(service, method.data, params, { kind: 'manager' }, logger));
    }
    const ticketPage = /^\/t\/([\w-]{8,64})$/.exec(url.pathname);
    if (ticketPage !== null && req.method === 'GET') {
      const info = await service.ticket({ id: ticketPage[1] as string });
      const html = ticketPageHtml(info.ok ? info.value : undefined, service.hallName());
      res.writeHead(info.ok ? 200 : 404, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    if (req.method === 'GET' && speech.handle(url, res)) return;
    if (staticRoot !== undefined && (req.method === 'GET' || req.method === 'HEAD')) return serveStatic(staticRoot, url.pathname, res, req.method === 'HEAD');
    return sendJson(res, 404, fail('not-found', 'not found'));
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handleHttp(req, res).catch((err: unknown) => {
      logger.error({ err }, 'queue server: HTTP request failed');
      if (!res.headersSent) sendJson(res, 500, fail('internal', 'internal error'));
      else res.destroy();
    });
  };
  const http: Server = options.tls === undefined ? createServer(onRequest) : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest);
  applyServerLimits(http, options.limits);
  const maxSocketsPerPeer = options.maxSocketsPerPeer ?? 64;
  const maxCallsInFlight = options.maxCallsInFlight ?? 64;
  const socketsPerPeer = new Map<string, number>();

  /**
   * Kiosks: a proof of this connection's challenge with their own key (or the
   * hall secret while no kiosk is registered), never a secret in clear.
   * Staff tools: a proof with the hall secret. Pages: a proof with their
   * page key (before, pages sent the key itself: readable on the LAN without TLS).
   */
  const authenticate = (hello: Extract<ClientMessage, { type: 'hello' }>, nonce: string): Caller | null => {
    const proves = (key: string | undefined): boolean => key !== undefined && hello.proof !== undefined && sameSecret(hello.proof, helloProof(key, nonce, hello.role, hello.kioskId));
    if (hello.role === 'kiosk') {
      if (hello.kioskId === undefined) return null;
      const key = options.kiosks?.enforced === true ? options.kiosks.keyOf(hello.kioskId) : secret;
      return proves(key) ? { kind: 'kiosk', kioskId: hello.kioskId } : null;
    }
    if (proves(secret)) return { kind: 'manager' };
    return proves(pageKey(secret, hello.role)) ? { kind: 'page' } : null;
  };
  // A revoked kiosk's open sockets go within a second.
  const revocationTimer = setInterval(() => {
    if (options.kiosks?.enforced !== true) return;
    for (const client of clients) {
      if (client.caller.kind === 'kiosk' && options.kiosks.keyOf(client.caller.kioskId) === undefined) {
        logger.warn({ kioskId: client.caller.kioskId }, 'queue server: kiosk revoked; closing its connection');
        client.socket.close(CLOSE_UNAUTHORIZED, 'revoked');
      }
    }
  }, 1000);
  revocationTimer.unref();

  const wss = new WebSocketServer({ server: http, path: '/ws', maxPayload: MAX_BODY_BYTES });
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 << 20;
  /** Sends unless the socket stopped reading: a client that lets megabytes pile up is cut off, the service's memory is not its buffer. */
  const sendText = (client: Client, text: string): void => {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > maxBufferedBytes) {
      logger.warn({ role: client.role, buffered: client.socket.bufferedAmount }, 'queue server: a socket stopped reading; cut off');
      client.socket.terminate();
      return;
    }
    client.socket.send(text);
  };
  const send = (client: Client, message: ServerMessage): void => {
    sendText(client, JSON.stringify(message));
  };

  wss.on('connection', (socket, req) => {
    // Many sockets from one address (a flood, or a client reconnecting in a loop) are closed at once: the others keep the hall's service.
    const peer = req.socket.remoteAddress ?? '';
    const open = socketsPerPeer.get(peer) ?? 0;
    if (open >= maxSocketsPerPeer) {
      logger.warn({ peer, open }, 'queue server: too many sockets from one address; refused');
      socket.close(CLOSE_TRY_AGAIN_LATER, 'too many connections');
      return;
    }
    socketsPerPeer.set(peer, open + 1);
    socket.once('close', () => {
      const left = (socketsPerPeer.get(peer) ?? 1) - 1;
      if (left <= 0) socketsPerPeer.delete(peer);
      else socketsPerPeer.set(peer, left);
    });
    let inFlight = 0;
    const client: Client = { socket, authenticated: false, events: true, allowed: null, role: null, caller: { kind: 'page' }, nonce: newNonce() };
    clients.add(client);
    send(client, { type: 'challenge', nonce: client.nonce });
    const helloTimer = setTimeout(() => {
      if (!client.authenticated) socket.close(CLOSE_UNAUTHORIZED, 'no hello');
    }, helloTimeoutMs);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      clients.delete(client);
    });
    socket.on('error', (err) => logger.warn({ err }, 'queue server: socket error'));
    socket.on('message', (data, isBinary) => {
      if (!client.authenticated && byteLength(data) > MAX_HELLO_BYTES) {
        socket.close(CLOSE_PROTOCOL, 'hello too large');
        return;
      }
      let message: ClientMessage;
      try {
        const parsed = ClientMessage.safeParse(JSON.parse(isBinary ? '' : String(data)));
        if (!parsed.success) {
          send(client, { type: 'error', code: 'bad-request', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
          if (!client.authenticated) socket.close(CLOSE_PROTOCOL, 'bad message');
          return;
        }
        message = parsed.data;
      } catch {
        send(client, { type: 'error', code: 'bad-request', message: 'message is not JSON' });
        if (!client.authenticated) socket.close(CLOSE_PROTOCOL, 'bad message');
        return;
      }
      if (message.type === 'hello') {
        if (authCoolingOff(peer) > 0) {
          logger.warn({ peer, where: 'ws', role: message.role }, 'queue server: authentication refused unevaluated (cooling off)');
          send(client, { type: 'error', code: 'unauthorized', message: 'too many failed authentications from this address; try again later' });
          socket.close(CLOSE_UNAUTHORIZED, 'cooling off');
          return;
        }
        const caller = authenticate(message, client.nonce);
        if (caller === null) {
          authFailed(peer, 'ws');
          logger.warn({ role: message.role, kioskId: message.kioskId }, 'queue server: hello refused');
          send(client, { type: 'error', code: 'unauthorized', message: 'not a known kiosk, page or staff tool of this hall' });
          socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
          return;
        }
        client.authenticated = true;
        client.role = message.role;
        client.caller = caller;
        // The statistics page's key opens no more than the manager login: no live ticket events on its socket.
        client.events = (message.events ?? true) && message.role !== 'stats';
        client.allowed = caller.kind === 'page' && message.role !== 'kiosk' ? PAGE_METHODS[message.role] : null;
        clearTimeout(helloTimer);
        send(client, { type: 'welcome', day: service.today(), at: new Date().toISOString() });
        return;
      }
      if (!client.authenticated) {
        send(client, { type: 'error', code: 'unauthorized', message: 'say hello with the hall secret first' });
        socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        return;
      }
      const { id, method, params } = message;
      if (client.allowed !== null && !client.allowed.has(method)) {
        logger.warn({ role: client.role, method }, 'queue server: a page called a method its key does not open');
        send(client, { type: 'result', id, result: fail('unauthorized', `this page may not call ${method}`) });
        return;
      }
      // A flood of calls is answered, not queued without bound: past the limit a call is refused at once.
      if (inFlight >= maxCallsInFlight) {
        send(client, { type: 'result', id, result: fail('bad-request', `more than ${maxCallsInFlight} calls in flight on this connection`) });
        return;
      }
      inFlight += 1;
      dispatch(service, method, params, client.caller, logger)
        .then(
          (result) => send(client, { type: 'result', id, result }),
          (err: unknown) => {
            logger.error({ err, method }, 'queue server: call failed');
            send(client, { type: 'result', id, result: fail('internal', 'internal error') });
          },
        )
        .finally(() => {
          inFlight -= 1;
        });
    });
  });

  const unsubscribe = service.subscribe((event) => {
    const text = JSON.stringify({ type: 'event', event } satisfies ServerMessage);
    for (const client of clients) if (client.authenticated && client.events) sendText(client, text);
  });

  // ws re-emits the HTTP server's errors (EADDRINUSE…) on the WebSocketServer: without a listener that would crash the process.
  wss.on('error', (err) => logger.warn({ err }, 'queue server: server error'));
  try {
    await new Promise<void>((resolveListen, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
    });
  } catch (err) {
    unsubscribe();
    wss.close();
    throw err;
  }
  const port = (http.address() as AddressInfo).port;
  const host = options.host === undefined || options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const secure = options.tls !== undefined;
  logger.info({ port }, 'queue server: listening');

  return {
    port,
    wsUrl: `${secure ? 'wss' : 'ws'}://${host}:${port}/ws`,
    httpUrl: `${secure ? 'https' : 'http'}://${host}:${port}`,
    connections: () => {
      const counts = { kiosk: 0, counter: 0, display: 0 };
      for (const client of clients) if (client.authenticated && client.role !== null && client.role !== 'stats') counts[client.role]++;
      return counts;
    },
    close: async () => {
      clearInterval(revocationTimer);
      unsubscribe();
      for (const client of clients) client.socket.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  return Array.isArray(data) ? data.reduce((sum, chunk) => sum + chunk.length, 0) : data.byteLength;
}
