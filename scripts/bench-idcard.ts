/**
 * Resident ID-card login, end to end: from "card placed" in the simulator to
 * "session started" in a real host (startHost, temp data dir, the simulated
 * reader on a socat pty holding every answer back by its wire time at 115200
 * baud), seen as the renderer sees it: `session.changed` through the
 * in-memory pipe and the renderer's API client. Each session ends with a
 * logout and the card is lifted before the next one. The first row runs the
 * driver's default poll interval (no `pollIntervalMs` in the config), the
 * others the intervals asked for, printed beside the wire-time floor of one
 * find/select/read cycle.
 *
 * Idle cost per row: the host's CPU time (driver and in-process simulator
 * together, so an upper bound for the driver) over a few seconds with no card
 * in the field, against a host without a reader; and the share of the line
 * the finds take.
 *
 * Then host memory: RSS before and after 10,000 login/logout cycles (card
 * records handed straight to the SessionManager, logout over the API) plus a
 * few hundred over the real pty path, with a forced GC before each reading.
 *
 *   npx tsx --expose-gc scripts/bench-idcard.ts [--reads 200] [--intervals default,300]
 *       [--idle-seconds 5] [--cycles 10000] [--pty-cycles 300] [--no-wire-pacing]
 *
 * Last line: one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { COMMAND_FRAME_BYTES, COMMANDS, readCycleWireTimeMs } from '../devices/idcard/commands.js';
import { wireTimeMs as frameWireTimeMs } from '../devices/idcard/frame.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../devices/idcard/reader.js';
import type { CardRead } from '../devices/idcard/index.js';
import { DEMO_CARDS } from '../devices/idcard/sim/cards.js';
import type { DemoCardName } from '../devices/idcard/sim/cards.js';
import { localIsoDate, validateResidentCard } from '../devices/idcard/validate.js';
import type { EventName, EventPayload } from '../electron/contract/index.js';
import { parseConfig } from '../electron/host/config/load.js';
import { startHost } from '../electron/host/index.js';
import type { KioskHost } from '../electron/host/index.js';
import { memoryPipe } from '../electron/host/rpc/memory-transport.js';
import { createApiClient } from '../renderer/src/api/client.js';
import type { ApiClient } from '../renderer/src/api/client.js';

const BAUD = 115200;
const LOGIN_CARDS: DemoCardName[] = ['zhang', 'elder', 'exampleB'];
const EVENT_TIMEOUT_MS = 15_000;
const RSS_TARGET_MB = 5;

interface Stats {
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

interface LatencyRow {
  pollIntervalMs: number;
  /** The row ran without pollIntervalMs in the config: the driver's default. */
  isDefault: boolean;
  reads: number;
  /** The main figure: placement in the simulator → `session.changed` (citizen) at the client. */
  placedToSession: Stats;
  /** `reading` notice → session: select + read + decode + host, without the wait for the next find. */
  readingToSession: Stats;
  medianWithinTarget: boolean;
  /** Cards the driver gave up on (notice `failed`), left out of the figures. */
  readFailures: number;
  idle: IdleCost;
}

interface IdleCost {
  /** Host CPU (driver + in-process simulator) with no card in the field, % of one core, minus the same host without a reader. */
  cpuPercentOverBaseline: number;
  cpuPercent: number;
  baselineCpuPercent: number;
  /** Finds per second and the share of a 115200 line they occupy (command + longest answer). */
  findsPerSecond: number;
  lineSharePercent: number;
}

interface MemoryResult {
  directCycles: number;
  ptyCycles: number;
  /** Pty logins the driver gave up on (counted, card lifted, next cycle). */
  ptyReadFailures: number;
  pollIntervalMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssGrowthMb: number;
  heapUsedBeforeMb: number;
  heapUsedAfterMb: number;
  targetMb: number;
  withinTarget: boolean;
  /** false when node ran without --expose-gc: the figures then include garbage. */
  forcedGc: boolean;
}

/** A real host on a temp data dir with the simulated reader, and a renderer-side client on an in-memory pipe. */
interface BenchHost {
  host: KioskHost;
  client: ApiClient;
  /** Resolves when the driver has seen the card leave (and so accepts the next one). */
  cardRemoved(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The host logs through a pino logger whose only destination is this tap:
 * the driver's "card removed" line is how the bench knows the reader takes
 * the next card (removal reaches the renderer only under `onCardRemoved: end`).
 */
async function startBenchHost(pollIntervalMs: number | undefined, wirePacing: boolean, reader = true): Promise<BenchHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-bench-idcard-'));
  const removalWaiters: Array<() => void> = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        if (line.includes('"msg":"idcard: card removed"')) removalWaiters.splice(0).forEach((resolve) => resolve());
      },
    },
  );
  const config = parseConfig(
    {
      developerMode: true,
      // Long enough that no session times out under the bench.
      session: { idleTimeoutSeconds: 3600, countdownSeconds: 60 },
      devices: {
        idcard: reader ? { kind: 'simulator', ...(pollIntervalMs !== undefined && { pollIntervalMs }), ...(wirePacing && { wireBaudRate: BAUD }) } : { kind: 'none' },
      },
      logging: { level: 'info' },
      queue: { listen: { port: 0 } },
    },
    'bench',
    { LIULIU_DATA_DIR: dataDir },
  );
  const host = await startHost(config, { logger }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const pipe = memoryPipe('bench');
  host.attach(pipe.host);
  const client = createApiClient(pipe.renderer);
  await until(async () => {
    const status = await client.call('devices.status', {});
    return status.ok && status.value.some((device) => device.device === 'idcard' && device.state === (reader ? 'ok' : 'disconnected'));
  }, 'the ID-card reader did not come up');
  return {
    host,
    client,
    cardRemoved: () => withTimeout(new Promise<void>((resolve) => removalWaiters.push(resolve)), 'card removal'),
    async stop() {
      pipe.host.close();
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The driver gave up on a card (notice `failed`): on a loaded machine the
 * in-process simulator can answer later than the driver's command timeouts,
 * three attempts in a row. Counted and reported, never timed.
 */
class ReadFailed extends Error {}

/** One login over the pty: place → session started; returns the timestamps. */
async function ptyLogin(bench: BenchHost, cardId: DemoCardName): Promise<{ placedAt: number; readingAt: number; startedAt: number }> {
  const reading = nextEvent(bench.client, 'card.notice', (n) => n.state === 'reading');
  const started = nextEvent(bench.client, 'session.changed', (e) => e.session?.kind === 'citizen');
  let failed: () => void = () => undefined;
  const readFailed = new Promise<never>((_, reject) => {
    failed = () => reject(new ReadFailed(`the driver could not read card ${cardId}`));
  });
  const off = bench.client.on('card.notice', (notice) => {
    if (notice.state === 'failed') failed();
  });
  try {
    const placedAt = performance.now();
    const placed = await bench.client.call('dev.idcard.place', { cardId });
    if (!placed.ok) throw new Error(`dev.idcard.place: ${placed.error.message}`);
    const [readingAt, startedAt] = await Promise.race([Promise.all([reading.then((e) => e.at), started.then((e) => e.at)]), readFailed]);
    return { placedAt, readingAt, startedAt };
  } finally {
    off();
    reading.catch(() => undefined);
    started.catch(() => undefined);
  }
}

/** A login that may fail to read: the card is lifted and the failure counted; returns null then. */
async function ptyLoginOrCount(bench: BenchHost, cardId: DemoCardName, failures: { count: number }): Promise<{ placedAt: number; readingAt: number; startedAt: number } | null> {
  try {
    return await ptyLogin(bench, cardId);
  } catch (error) {
    if (!(error instanceof ReadFailed)) throw error;
    failures.count += 1;
    const removed = bench.cardRemoved();
    await bench.client.call('dev.idcard.remove', {});
    await removed;
    return null;
  }
}

/** Logout over the API, then the card is lifted and the driver has seen it go. */
async function logoutAndLift(bench: BenchHost): Promise<void> {
  await logout(bench);
  const removed = bench.cardRemoved();
  await bench.client.call('dev.idcard.remove', {});
  await removed;
}

async function logout(bench: BenchHost): Promise<void> {
  const ended = nextEvent(bench.client, 'session.changed', (e) => e.session === null);
  const result = await bench.client.call('session.end', { reason: 'logout' });
  if (!result.ok) throw new Error(`session.end: ${result.error.message}`);
  await ended;
}

/** Host CPU time over `seconds` of doing nothing, as % of one core. */
async function idleCpuPercent(seconds: number): Promise<number> {
  await sleep(500);
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(cpu);
  return round(((used.user + used.system) / 1000 / (performance.now() - wall)) * 100);
}

async function measureIdleBaseline(seconds: number): Promise<number> {
  const bench = await startBenchHost(undefined, false, false);
  try {
    return await idleCpuPercent(seconds);
  } finally {
    await bench.stop();
  }
}

async function measureLatency(
  interval: number | undefined,
  reads: number,
  wirePacing: boolean,
  targetMs: number,
  idle: { seconds: number; baselineCpuPercent: number },
): Promise<LatencyRow> {
  const pollIntervalMs = interval ?? DEFAULT_POLL_INTERVAL_MS;
  const bench = await startBenchHost(interval, wirePacing);
  const placedToSession: number[] = [];
  const readingToSession: number[] = [];
  const readFailures = { count: 0 };
  let idleCost: IdleCost;
  try {
    const cpuPercent = await idleCpuPercent(idle.seconds);
    const findMs = frameWireTimeMs(COMMAND_FRAME_BYTES + COMMANDS.findCard.maxResponseBytes, BAUD);
    const findsPerSecond = 1000 / (pollIntervalMs + findMs);
    idleCost = {
      cpuPercent,
      baselineCpuPercent: idle.baselineCpuPercent,
      cpuPercentOverBaseline: round(cpuPercent - idle.baselineCpuPercent),
      findsPerSecond: round(findsPerSecond),
      lineSharePercent: round((findsPerSecond * findMs) / 10),
    };
    for (let i = 0; i < reads; i++) {
      // A random phase against the poll timer, as with a real hand.
      await sleep(Math.random() * pollIntervalMs);
      const t = await ptyLoginOrCount(bench, LOGIN_CARDS[i % LOGIN_CARDS.length] ?? 'zhang', readFailures);
      if (t === null) continue;
      placedToSession.push(t.startedAt - t.placedAt);
      readingToSession.push(t.startedAt - t.readingAt);
      await logoutAndLift(bench);
    }
  } finally {
    await bench.stop();
  }
  const total = stats(placedToSession);
  return {
    pollIntervalMs,
    isDefault: interval === undefined,
    reads,
    placedToSession: total,
    readingToSession: stats(readingToSession),
    medianWithinTarget: total.medianMs <= targetMs,
    readFailures: readFailures.count,
    idle: idleCost,
  };
}

/** The card records the reader would hand over, built once (as the driver would per read). */
function cardReads(): CardRead[] {
  const today = localIsoDate(new Date());
  return LOGIN_CARDS.map((id) => {
    const validation = validateResidentCard(DEMO_CARDS[id].fields, today);
    if (!validation.ok) throw new Error(`demo card ${id} does not validate`);
    return { record: validation.record, appendedAddress: null, expired: false, readAt: new Date().toISOString() };
  });
}

async function measureMemory(directCycles: number, ptyCycles: number, pollIntervalMs: number, wirePacing: boolean): Promise<MemoryResult> {
  const bench = await startBenchHost(pollIntervalMs, wirePacing);
  const reads = cardReads();
  const directCycle = async (i: number): Promise<void> => {
    const started = nextEvent(bench.client, 'session.changed', (e) => e.session?.kind === 'citizen');
    bench.host.sessions.cardPlaced({ ...(reads[i % reads.length] as CardRead), readAt: new Date().toISOString() });
    await started;
    await logout(bench);
  };
  const readFailures = { count: 0 };
  const ptyCycle = async (i: number): Promise<void> => {
    if ((await ptyLoginOrCount(bench, LOGIN_CARDS[i % LOGIN_CARDS.length] ?? 'zhang', readFailures)) !== null) await logoutAndLift(bench);
  };
  try {
    // Warm-up: JIT, pools and caches reach their working size before the first reading.
    for (let i = 0; i < 200; i++) await directCycle(i);
    for (let i = 0; i < 10; i++) await ptyCycle(i);
    const before = await settledMemory();
    for (let i = 0; i < directCycles; i++) {
      await directCycle(i);
      // After a forced GC: without it the figure climbs with garbage V8 has not collected yet, which is not growth.
      if ((i + 1) % 1000 === 0) process.stderr.write(`  ${i + 1} direct cycles, rss after GC ${mb((await settledMemory(1)).rss)} MB\n`);
    }
    for (let i = 0; i < ptyCycles; i++) await ptyCycle(i);
    const after = await settledMemory();
    const growth = after.rss - before.rss;
    return {
      directCycles,
      ptyCycles,
      ptyReadFailures: readFailures.count,
      pollIntervalMs,
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      rssGrowthMb: mb(growth),
      heapUsedBeforeMb: mb(before.heapUsed),
      heapUsedAfterMb: mb(after.heapUsed),
      targetMb: RSS_TARGET_MB,
      withinTarget: growth <= RSS_TARGET_MB * 1024 * 1024,
      forcedGc: typeof globalThis.gc === 'function',
    };
  } finally {
    await bench.stop();
  }
}

async function settledMemory(rounds = 3): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    await sleep(200);
  }
  return process.memoryUsage();
}

/** The next matching event at the client, with the moment it arrived. */
function nextEvent<E extends EventName>(client: ApiClient, event: E, accept: (payload: EventPayload<E>) => boolean): Promise<{ payload: EventPayload<E>; at: number }> {
  let off: () => void = () => undefined;
  const arrived = new Promise<{ payload: EventPayload<E>; at: number }>((resolve) => {
    off = client.on(event, (payload) => {
      if (!accept(payload)) return;
      off();
      resolve({ payload, at: performance.now() });
    });
  });
  return withTimeout(arrived, event).finally(off);
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${EVENT_TIMEOUT_MS} ms`)), EVENT_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function until(condition: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + EVENT_TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(failure);
    await sleep(50);
  }
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)), minMs: round(sorted[0] ?? Number.NaN), maxMs: round(sorted.at(-1) ?? Number.NaN) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function mb(bytes: number): number {
  return round(bytes / 1024 / 1024);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reads: { type: 'string', default: '200' },
      intervals: { type: 'string', default: 'default,300' },
      'idle-seconds': { type: 'string', default: '5' },
      cycles: { type: 'string', default: '10000' },
      'pty-cycles': { type: 'string', default: '300' },
      'no-wire-pacing': { type: 'boolean', default: false },
    },
  });
  const reads = Number(values.reads);
  // `default` = no pollIntervalMs in the config: what a hall gets without tuning.
  const intervals = values.intervals.split(',').map((text) => (text.trim() === 'default' ? undefined : Number(text)));
  const idleSeconds = Number(values['idle-seconds']);
  const wirePacing = !values['no-wire-pacing'];
  const wireTimeMs = readCycleWireTimeMs(BAUD);
  const targetMs = wireTimeMs + 50;
  if (typeof globalThis.gc !== 'function') console.error('note: run with --expose-gc (tsx --expose-gc …) for meaningful memory figures');

  console.log(`Resident ID-card login: card placed in the simulator → session started in the host (${reads} reads per row, socat pty, ${BAUD} baud, wire pacing ${wirePacing ? 'on' : 'off'})`);
  const baselineCpuPercent = await measureIdleBaseline(idleSeconds);
  console.log(
    `${'poll interval'.padEnd(18)} ${'placed→session median'.padStart(22)} ${'p95'.padStart(8)} ${'reading→session median'.padStart(23)} ${'p95'.padStart(8)} ${'wire floor'.padStart(11)} ${'target'.padStart(8)}  met  ${'idle CPU (+ over no reader)'.padStart(28)} ${'finds/s'.padStart(8)} ${'line'.padStart(6)}`,
  );
  const rows: LatencyRow[] = [];
  for (const interval of intervals) {
    const row = await measureLatency(interval, reads, wirePacing, targetMs, { seconds: idleSeconds, baselineCpuPercent });
    rows.push(row);
    const label = row.isDefault ? `default (${row.pollIntervalMs} ms)` : `${row.pollIntervalMs} ms`;
    console.log(
      `${label.padEnd(18)} ${String(row.placedToSession.medianMs).padStart(22)} ${String(row.placedToSession.p95Ms).padStart(8)} ${String(row.readingToSession.medianMs).padStart(23)} ${String(row.readingToSession.p95Ms).padStart(8)} ${String(round(wireTimeMs)).padStart(11)} ${String(round(targetMs)).padStart(8)}  ${(row.medianWithinTarget ? 'yes' : 'no').padEnd(3)}  ${`${row.idle.cpuPercent} % (+${row.idle.cpuPercentOverBaseline})`.padStart(28)} ${String(row.idle.findsPerSecond).padStart(8)} ${`${row.idle.lineSharePercent} %`.padStart(6)}`,
    );
  }
  const failures = rows.filter((row) => row.readFailures > 0).map((row) => `${row.pollIntervalMs} ms: ${row.readFailures}`);
  if (failures.length > 0) console.log(`cards the driver gave up on (command timeouts on a loaded machine; left out of the figures): ${failures.join(', ')}`);
  console.log(`idle CPU: the host over ${idleSeconds} s with no card in the field, % of one core; a host without a reader: ${baselineCpuPercent} %`);

  const memoryInterval = rows[0]?.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const memory = await measureMemory(Number(values.cycles), Number(values['pty-cycles']), memoryInterval, wirePacing);
  console.log('');
  console.log(`Host memory over ${memory.directCycles} login/logout cycles (SessionManager) + ${memory.ptyCycles} over the pty (poll ${memory.pollIntervalMs} ms), forced GC ${memory.forcedGc ? 'yes' : 'NO'}`);
  console.log(`RSS ${memory.rssBeforeMb} → ${memory.rssAfterMb} MB (growth ${memory.rssGrowthMb} MB, target ≤ ${memory.targetMb} MB: ${memory.withinTarget ? 'met' : 'missed'}); heap used ${memory.heapUsedBeforeMb} → ${memory.heapUsedAfterMb} MB; pty reads the driver gave up on: ${memory.ptyReadFailures}`);

  const result = {
    bench: 'idcard',
    baudRate: BAUD,
    wirePacing,
    wireTimeMs: round(wireTimeMs),
    targetMs: round(targetMs),
    defaultPollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
    latency: rows,
    targetMetAt: rows.filter((row) => row.medianWithinTarget).map((row) => row.pollIntervalMs),
    memory,
  };
  console.log(JSON.stringify(result));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
