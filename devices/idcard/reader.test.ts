/**
 * Integration: the real serialport driver against the simulator over a real
 * socat pty pair. Waits are generous and event-driven; nothing asserts timing.
 */
import { existsSync } from 'node:fs';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../device.js';
import type { CommandName } from './commands.js';
import { IdCardReader } from './reader.js';
import type { CardRead, IdCardReaderEvents, IdCardReaderOptions, ReadErrorEvent } from './reader.js';
import { SerialChannel } from './serial-channel.js';
import { BAD_CHECK_DIGIT, EXAMPLE_B_2000, FOREIGNER_CARD, LI_XIUYING_1950, ZHANG_SANFENG } from './sim/cards.js';
import type { SimCard } from './sim/cards.js';
import { IdCardReaderSimulator } from './sim/simulator.js';
import { localIsoDate, validateResidentCard } from './validate.js';

const WAIT_MS = 15_000;

let sim: IdCardReaderSimulator;
let reader: IdCardReader | undefined;
const seen: { placed: CardRead[]; errors: ReadErrorEvent[]; removed: number; health: DeviceHealth[]; commands: (CommandName | undefined)[]; cardEvents: string[] } = {
  placed: [],
  errors: [],
  removed: 0,
  health: [],
  commands: [],
  cardEvents: [],
};

beforeEach(async () => {
  sim = await IdCardReaderSimulator.start();
  seen.placed = [];
  seen.errors = [];
  seen.removed = 0;
  seen.health = [];
  seen.commands = [];
  seen.cardEvents = [];
  sim.onCommand((command) => seen.commands.push(command));
});

afterEach(async () => {
  await reader?.stop();
  reader = undefined;
  await sim.close();
});

async function startReader(options: Partial<IdCardReaderOptions> = {}): Promise<IdCardReader> {
  const started = new IdCardReader({
    openChannel: () => new SerialChannel({ path: sim.driverPath }),
    logger: pino({ level: 'silent' }),
    pollIntervalMs: 100,
    // Loaded CI machines: a 100 ms find timeout is too tight to be reliable.
    timeoutScale: 3,
    reconnectMinMs: 100,
    reconnectMaxMs: 500,
    ...options,
  });
  started.events.on('cardPlaced', (read) => seen.placed.push(read));
  started.events.on('readError', (error) => seen.errors.push(error));
  started.events.on('cardRemoved', () => seen.removed++);
  for (const event of ['reading', 'cardPlaced', 'readError', 'cardRemoved'] as const) started.events.on(event, () => seen.cardEvents.push(event));
  started.events.on('health', (health) => seen.health.push(health));
  reader = started;
  await started.start();
  await next(started, 'health', (h) => h.state === 'ok');
  return started;
}

/** Resolves with the next event matching `accept` (or the current health, if it already matches). */
function next<K extends keyof IdCardReaderEvents>(target: IdCardReader, event: K, accept: (payload: IdCardReaderEvents[K]) => boolean = () => true): Promise<IdCardReaderEvents[K]> {
  if (event === 'health' && accept(target.health() as IdCardReaderEvents[K])) return Promise.resolve(target.health() as IdCardReaderEvents[K]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(event)} within ${WAIT_MS} ms (health: ${JSON.stringify(target.health())})`));
    }, WAIT_MS);
    const off = target.events.on(event, (payload) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

function expectedRecord(card: SimCard): unknown {
  const validation = validateResidentCard(card.fields, localIsoDate(new Date()));
  if (!validation.ok) throw new Error('demo card must be valid');
  return validation.record;
}

/** Lets the polling loop run a few cycles (for "nothing happened" checks). */
function settle(ms = 800): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('IdCardReader over a pty', () => {
  it('reads a placed card end to end, once, and reports its removal', async () => {
    const r = await startReader();
    expect(r.health()).toMatchObject({ state: 'ok', endpoint: `serial:${sim.driverPath}@115200` });
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    const read = await placed;
    expect(read.record).toEqual(expectedRecord(ZHANG_SANFENG));
    expect(read.expired).toBe(false);
    expect(read.appendedAddress).toBeNull();
    expect(Object.keys(read)).not.toContain('photo');
    expect(JSON.stringify(read)).not.toMatch(/photo/i);

    await settle();
    expect(seen.placed).toHaveLength(1);

    const removed = next(r, 'cardRemoved');
    sim.removeCard();
    await removed;

    const second = next(r, 'cardPlaced');
    sim.placeCard(EXAMPLE_B_2000);
    expect((await second).record).toEqual(expectedRecord(EXAMPLE_B_2000));
  });

  it('reads the appended address when asked to', async () => {
    const r = await startReader({ readNewestAddress: true });
    const placed = next(r, 'cardPlaced');
    sim.placeCard(LI_XIUYING_1950);
    const read = await placed;
    expect(read.record.validTo).toBe('long-term');
    expect(read.appendedAddress).toBe('湖南省浏阳市关口街道示例路18号');
    expect(seen.commands).toContain('readNewestAddress');
  });

  it('refuses a card with a wrong check digit and waits for its removal', async () => {
    const r = await startReader();
    const refused = next(r, 'readError');
    sim.placeCard(BAD_CHECK_DIGIT);
    const error = await refused;
    expect(error).toMatchObject({ code: 'invalid-card', messageZh: '身份证信息有误：公民身份号码校验位错误' });
    expect(error.problems?.map((p) => p.code)).toEqual(['id-check-digit']);
    await settle();
    expect(seen.errors).toHaveLength(1);
    expect(seen.placed).toHaveLength(0);
    const removed = next(r, 'cardRemoved');
    sim.removeCard();
    await removed;
  });

  it('refuses a foreigner card as not a resident ID card', async () => {
    const r = await startReader();
    const refused = next(r, 'readError');
    sim.placeCard(FOREIGNER_CARD);
    expect(await refused).toMatchObject({ code: 'not-resident-card', message: expect.stringContaining('foreign permanent resident') });
  });

  it('reads nothing while the reader finds no card, then reads once it does', async () => {
    const r = await startReader();
    sim.setFault({ kind: 'no-card' });
    sim.placeCard(ZHANG_SANFENG);
    await settle();
    expect(seen.placed).toHaveLength(0);
    const placed = next(r, 'cardPlaced');
    sim.setFault(null);
    await placed;
  });

  it.each([
    ['select failure (81)', { kind: 'select-fails', times: 1 }, 'selectCard'],
    ['read failure (41)', { kind: 'read-fails', times: 1 }, 'readBase'],
    ['a corrupted checksum', { kind: 'bad-checksum', times: 1 }, 'readBase'],
  ] as const)('retries after %s and then reads the card', async (_label, fault, retried) => {
    const r = await startReader();
    sim.setFault(fault);
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    expect((await placed).record).toEqual(expectedRecord(ZHANG_SANFENG));
    // The first answer was spoiled (times: 1), so reading needed a second try; a slow host may add more.
    expect(seen.commands.filter((c) => c === retried).length).toBeGreaterThanOrEqual(2);
    expect(seen.errors).toEqual([]);
  });

  it.each([
    ['select', { kind: 'select-fails' }],
    ['read', { kind: 'read-fails' }],
  ] as const)('gives up with read-failed when every %s fails, then reads a re-placed card', async (_label, fault) => {
    const r = await startReader({ readAttempts: 2 });
    sim.setFault(fault);
    const failed = next(r, 'readError');
    sim.placeCard(ZHANG_SANFENG);
    expect(await failed).toMatchObject({ code: 'read-failed', messageZh: '读卡失败，请取走身份证后重新放置' });
    sim.setFault(null);
    const removed = next(r, 'cardRemoved');
    sim.removeCard();
    await removed;
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    await placed;
  });

  it.each([
    ['split into 3-byte pieces', { kind: 'split', chunkBytes: 3, gapMs: 1 }],
    ['split into 200-byte pieces', { kind: 'split', chunkBytes: 200, gapMs: 5 }],
    ['glued to noise and a stale frame', { kind: 'glued' }],
  ] as const)('reads a card when every answer is %s', async (_label, fault) => {
    sim.setFault(fault);
    const r = await startReader();
    const placed = next(r, 'cardPlaced');
    sim.placeCard(EXAMPLE_B_2000);
    expect((await placed).record).toEqual(expectedRecord(EXAMPLE_B_2000));
    const removed = next(r, 'cardRemoved');
    sim.removeCard();
    await removed;
  });

  it('waits for a slow answer that stays within the timeout', async () => {
    const r = await startReader();
    sim.setFault({ kind: 'slow', delayMs: 800, command: 'readBase' });
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    await placed;
    expect(seen.commands.filter((c) => c === 'readBase')).toHaveLength(1);
  });

  it('says `reading` when a new card is found, while its slow read is still in flight, and only once per card', async () => {
    const r = await startReader();
    sim.setFault({ kind: 'slow', delayMs: 1200, command: 'readBase' });
    const reading = next(r, 'reading');
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    await reading;
    // The read answer is held back 1.2 s: nothing has been read yet when `reading` comes.
    expect(seen.placed).toHaveLength(0);
    expect(seen.commands).not.toContain('readBase');
    await placed;
    await settle();
    // The card stays on the reader: it is neither read nor announced again.
    expect(seen.cardEvents).toEqual(['reading', 'cardPlaced']);

    sim.setFault(null);
    const removed = next(r, 'cardRemoved');
    sim.removeCard();
    await removed;
    const again = next(r, 'cardPlaced');
    sim.placeCard(EXAMPLE_B_2000);
    await again;
    expect(seen.cardEvents).toEqual(['reading', 'cardPlaced', 'cardRemoved', 'reading', 'cardPlaced']);
  });

  it('follows `reading` with readError when the read fails', async () => {
    const r = await startReader({ readAttempts: 2 });
    sim.setFault({ kind: 'read-fails' });
    const failed = next(r, 'readError');
    sim.placeCard(ZHANG_SANFENG);
    await failed;
    expect(seen.cardEvents).toEqual(['reading', 'readError']);
  });

  it('answers `reading` with read-failed when the reader vanishes mid-read', async () => {
    const r = await startReader();
    sim.setFault({ kind: 'slow', delayMs: 3000, command: 'readBase' });
    const reading = next(r, 'reading');
    const failed = next(r, 'readError');
    sim.placeCard(ZHANG_SANFENG);
    await reading;
    await sim.disconnect();
    expect(await failed).toMatchObject({ code: 'read-failed', messageZh: '读卡失败，请取走身份证后重新放置' });
    expect(seen.cardEvents).toEqual(['reading', 'readError']);
  });

  it('times out on an answer slower than the timeout, drops it when it comes late, and keeps working', async () => {
    const r = await startReader({ readAttempts: 2 });
    // Select times out after ≈ 3 × 105 ms; the answer comes after 1.5 s and holds up the ones behind it.
    sim.setFault({ kind: 'slow', delayMs: 1500, command: 'selectCard', times: 1 });
    const failed = next(r, 'readError');
    sim.placeCard(ZHANG_SANFENG);
    expect(await failed).toMatchObject({ code: 'read-failed' });
    const removed = next(r, 'cardRemoved');
    sim.removeCard();
    await removed;
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    expect((await placed).record).toEqual(expectedRecord(ZHANG_SANFENG));
  });

  it('takes the reader out of service on a SAM fault (60) and back when it recovers', async () => {
    const r = await startReader({ outOfServiceRecheckMs: 200 });
    const broken = next(r, 'health', (h) => h.state === 'error');
    sim.setFault({ kind: 'sam-fault', sw3: 0x60 });
    expect((await broken).reason).toMatchObject({ code: 'device.idcardOutOfService', params: { status: '0x60' } });
    const back = next(r, 'health', (h) => h.state === 'ok');
    sim.setFault(null);
    await back;
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    await placed;
  });

  it('reports out of service at start-up when the SAM is not authorised (66)', async () => {
    sim.setFault({ kind: 'sam-fault', sw3: 0x66 });
    const r = new IdCardReader({ openChannel: () => new SerialChannel({ path: sim.driverPath }), logger: pino({ level: 'silent' }), timeoutScale: 3, outOfServiceRecheckMs: 200 });
    reader = r;
    const broken = next(r, 'health', (h) => h.state === 'error');
    await r.start();
    expect((await broken).reason).toMatchObject({ code: 'device.idcardOutOfService', params: { status: '0x66', detail: expect.stringMatching(/authori[sz]/i) } });
    const back = next(r, 'health', (h) => h.state === 'ok');
    sim.setFault(null);
    await back;
  });

  it('reports a silent reader as not responding, re-opens it, and recovers when it answers again', async () => {
    const r = await startReader({ unresponsiveAfterTimeouts: 3 });
    const silent = next(r, 'health', (h) => h.state === 'error');
    sim.setFault({ kind: 'silent' });
    expect((await silent).reason).toEqual({ code: 'device.idcardUnresponsive', params: {} });
    const back = next(r, 'health', (h) => h.state === 'ok');
    sim.setFault(null);
    await back;
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    await placed;
  });

  it('goes disconnected when the reader is unplugged, and ok again with reads when it is back', async () => {
    const r = await startReader();
    const gone = next(r, 'health', (h) => h.state === 'disconnected');
    await sim.disconnect();
    expect(existsSync(sim.driverPath)).toBe(false);
    expect((await gone).reason?.code).toBe('device.idcardDisconnected');
    await settle(500);
    expect(r.health().state).toBe('disconnected');

    const back = next(r, 'health', (h) => h.state === 'ok');
    await sim.reconnect();
    await back;
    const placed = next(r, 'cardPlaced');
    sim.placeCard(ZHANG_SANFENG);
    expect((await placed).record).toEqual(expectedRecord(ZHANG_SANFENG));
  });

  it('waits for a reader that is absent at start-up', async () => {
    await sim.disconnect();
    const r = new IdCardReader({ openChannel: () => new SerialChannel({ path: sim.driverPath }), logger: pino({ level: 'silent' }), timeoutScale: 3, reconnectMinMs: 100, reconnectMaxMs: 300 });
    reader = r;
    const absent = next(r, 'health', (h) => h.state === 'disconnected');
    await r.start();
    await absent;
    const back = next(r, 'health', (h) => h.state === 'ok');
    await sim.reconnect();
    await back;
  });

  it('sends a SAM reset on open when configured', async () => {
    await startReader({ resetSamOnOpen: true });
    expect(seen.commands.slice(0, 3)).toEqual(['resetSam', 'samStatus', 'readSamId']);
  });

  it('reports a card halted after reading as removed and does not read it again', async () => {
    await sim.close();
    sim = await IdCardReaderSimulator.start({ haltAfterRead: true });
    const r = await startReader();
    const placed = next(r, 'cardPlaced');
    const removed = next(r, 'cardRemoved');
    sim.placeCard(ZHANG_SANFENG);
    await placed;
    await removed;
    await settle();
    expect(seen.placed).toHaveLength(1);
  });

  it('stops cleanly: no more commands, health says stopped', async () => {
    const r = await startReader();
    await r.stop();
    expect(r.health()).toMatchObject({ state: 'disconnected', reason: { code: 'device.stopped', params: {} } });
    const count = seen.commands.length;
    await settle(400);
    expect(seen.commands.length).toBe(count);
  });
});
