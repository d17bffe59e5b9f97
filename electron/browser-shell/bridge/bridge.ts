/**
 * The browser shell's bridge, injected before the renderer loads. It gives
 * the renderer the same `window.liuliuBridge` (send text / receive text) that
 * Electron's preload gives, here over a WebSocket back to the host. The token
 * comes from the URL fragment, is kept for reloads in sessionStorage, and is
 * removed from the address bar.
 */
interface LiuliuBridge {
  send(text: string): void;
  onMessage(listener: (text: string) => void): () => void;
}

declare global {
  interface Window {
    liuliuBridge?: LiuliuBridge;
  }
}

const TOKEN_KEY = 'liuliu.token';
const fragment = new URLSearchParams(window.location.hash.slice(1));
const fromUrl = fragment.get('token');
if (fromUrl) {
  sessionStorage.setItem(TOKEN_KEY, fromUrl);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}
const token = sessionStorage.getItem(TOKEN_KEY) ?? '';

const listeners = new Set<(text: string) => void>();
const queue: string[] = [];
let socket: WebSocket | undefined;
let retryMs = 250;

function connect(): void {
  const ws = new WebSocket(`ws://${window.location.host}/rpc?token=${encodeURIComponent(token)}`);
  ws.onopen = () => {
    retryMs = 250;
    socket = ws;
    for (const text of queue.splice(0)) ws.send(text);
  };
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') listeners.forEach((listener) => listener(event.data as string));
  };
  ws.onclose = () => {
    socket = undefined;
    // The host restarts or the socket drops: reconnect with capped backoff.
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
  };
}
connect();

window.liuliuBridge = {
  send(text) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
    else queue.push(text);
  },
  onMessage(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export {};
