/**
 * ID card reader latency: from "card placed" in the simulator to the driver's
 * cardPlaced event, over a real socat pty with the simulator holding every
 * answer back by its wire time at 115200 baud (a pty itself moves bytes
 * instantly). Printed beside the wire-time floor of one find/select/read
 * cycle. Last line: one JSON object.
 *
 *   npx tsx scripts/bench-idcard.ts [--reads 200] [--interval 300] [--no-wire-pacing]
 *
 * `arrival` is the hook for measuring further downstream (e.g. "session
 * started" in the host): it is awaited right after each placement, and the
 * default waits for the reader's cardPlaced event.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { readCycleWireTimeMs } from '../devices/idcard/commands.js';
import { IdCardReader } from '../devices/idcard/reader.js';
import { SerialChannel } from '../devices/idcard/serial-channel.js';
import { EXAMPLE_B_2000, LI_XIUYING_1950, ZHANG_SANFENG } from '../devices/idcard/sim/cards.js';
import { IdCardReaderSimulator } from '../devices/idcard/sim/simulator.js';

const BAUD = 115200;

export type ArrivalHook = (reader: IdCardReader, simulator: IdCardReaderSimulator) => Promise<void>;

export interface IdCardBenchOptions {
  reads: number;
  pollIntervalMs: number;
  wirePacing: boolean;
  arrival?: ArrivalHook;
}

export interface IdCardBenchResult {
  bench: 'idcard';
  reads: number;
  baudRate: number;
  pollIntervalMs: number;
  wirePacing: boolean;
  wireTimeMs: number;
  targetMs: number;
  /** Placement → arrival: includes waiting for the next find poll (≈ interval ÷ 2 on average). */
  placedToEvent: Stats;
  /** First find after placement → arrival: the find/select/read cycle the driver controls. */
  findToEvent: Stats;
  medianWithinTarget: boolean;
  cycleMedianWithinTarget: boolean;
}

interface Stats {
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

const waitForCardPlaced: ArrivalHook = (reader) =>
  new Promise((resolve) => {
    const off = reader.events.on('cardPlaced', () => {
      off();
      resolve();
    });
  });

export async function runIdCardBench(options: IdCardBenchOptions): Promise<IdCardBenchResult> {
  const simulator = await IdCardReaderSimulator.start(options.wirePacing ? { wireBaudRate: BAUD } : {});
  const reader = new IdCardReader({
    openChannel: () => new SerialChannel({ path: simulator.driverPath, baudRate: BAUD }),
    logger: pino({ level: 'silent' }),
    pollIntervalMs: options.pollIntervalMs,
    // Removal speed is not measured; one empty find re-arms the reader sooner.
    removalPolls: 1,
  });
  const arrival = options.arrival ?? waitForCardPlaced;
  const cards = [ZHANG_SANFENG, LI_XIUYING_1950, EXAMPLE_B_2000];
  const placedToEvent: number[] = [];
  const findToEvent: number[] = [];
  let firstFindAfter: number | undefined;
  let placedAt = 0;
  simulator.onCommand((command, at) => {
    if (command === 'findCard' && firstFindAfter === undefined && at >= placedAt) firstFindAfter = at;
  });
  try {
    await reader.start();
    await until(reader, () => reader.health().state === 'ok');
    for (let i = 0; i < options.reads; i++) {
      // A random phase against the poll timer, as with a real hand.
      await sleep(Math.random() * options.pollIntervalMs);
      const arrived = arrival(reader, simulator);
      firstFindAfter = undefined;
      placedAt = performance.now();
      simulator.placeCard(cards[i % cards.length] ?? ZHANG_SANFENG);
      await arrived;
      const done = performance.now();
      placedToEvent.push(done - placedAt);
      findToEvent.push(done - (firstFindAfter ?? placedAt));
      const removed = new Promise<void>((resolve) => {
        const off = reader.events.on('cardRemoved', () => {
          off();
          resolve();
        });
      });
      simulator.removeCard();
      await removed;
    }
  } finally {
    await reader.stop();
    await simulator.close();
  }
  const wireTimeMs = readCycleWireTimeMs(BAUD);
  const targetMs = wireTimeMs + 50;
  const total = stats(placedToEvent);
  const cycle = stats(findToEvent);
  return {
    bench: 'idcard',
    reads: options.reads,
    baudRate: BAUD,
    pollIntervalMs: options.pollIntervalMs,
    wirePacing: options.wirePacing,
    wireTimeMs: round(wireTimeMs),
    targetMs: round(targetMs),
    placedToEvent: total,
    findToEvent: cycle,
    medianWithinTarget: total.medianMs <= targetMs,
    cycleMedianWithinTarget: cycle.medianMs <= targetMs,
  };
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)), minMs: round(sorted[0] ?? Number.NaN), maxMs: round(sorted.at(-1) ?? Number.NaN) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(reader: IdCardReader, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`reader not ready: ${JSON.stringify(reader.health())}`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reads: { type: 'string', default: '200' },
      interval: { type: 'string', default: '300' },
      'no-wire-pacing': { type: 'boolean', default: false },
    },
  });
  const result = await runIdCardBench({ reads: Number(values.reads), pollIntervalMs: Number(values.interval), wirePacing: !values['no-wire-pacing'] });
  const row = (label: string, s: Stats): string => `${label.padEnd(34)} ${String(s.medianMs).padStart(8)} ${String(s.p95Ms).padStart(8)} ${String(s.minMs).padStart(8)} ${String(s.maxMs).padStart(8)}`;
  console.log(`ID card reader: ${result.reads} reads over a socat pty at ${result.baudRate} baud, poll interval ${result.pollIntervalMs} ms, wire pacing ${result.wirePacing ? 'on' : 'off'}`);
  console.log(`${'ms'.padEnd(34)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}`);
  console.log(row('placed → cardPlaced', result.placedToEvent));
  console.log(row('first find after placing → event', result.findToEvent));
  console.log(`${'wire time (floor)'.padEnd(34)} ${String(result.wireTimeMs).padStart(8)}`);
  console.log(`${'target (floor + 50)'.padEnd(34)} ${String(result.targetMs).padStart(8)}`);
  console.log(`median within target: placed→event ${result.medianWithinTarget ? 'yes' : 'no'}, find→event ${result.cycleMedianWithinTarget ? 'yes' : 'no'}`);
  console.log(JSON.stringify(result));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
