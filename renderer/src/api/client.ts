import type { ApiErrorShape, EventName, EventPayload, HostMessage, MethodName, ParamsOf, ResultOf } from '../../../electron/contract/index.js';

/**
 * The renderer's end of the contract. It is built on a bridge that only moves
 * text (`send` / `onMessage`); which shell supplied the bridge — Electron's
 * preload or the browser shell's WebSocket script — is invisible here.
 */
export interface Bridge {
  send(text: string): void;
  onMessage(listener: (text: string) => void): () => void;
  /** The browser shell's bridge reports losing and regaining its host; Electron's host lives and dies with the window. */
  onStatus?(listener: (status: 'connected' | 'lost') => void): () => void;
}

export type CallResult<M extends MethodName> = { ok: true; value: ResultOf<M> } | { ok: false; error: ApiErrorShape };

export interface ApiClient {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<CallResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(bridge: Bridge, timeoutMs = 30_000): ApiClient {
  let nextId = 1;
  const pending = new Map<number, (result: CallResult<MethodName>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  bridge.onMessage((text) => {
    let message: HostMessage;
    try {
      message = JSON.parse(text) as HostMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const resolve = pending.get(message.id);
      if (!resolve) return;
      pending.delete(message.id);
      resolve(message.ok ? { ok: true, value: message.value as ResultOf<MethodName> } : { ok: false, error: message.error });
    } else if (message.type === 'event') {
      listeners.get(message.event)?.forEach((listener) => listener(message.payload));
    }
  });

  return {
    call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<CallResult<M>> {
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'unavailable', message: `no answer from the host for ${method}` } });
        }, timeoutMs);
        pending.set(id, (result) => {
          clearTimeout(timer);
          resolve(result as CallResult<M>);
        });
        bridge.send(JSON.stringify({ type: 'call', id, method, params }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
  };
}
