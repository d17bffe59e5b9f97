import {
  CLOSE_UNAUTHORIZED,
  ServerMessage,
  TicketEvent,
  checkReply,
  type CallFailure,
  type ClientMessage,
  type MethodName,
  type MethodParams,
  type MethodReply,
  type PageRole,
  helloProof,
} from '../../hall/protocol/index.js';

/**
 * The counter and display pages' link to the hall service: its WebSocket on
 * the page's own origin (`/ws`), a hello that proves the page key against the
 * service's challenge (the key itself never crosses the wire), JSON calls with
 * replies matched by id, pushed ticket events, reconnection with backoff.
 * Plain browser code: no kiosk bridge, no host imports. Every message is
 * typed and checked with the hall protocol (hall/protocol), like the kiosk's
 * own client: a reply that does not match its method's schema is an error.
 */
export type { PageRole };
/** What a method takes, and what it answers (a Result, or the call's own failure). */
export type HallParams<M extends MethodName> = MethodParams<M>;
export type HallReply<M extends MethodName> = MethodReply<M> | CallFailure;

export type LinkState = 'connecting' | 'open' | 'closed' | 'unauthorized';

export interface HallLink {
  call<M extends MethodName>(method: M, params: HallParams<M>): Promise<HallReply<M>>;
  close(): void;
}

const CALL_TIMEOUT_MS = 8000;

function failure(code: 'unavailable' | 'internal', message: string): CallFailure {
  return { ok: false, error: { code, message } };
}

/**
 * The page key: given once in the URL fragment (`/counter/#key=…`, never sent
 * to the server in requests or logs), then kept in this browser's
 * localStorage and removed from the address bar.
 */
export function pageKeyFromLocation(role: PageRole): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('key');
  if (fromHash !== null && fromHash !== '') {
    rememberPageKey(role, fromHash);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return window.localStorage.getItem(storageKey(role));
}

function storageKey(role: PageRole): string {
  return `liuliu.hall.${role}.key`;
}

export function rememberPageKey(role: PageRole, key: string): void {
  window.localStorage.setItem(storageKey(role), key);
}

export function forgetPageKey(role: PageRole): void {
  window.localStorage.removeItem(storageKey(role));
}

export function connectHall(role: PageRole, key: string, handlers: { onState(state: LinkState): void; onEvent(event: TicketEvent): void }): HallLink {
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`;
  let socket: WebSocket | null = null;
  let ready = false;
  let stopped = false;
  let attempts = 0;
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();

  const failPending = (): void => {
    for (const resolve of pending.values()) resolve(failure('unavailable', 'connection lost'));
    pending.clear();
  };

  const open = (): void => {
    handlers.onState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onmessage = (message) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const parsed = ServerMessage.safeParse(raw);
      if (!parsed.success) return;
      const data = parsed.data;
      if (data.type === 'challenge') {
        ws.send(JSON.stringify({ type: 'hello', role, events: true, proof: helloProof(key, data.nonce, role, undefined) } satisfies ClientMessage));
      } else if (data.type === 'welcome') {
        ready = true;
        attempts = 0;
        handlers.onState('open');
      } else if (data.type === 'result') {
        pending.get(data.id)?.(data.result);
        pending.delete(data.id);
      } else if (data.type === 'event') {
        const event = TicketEvent.safeParse(data.event);
        if (event.success) handlers.onEvent(event.data);
      }
    };
    ws.onclose = (event) => {
      ready = false;
      socket = null;
      failPending();
      if (event.code === CLOSE_UNAUTHORIZED) {
        handlers.onState('unauthorized');
        return;
      }
      handlers.onState('closed');
      if (stopped) return;
      attempts++;
      setTimeout(open, Math.min(10_000, 250 * 2 ** Math.min(attempts, 6)));
    };
  };
  open();

  return {
    call<M extends MethodName>(method: M, params: HallParams<M>): Promise<HallReply<M>> {
      const check = checkReply[method];
      const answer = (value: unknown): HallReply<M> => {
        const checked = check(value);
        return checked.success ? checked.data : failure('internal', `unexpected reply to ${method}`);
      };
      if (!ready || socket === null) return Promise.resolve(failure('unavailable', 'not connected'));
      const id = nextId++;
      const ws = socket;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(failure('unavailable', 'no answer'));
        }, CALL_TIMEOUT_MS);
        pending.set(id, (result) => {
          clearTimeout(timer);
          resolve(answer(result));
        });
        ws.send(JSON.stringify({ type: 'call', id, method, params } satisfies ClientMessage));
      });
    },
    close() {
      stopped = true;
      socket?.close();
    },
  };
}
