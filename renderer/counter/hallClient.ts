/**
 * The counter and display pages' link to the hall service: its WebSocket on
 * the page's own origin (`/ws`), hello with the page key, JSON calls with
 * replies matched by id, pushed ticket events, reconnection with backoff.
 * Plain browser code: no kiosk bridge, no host imports (the shapes below are
 * the parts of electron/host/queue/types.ts these pages read).
 */
export type PageRole = 'counter' | 'display';

export interface HallError {
  code: string;
  message: string;
}
export type HallResult<T> = { ok: true; value: T } | { ok: false; error: HallError };

export interface HallTicket {
  id: string;
  displayNo: string;
  categoryId: string;
  priority: 'elderly' | 'disabled' | 'appointment' | null;
  status: string;
  windowNo: string | null;
  recalls: number;
}

export interface HallSnapshot {
  day: string;
  categories: Array<{ id: string; name: string; prefix: string; waiting: number; priorityWaiting: number; openWindows: string[]; windows: string[]; etaMinutes: number }>;
  recentCalls: Array<{ displayNo: string; windowNo: string; categoryId: string; calledAt: string; recalls: number }>;
  windows: Array<{ windowNo: string; staffId: string; categoryId: string; current: string | null }>;
}

export interface HallEvent {
  id: string;
  kind: 'issued' | 'called' | 'recalled' | 'skipped' | 'requeued' | 'transferred' | 'finished' | 'dropped' | 'voided';
  ticket: HallTicket;
  windowNo: string | null;
}

export type LinkState = 'connecting' | 'open' | 'closed' | 'unauthorized';

export interface HallLink {
  call<T>(method: string, params: Record<string, unknown>): Promise<HallResult<T>>;
  close(): void;
}

const CALL_TIMEOUT_MS = 8000;
const CLOSE_UNAUTHORIZED = 4401;

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

export function connectHall(role: PageRole, key: string, handlers: { onState(state: LinkState): void; onEvent(event: HallEvent): void }): HallLink {
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`;
  let socket: WebSocket | null = null;
  let ready = false;
  let stopped = false;
  let attempts = 0;
  let nextId = 1;
  const pending = new Map<number, (result: HallResult<unknown>) => void>();

  const failPending = (): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'unavailable', message: 'the link to the hall service closed' } });
    pending.clear();
  };

  const open = (): void => {
    handlers.onState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', secret: key, role, events: true }));
    ws.onmessage = (message) => {
      let data: { type?: string; id?: number; result?: HallResult<unknown>; event?: HallEvent };
      try {
        data = JSON.parse(String(message.data)) as typeof data;
      } catch {
        return;
      }
      if (data.type === 'welcome') {
        ready = true;
        attempts = 0;
        handlers.onState('open');
      } else if (data.type === 'result' && data.id !== undefined && data.result !== undefined) {
        pending.get(data.id)?.(data.result);
        pending.delete(data.id);
      } else if (data.type === 'event' && data.event !== undefined) {
        handlers.onEvent(data.event);
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
    call<T>(method: string, params: Record<string, unknown>): Promise<HallResult<T>> {
      if (!ready || socket === null) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'still connecting to the hall service' } });
      const id = nextId++;
      const ws = socket;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'unavailable', message: 'no answer from the hall service' } });
        }, CALL_TIMEOUT_MS);
        pending.set(id, (result) => {
          clearTimeout(timer);
          resolve(result as HallResult<T>);
        });
        ws.send(JSON.stringify({ type: 'call', id, method, params }));
      });
    },
    close() {
      stopped = true;
      socket?.close();
    },
  };
}
