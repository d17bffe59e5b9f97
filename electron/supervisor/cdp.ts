import type { Readable, Writable } from 'node:stream';

/**
 * A minimal Chrome DevTools Protocol client over Chromium's
 * `--remote-debugging-pipe` (fd 3: commands in, fd 4: replies and events
 * out; each message is JSON ended by a NUL byte). The pipe belongs to the
 * supervisor alone — no port, nothing another local account can reach — and
 * carries what the supervisor needs: navigate the page to its tokened URL,
 * reload it, hear that its renderer crashed.
 */
export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

interface Pending {
  resolve(value: Record<string, unknown>): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class CdpPipe {
  private nextId = 1;
  private buffer = '';
  private closed = false;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
    private readonly timeoutMs = 10_000,
  ) {
    fromBrowser.setEncoding('utf8');
    fromBrowser.on('data', (chunk: string) => this.receive(chunk));
    fromBrowser.on('close', () => this.close('the browser closed its DevTools pipe'));
    fromBrowser.on('error', () => this.close('the DevTools pipe failed'));
    toBrowser.on('error', () => this.close('the DevTools pipe failed'));
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error(`CDP ${method}: the pipe is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP ${method}: no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId !== undefined ? { sessionId } : {}) })}\0`);
    });
  }

  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(why = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new Error(why));
    }
    this.pending.clear();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      let message: { id?: number; result?: Record<string, unknown>; error?: { message?: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        continue; // not ours to crash on: Chromium only ever sends JSON here
      }
      if (typeof message.id === 'number') {
        const waiting = this.pending.get(message.id);
        if (!waiting) continue;
        this.pending.delete(message.id);
        clearTimeout(waiting.timer);
        if (message.error) waiting.reject(new Error(`CDP: ${message.error.message ?? 'error'}`));
        else waiting.resolve(message.result ?? {});
      } else if (typeof message.method === 'string') {
        const event: CdpEvent = { method: message.method, params: message.params ?? {}, ...(message.sessionId !== undefined ? { sessionId: message.sessionId } : {}) };
        for (const listener of this.listeners) listener(event);
      }
    }
  }
}

/** The kiosk page's target: the first `page` Chromium has open (it opens exactly one in app/kiosk mode). */
export async function attachToPage(cdp: CdpPipe, deadlineMs = 10_000): Promise<{ targetId: string; sessionId: string }> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos?: Array<{ targetId: string; type: string }> };
    const page = targetInfos?.find((target) => target.type === 'page');
    if (page) {
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: page.targetId, flatten: true })) as { sessionId: string };
      return { targetId: page.targetId, sessionId };
    }
    if (Date.now() > until) throw new Error('Chromium opened no page');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
