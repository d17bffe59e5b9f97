/**
 * The browser shell's bridge, injected before the renderer loads. It gives
 * the renderer the same `window.liuliuBridge` (send text / receive text) that
 * Electron's preload gives, here over a WebSocket back to the host. The token
 * comes from the URL fragment, is kept for reloads in sessionStorage, and is
 * removed from the address bar. It beats on the socket (ping/pong) so the
 * supervisor sees a live page and the page sees a live host, and reports
 * `lost` / `connected` so the renderer can show that the kiosk is restoring.
 */
type BridgeStatus = 'connected' | 'lost';

interface LiuliuBridge {
  send(text: string): void;
  onMessage(listener: (text: string) => void): () => void;
  /** `lost` within 2 s of the host going away (socket closed, or no pong); `connected` when it is back. */
  onStatus?(listener: (status: BridgeStatus) => void): () => void;
}

declare global {
  interface Window {
    liuliuBridge?: LiuliuBridge;
  }
}

const TOKEN_KEY = 'liuliu.token';
// Below the contract: the server answers PAGE_PING with PAGE_PONG (electron/browser-shell/server.ts).
const PAGE_PING = 'ping';
const PAGE_PONG = 'pong';
/** The page beats this often; the supervisor reloads a page that stops. */
const PING_EVERY_MS = 500;
/**
 * No pong for this long: the host hangs, count it as lost. A host that dies is noticed at once (its socket
 * closes); this only backs up a hung one, which the supervisor kills after 10 s anyway (its socket then
 * closes). Shorter, and a host busy for a few seconds on a loaded machine would flash the restoring notice
 * at a citizen and restart her visit for nothing.
 */
const PONG_TIMEOUT_MS = 10_000;
const RECONNECT_MS = 500;

const fragment = new URLSearchParams(window.location.hash.slice(1));
const fromUrl = fragment.get('token');
if (fromUrl) {
  sessionStorage.setItem(TOKEN_KEY, fromUrl);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}
const token = sessionStorage.getItem(TOKEN_KEY) ?? '';

const listeners = new Set<(text: string) => void>();
const statusListeners = new Set<(status: BridgeStatus) => void>();
const queue: string[] = [];
let socket: WebSocket | undefined;
let status: BridgeStatus | undefined;
let lastPong = 0;

function setStatus(next: BridgeStatus): void {
  if (status === next) return;
  status = next;
  statusListeners.forEach((listener) => listener(next));
}

function lost(ws: WebSocket): void {
  if (socket === ws) socket = undefined;
  // Messages written for the host that went away are not replayed to its successor: nothing is half-done twice.
  queue.length = 0;
  setStatus('lost');
}

function connect(): void {
  const ws = new WebSocket(`ws://${window.location.host}/rpc?token=${encodeURIComponent(token)}`);
  let pinger: number | undefined;
  const dropped = (): void => {
    ws.onclose = null;
    window.clearInterval(pinger);
    if (status !== undefined) lost(ws);
    else if (socket === ws) socket = undefined;
    // The host restarts (same port, same token: the supervisor keeps both): try again shortly.
    setTimeout(connect, RECONNECT_MS);
  };
  ws.onopen = () => {
    socket = ws;
    lastPong = Date.now();
    for (const text of queue.splice(0)) ws.send(text);
    setStatus('connected');
    pinger = window.setInterval(() => {
      if (Date.now() - lastPong > PONG_TIMEOUT_MS) {
        // Open but silent: the host hangs. Give the socket up now rather than wait for TCP to notice.
        dropped();
        ws.close();
        return;
      }
      ws.send(PAGE_PING);
    }, PING_EVERY_MS);
  };
  ws.onmessage = (event) => {
    if (typeof event.data !== 'string') return;
    if (event.data === PAGE_PONG) {
      lastPong = Date.now();
      return;
    }
    listeners.forEach((listener) => listener(event.data as string));
  };
  ws.onclose = dropped;
}
connect();

window.liuliuBridge = {
  send(text) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
    else if (status === undefined) queue.push(text); // before the first connection only
  },
  onMessage(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  onStatus(listener) {
    statusListeners.add(listener);
    return () => statusListeners.delete(listener);
  },
};

export {};
