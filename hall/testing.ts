import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { z } from 'zod';
import { Hall } from '../electron/host/content/schema.js';
import { silentLogger } from '../electron/host/logging/logger.js';
import { DataKey } from '../electron/host/storage/crypto.js';
import { Database } from '../electron/host/storage/database.js';
import { Outbox, outboxMigrations } from '../electron/host/storage/outbox.js';
import { hashPin } from '../electron/host/staff/credentials.js';
import { HallQueueService, type CounterAccount, type HallQueueServiceOptions } from './service.js';
import { startHallSync, type HallSync, type HallSyncOptions } from './sync.js';
import { helloProof } from './protocol/hello-proof.js';

/** Shared fixtures of the queue tests (not used by production code). */
const REPO_ROOT = new URL('../', import.meta.url).pathname;
export const hall: Hall = Hall.parse(JSON.parse(readFileSync(new URL('../content/hall/hall.json', import.meta.url), 'utf8')));

/** A clock the test moves by hand. Starts at `iso` (give it with +08:00 for readability). */
export class TestClock {
  private current: number;
  constructor(iso: string) {
    this.current = Date.parse(iso);
  }
  now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
}

export const PIN = '2468';
const pinHash = hashPin(PIN);
export const counters: CounterAccount[] = Array.from({ length: 12 }, (_, i) => ({ staffId: `s${i + 1}`, pinHash }));

export interface Fixture {
  dir: string;
  db: Database;
  outbox: Outbox;
  service: HallQueueService;
  clock: TestClock;
  cleanup(): Promise<void>;
}

/** The service's own sync from a fixture to a (loopback) platform; hour-long intervals, so a test drives every round itself. */
export function startFixtureSync(f: Fixture, platform: { url: string }, terminal: { id: string; secret: string }, extra: Partial<HallSyncOptions> = {}): Promise<HallSync> {
  return startHallSync({
    db: f.db,
    outbox: f.outbox,
    logger: silentLogger(),
    now: f.clock.now,
    service: f.service,
    appVersion: 'test',
    health: () => ({}),
    config: { baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, batchSize: 100, intervalMs: 3_600_000, retentionDays: 7 },
    ...extra,
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function openDatabase(file: string): Promise<Database> {
  const db = await Database.open(file);
  await db.migrate('outbox', outboxMigrations);
  return db;
}

export async function serviceFixture(start = '2026-11-25T09:00:00+08:00', extra: Partial<HallQueueServiceOptions> = {}): Promise<Fixture> {
  const dir = tempDir('liuliu-queue-');
  const db = await openDatabase(join(dir, 'hall.db'));
  const outbox = new Outbox(DataKey.loadOrCreate(join(dir, 'keys', 'data.key')));
  const clock = new TestClock(start);
  const service = await HallQueueService.open({ hall, db, outbox, logger: silentLogger(), now: clock.now, kioskId: 'kiosk-1', counters, ...extra });
  return {
    dir,
    db,
    outbox,
    service,
    clock,
    cleanup: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let requestSeq = 0;
export function requestId(): string {
  requestSeq++;
  return `req-${String(requestSeq).padStart(6, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The standalone service (hall/main.ts) as a child process; `node --import tsx` runs it in that one process, so SIGKILL really kills it. */
export interface HallChild {
  child: ChildProcess;
  port: number;
  httpUrl: string;
}

export async function spawnHallService(args: readonly string[]): Promise<HallChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hall/main.ts', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hall service exited with ${code}`)));
  });
  const { listening, httpUrl } = z.object({ listening: z.number(), httpUrl: z.string() }).parse(JSON.parse(line));
  return { child, port: listening, httpUrl };
}

export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { recordingLogger } from '../electron/host/logging/logger.js';

const TestReply = z.object({ type: z.literal('result'), id: z.number(), result: z.looseObject({ ok: z.boolean(), value: z.unknown().optional(), error: z.looseObject({ code: z.string(), message: z.string() }).optional() }) });
/** A call's result as the tests read it (they check `ok`, the error code, and parse `value` themselves). */
export type TestReply = z.infer<typeof TestReply>['result'];

/**
 * A raw protocol socket: answers the service's challenge with a proof of
 * `key` for `role` (a page key, the hall secret, a kiosk's key; `kioskId`
 * for kiosks), asks for no events, and returns `call(method, params)`.
 * Terminated through `cleanups`.
 */
export async function testSocket(
  url: string,
  role: 'kiosk' | 'counter' | 'display' | 'stats',
  key: string,
  cleanups: Array<() => Promise<void> | void>,
  kioskId?: string,
): Promise<(method: string, params: unknown) => Promise<TestReply>> {
  const socket = new WebSocket(url);
  cleanups.push(() => socket.terminate());
  const replies = new Map<number, (r: TestReply) => void>();
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const m = z.looseObject({ type: z.string(), nonce: z.string().optional() }).parse(JSON.parse(String(data)));
      if (m.type === 'challenge') socket.send(JSON.stringify({ type: 'hello', role, kioskId, proof: helloProof(key, m.nonce ?? '', role, kioskId), events: false }));
      else if (m.type === 'welcome') resolve();
      else if (m.type === 'result') {
        const r = TestReply.parse(m);
        replies.get(r.id)?.(r.result);
      }
    });
    socket.on('close', (code) => reject(new Error(`closed ${code}`)));
  });
  let id = 0;
  return (method, params) =>
    new Promise<TestReply>((resolve) => {
      id++;
      replies.set(id, resolve);
      socket.send(JSON.stringify({ type: 'call', id, method, params }));
    });
}
