import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../contract/index.js';
import type { Logger } from '../host/logging/logger.js';
import type { Connection } from '../host/rpc/server.js';
import { CONTENT_SECURITY_POLICY } from '../common/csp.js';
import { parseRequestTarget } from '../host/http/request-target.js';
import { CONTENT_TYPES, serveStaticFile } from '../host/http/static-files.js';
import { answerClientError, applyServerLimits, type ServerLimits } from '../host/http/server-limits.js';

/**
 * The browser shell's transport: serves the built renderer on 127.0.0.1 and
 * carries the contract over a WebSocket at /rpc. A socket is accepted only
 * from this server's own loopback origin and only with the per-start secret
 * token, which reaches the page in the URL fragment (never sent to a server
 * and never in a log).
 */
export interface BrowserShellServer {
  readonly port: number;
  readonly origin: string;
  /** The URL Chromium opens: origin + `/#token=…`. */
  readonly launchUrl: string;
  /** When the page last sent its heartbeat (epoch ms), undefined before the first. */
  lastPageBeatAt(): number | undefined;
  close(): Promise<void>;
}

/**
 * The page's heartbeat on its socket: the bridge sends PAGE_PING every
 * second and the server answers PAGE_PONG at once, below the contract (these
 * texts are not contract messages and never reach the RPC server). The
 * supervisor reloads a page that stops beating; the page shows "restoring"
 * when its pongs stop.
 */
export const PAGE_PING = 'ping';
export const PAGE_PONG = 'pong';

export interface BrowserShellOptions {
  rendererDir: string;
  bridgeScript: string;
  port: number;
  /** The start token; the supervisor passes its own so that a restarted host accepts the page already open. Default: a fresh random one. */
  token?: string;
  logger: Logger;
  onConnection(connection: Connection): void;
  /** Slow-client limits (default `DEFAULT_SERVER_LIMITS`): loopback only, but a stuck local process must not hold sockets for minutes either. */
  limits?: Partial<ServerLimits>;
}

export const BRIDGE_PATH = '/__liuliu/bridge.js';

function tokensEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function startBrowserShellServer(options: BrowserShellOptions): Promise<BrowserShellServer> {
  const { rendererDir, logger } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  let lastPageBeatAt: number | undefined;
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`renderer not built: ${indexFile} is missing (run npm run build)`);
  // The bridge script is injected ahead of the renderer's own module script.
  const indexHtml = readFileSync(indexFile, 'utf8').replace('<head>', `<head>\n    <script src="${BRIDGE_PATH}"></script>`);
  let origin = '';

  const securityHeaders = (res: ServerResponse): void => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
  };

  const serveFile = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    securityHeaders(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const target = parseRequestTarget(req.url);
    if (target === undefined) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad request');
      return;
    }
    if (target.pathname === BRIDGE_PATH) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.js'] as string }).end(options.bridgeScript);
      return;
    }
    if (target.pathname === '/' || target.pathname === '/index.html') {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'] as string }).end(indexHtml);
      return;
    }
    const outcome = await serveStaticFile(res, { root: rendererDir, pathname: target.pathname, headOnly: req.method === 'HEAD' });
    if (outcome === 'bad-path') res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad request');
    else if (outcome === 'not-found') res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  };

  const server: Server = createServer((req, res) => {
    serveFile(req, res).catch((err: unknown) => {
      logger.error({ err }, 'browser shell: request failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // A client that sends garbage gets a 400 (a slow one 408) and a closed socket, never an exception here.
  server.on('clientError', answerClientError);
  applyServerLimits(server, options.limits);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const target = parseRequestTarget(req.url);
    const remote = req.socket.remoteAddress ?? '';
    const refuse = (status: number, why: string): void => {
      logger.warn({ remote, origin: req.headers.origin, why }, 'refused a WebSocket client');
      socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 400 ? 'Bad Request' : 'Not Found'}\r\nConnection: close\r\n\r\n`);
    };
    // An upgrade socket has no error handler of Node's: a reset must not become an uncaught error.
    socket.on('error', (err) => logger.warn({ remote, err: err.message }, 'WebSocket upgrade socket error'));
    if (target === undefined) return refuse(400, 'malformed request target');
    if (target.pathname !== '/rpc') return refuse(404, 'unknown path');
    if (req.headers.origin !== origin) return refuse(403, 'foreign origin');
    if (!['127.0.0.1', '::ffff:127.0.0.1', '::1'].includes(remote)) return refuse(403, 'not loopback');
    if (!tokensEqual(target.searchParams.get('token') ?? '', token)) return refuse(403, 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) =>
      options.onConnection(
        wsConnection(ws, `ws:${remote}:${req.socket.remotePort ?? 0}`, logger, () => {
          lastPageBeatAt = Date.now();
        }),
      ),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  logger.info({ origin }, 'browser shell serving the renderer');
  return {
    port,
    origin,
    launchUrl: `${origin}/#token=${token}`,
    lastPageBeatAt: () => lastPageBeatAt,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function wsConnection(ws: WebSocket, label: string, logger: Logger, onPageBeat: () => void): Connection {
  // ws reports an oversized frame (over maxPayload), invalid UTF-8 or a
  // protocol violation as an 'error' and then closes the socket; without a
  // listener that error would be thrown and end the host.
  ws.on('error', (err: Error & { code?: string }) => logger.warn({ connection: label, code: err.code, err: err.message }, 'closed a WebSocket after a bad frame'));
  ws.on('message', (data, isBinary) => {
    if (isBinary || data.toString() !== PAGE_PING) return;
    onPageBeat();
    if (ws.readyState === ws.OPEN) ws.send(PAGE_PONG);
  });
  return {
    label,
    send: (text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    },
    onMessage: (listener) =>
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          logger.warn({ connection: label }, 'dropped a binary WebSocket frame');
          return;
        }
        const text = data.toString();
        if (text !== PAGE_PING) listener(text);
      }),
    onClose: (listener) => ws.on('close', listener),
  };
}
