import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logging/logger.js';
import { CLOSE_PROTOCOL, CLOSE_UNAUTHORIZED, ClientMessage, COUNTER_METHODS, Methods, MethodName, type ServerMessage } from './protocol.js';
import type { HallQueueService } from './service.js';
import { ticketPageHtml } from './ticket-page.js';
import { fail, type Result } from './types.js';
import { callAudio } from '../speech/call-audio.js';

/**
 * The standalone hall service over the network: JSON RPC over a WebSocket
 * (`/ws`) and plain HTTP (`POST /api/<method>`), both checked against the
 * shared secret and every message validated with zod; ticket events are pushed
 * to WebSocket clients; any other GET is served from an optional static
 * directory (the counter and display pages). README "API".
 */
export interface HallServerOptions {
  service: HallQueueService;
  secret: string;
  port: number;
  /** Interface to listen on; 127.0.0.1 for tests, 0.0.0.0 for a hall LAN. */
  host?: string;
  staticDir?: string;
  logger: Logger;
  /** A WebSocket must say hello within this time (ms). */
  helloTimeoutMs?: number;
}

export interface HallServer {
  port: number;
  /** `ws://host:port/ws` */
  wsUrl: string;
  httpUrl: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ico': 'image/x-icon',
};

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of a presented secret with the configured one. */
function secretMatches(presented: string | undefined, secret: string): boolean {
  return presented !== undefined && timingSafeEqual(digest(presented), digest(secret));
}

/**
 * Page keys: the counter and display pages are public files, so they are given
 * a key for their role instead of the shared secret (in the page URL's
 * fragment, which browsers never send to the server). A page key is
 * HMAC(secret, role): it opens a WebSocket for that role only, and only that
 * role's methods — a display key can read the board but not issue or call; a
 * counter key still needs a staff PIN (`counterLogin`) for every counter
 * operation. Kiosks and HTTP use the shared secret itself.
 */
export type PageRole = 'counter' | 'display';

export function pageKey(secret: string, role: PageRole): string {
  return createHmac('sha256', secret).update(`liuliu-hall-page:${role}`).digest('base64url');
}

export const PAGE_METHODS: Record<PageRole, ReadonlySet<MethodName>> = {
  display: new Set<MethodName>(['snapshot', 'ticket']),
  counter: new Set<MethodName>(['snapshot', 'ticket', 'counterLogin', ...COUNTER_METHODS]),
};

/** Validates a method's params and runs it; counter methods first resolve their session token. */
export async function dispatch(service: HallQueueService, method: MethodName, rawParams: unknown): Promise<Result<unknown>> {
  const parsed = Methods[method].safeParse(rawParams ?? {});
  if (!parsed.success) return fail('bad-request', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const params = parsed.data as Record<string, unknown>;
  if (COUNTER_METHODS.has(method)) {
    const { token, ...rest } = params as { token: string };
    const session = await service.sessionByToken(token);
    if (session === null) return fail('not-logged-in', '窗口未登录或登录已过期，请重新登录');
    const request = { ...rest, ...session };
    switch (method) {
      case 'counterLogout':
        return service.counterLogout(request);
      case 'callNext':
        return service.callNext(request);
      case 'recall':
        return service.recall(request);
      case 'skip':
        return service.skip(request);
      case 'finish':
        return service.finish(request);
      case 'requeue':
        return service.requeue(request as typeof request & { displayNo: string });
      case 'transfer':
        return service.transfer(request as typeof request & { toCategoryId: string });
    }
  }
  switch (method) {
    case 'issue':
      return service.issue(parsed.data as Parameters<HallQueueService['issue']>[0]);
    case 'ticket':
      return service.ticket(parsed.data as Parameters<HallQueueService['ticket']>[0]);
    case 'snapshot':
      return service.snapshot();
    case 'counterLogin':
      return service.counterLogin(parsed.data as Parameters<HallQueueService['counterLogin']>[0]);
    case 'lease':
      return service.lease(parsed.data as Parameters<HallQueueService['lease']>[0]);
    case 'uploadOffline':
      return service.mergeOffline(parsed.data as Parameters<HallQueueService['mergeOffline']>[0]);
    default:
      return fail('bad-request', `unknown method ${method}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
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
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: 'bad path' } });
    return;
  }
  let file = resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + sep)) {
    sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'not found' } });
    return;
  }
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory() === true) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (info === null || !info.isFile()) {
    sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'not found' } });
    return;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': info.size });
  if (headOnly) res.end();
  else createReadStream(file).pipe(res);
}

interface Client {
  socket: WebSocket;
  authenticated: boolean;
  events: boolean;
  /** Methods a page-key client may call; null = the shared secret, every method. */
  allowed: ReadonlySet<MethodName> | null;
}

export async function startHallServer(options: HallServerOptions): Promise<HallServer> {
  const { service, secret, logger } = options;
  if (secret.length < 8) throw new Error('the hall secret must be at least 8 characters');
  const staticRoot = options.staticDir === undefined ? undefined : resolve(options.staticDir);
  const helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
  const clients = new Set<Client>();
  const speech = callAudio({ onError: (error) => logger.warn({ err: error.message }, 'hall: the display board call could not be spoken') });

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://hall');
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname.startsWith('/api/')) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!secretMatches(bearer, secret)) return sendJson(res, 401, fail('unauthorized', 'missing or wrong hall secret'));
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
      return sendJson(res, 200, await dispatch(service, method.data, params));
    }
    const ticketPage = /^\/t\/([\w-]{8,64})$/.exec(url.pathname);
    if (ticketPage !== null && req.method === 'GET') {
      const info = await service.ticket({ id: ticketPage[1] as string });
      const html = ticketPageHtml(info.ok ? info.value : undefined, service.hallName());
      res.writeHead(info.ok ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    if (req.method === 'GET' && speech.handle(url, res)) return;
    if (staticRoot !== undefined && (req.method === 'GET' || req.method === 'HEAD')) return serveStatic(staticRoot, url.pathname, res, req.method === 'HEAD');
    return sendJson(res, 404, fail('not-found', 'not found'));
  };

  const http: Server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      logger.error({ err }, 'queue server: HTTP request failed');
      if (!res.headersSent) sendJson(res, 500, fail('internal', 'internal error'));
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ server: http, path: '/ws', maxPayload: MAX_BODY_BYTES });
  const send = (client: Client, message: ServerMessage): void => {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message));
  };

  wss.on('connection', (socket) => {
    const client: Client = { socket, authenticated: false, events: true, allowed: null };
    clients.add(client);
    const helloTimer = setTimeout(() => {
      if (!client.authenticated) socket.close(CLOSE_UNAUTHORIZED, 'no hello');
    }, helloTimeoutMs);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      clients.delete(client);
    });
    socket.on('error', (err) => logger.warn({ err }, 'queue server: socket error'));
    socket.on('message', (data, isBinary) => {
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
        const role = message.role;
        const byPageKey = role !== 'kiosk' && !secretMatches(message.secret, secret) && secretMatches(message.secret, pageKey(secret, role));
        if (!byPageKey && !secretMatches(message.secret, secret)) {
          logger.warn({ role: message.role, kioskId: message.kioskId }, 'queue server: wrong secret');
          send(client, { type: 'error', code: 'unauthorized', message: 'wrong hall secret' });
          socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
          return;
        }
        client.authenticated = true;
        client.events = message.events ?? true;
        client.allowed = byPageKey ? PAGE_METHODS[role] : null;
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
        send(client, { type: 'result', id, result: fail('unauthorized', `this page may not call ${method}`) });
        return;
      }
      dispatch(service, method, params).then(
        (result) => send(client, { type: 'result', id, result }),
        (err: unknown) => {
          logger.error({ err, method }, 'queue server: call failed');
          send(client, { type: 'result', id, result: fail('internal', 'internal error') });
        },
      );
    });
  });

  const unsubscribe = service.subscribe((event) => {
    const text = JSON.stringify({ type: 'event', event } satisfies ServerMessage);
    for (const client of clients) if (client.authenticated && client.events && client.socket.readyState === client.socket.OPEN) client.socket.send(text);
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
  logger.info({ port }, 'queue server: listening');

  return {
    port,
    wsUrl: `ws://${host}:${port}/ws`,
    httpUrl: `http://${host}:${port}`,
    close: async () => {
      unsubscribe();
      for (const client of clients) client.socket.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
