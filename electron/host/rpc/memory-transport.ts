import type { Connection } from './server.js';

/**
 * An in-memory pipe pair: the host end is a Connection, the renderer end is
 * the same `send`/`onMessage` bridge the preload and the WebSocket bridge
 * expose. Used by unit tests to exercise the whole contract without I/O.
 */
export interface BridgeEnd {
  send(text: string): void;
  onMessage(listener: (text: string) => void): () => void;
}

export function memoryPipe(label = 'memory'): { host: Connection & { close(): void }; renderer: BridgeEnd } {
  const toHost = new Set<(text: string) => void>();
  const toRenderer = new Set<(text: string) => void>();
  const closeListeners: Array<() => void> = [];
  const deliver = (listeners: Set<(text: string) => void>, text: string): void => {
    queueMicrotask(() => listeners.forEach((listener) => listener(text)));
  };
  return {
    host: {
      label,
      send: (text) => deliver(toRenderer, text),
      onMessage: (listener) => void toHost.add(listener),
      onClose: (listener) => void closeListeners.push(listener),
      close: () => closeListeners.forEach((listener) => listener()),
    },
    renderer: {
      send: (text) => deliver(toHost, text),
      onMessage: (listener) => {
        toRenderer.add(listener);
        return () => toRenderer.delete(listener);
      },
    },
  };
}
