import { connect } from 'node:net';
import { rawWebSocket } from '../support/raw-wire.js';
import type { WebSocketCase } from './generate.js';

/**
 * Fires fuzz cases at a live server over real sockets, a bounded number at a
 * time, and counts how the server answered. A case "answered" when the server
 * replied or closed the socket on its own; the suite's assertion is that the
 * process lives and a normal request still gets its normal answer.
 */
export interface FuzzTally {
  cases: number;
  answered: number;
  /** Connections the server neither answered nor closed within the timeout. */
  hung: number;
  statuses: Record<string, number>;
}

function sendRaw(port: number, bytes: Buffer, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    const finish = (outcome: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('hung'), timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (match) finish(match[1] as string);
      else if (head.length > 32) finish('garbage');
    });
    socket.on('error', () => finish('reset'));
    socket.on('close', () => finish('closed'));
  });
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

export async function fuzzHttp(port: number, requests: readonly Buffer[], options: { concurrency?: number; timeoutMs?: number } = {}): Promise<FuzzTally> {
  const tally: FuzzTally = { cases: requests.length, answered: 0, hung: 0, statuses: {} };
  await pool(requests, options.concurrency ?? 32, async (bytes) => {
    const outcome = await sendRaw(port, bytes, options.timeoutMs ?? 5000);
    tally.statuses[outcome] = (tally.statuses[outcome] ?? 0) + 1;
    if (outcome === 'hung') tally.hung += 1;
    else tally.answered += 1;
  });
  return tally;
}

export async function fuzzWebSocket(port: number, cases: readonly WebSocketCase[], options: { concurrency?: number; timeoutMs?: number } = {}): Promise<FuzzTally> {
  const tally: FuzzTally = { cases: cases.length, answered: 0, hung: 0, statuses: {} };
  await pool(cases, options.concurrency ?? 32, async (wsCase) => {
    const ws = await rawWebSocket(port, wsCase.path, wsCase.headers);
    const key = String(ws.status);
    tally.statuses[key] = (tally.statuses[key] ?? 0) + 1;
    if (ws.status === 101) for (const frame of wsCase.frames) ws.send(frame);
    // Give the server a moment to read the frames (and to close on a bad one), then hang up.
    await Promise.race([ws.closed, new Promise((resolve) => setTimeout(resolve, ws.status === 101 ? 20 : 0))]);
    ws.close();
    tally.answered += 1;
  });
  return tally;
}

/** The seed of a fuzz run: fixed for CI, overridable to reproduce or explore. */
export function fuzzSeed(fallback: number): number {
  const given = Number(process.env['LIULIU_FUZZ_SEED']);
  return Number.isInteger(given) && given > 0 ? given : fallback;
}
