/** The simulator seen from the wire: raw frames over the real pty, no driver involved. */
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCommand, buildResponse, feedResponses } from '../commands.js';
import type { CommandName, ResponseFrame } from '../commands.js';
import { EMPTY_PARSER, buildFrame } from '../frame.js';
import type { ParserState } from '../frame.js';
import { ZHANG_SANFENG } from './cards.js';
import { IdCardReaderSimulator, simFaultSchema } from './simulator.js';

let sim: IdCardReaderSimulator;
let port: SerialPort;
let parser: ParserState = EMPTY_PARSER;
let frames: ResponseFrame[] = [];
let raw: Buffer[] = [];

async function openDriverSide(): Promise<void> {
  port = new SerialPort({ path: sim.driverPath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  port.on('data', (bytes: Buffer) => {
    raw.push(bytes);
    const result = feedResponses(parser, bytes);
    parser = result.state;
    frames.push(...result.frames);
  });
}

beforeEach(async () => {
  sim = await IdCardReaderSimulator.start();
  parser = EMPTY_PARSER;
  frames = [];
  raw = [];
  await openDriverSide();
});

afterEach(async () => {
  if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  await sim.close();
});

async function ask(bytes: Buffer): Promise<ResponseFrame> {
  const before = frames.length;
  raw = [];
  port.write(bytes);
  const deadline = Date.now() + 10_000;
  while (frames.length === before) {
    if (Date.now() > deadline) throw new Error('no answer from the simulator');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const frame = frames[before];
  if (!frame) throw new Error('unreachable');
  return frame;
}

const command = (name: CommandName): Promise<ResponseFrame> => ask(buildCommand(name));

describe('IdCardReaderSimulator on the wire', () => {
  it('answers the session of spec §3 and sends the spec read-base vector byte for byte', async () => {
    expect((await command('samStatus')).sw3).toBe(0x90);
    expect((await command('findCard')).sw3).toBe(0x80);
    sim.placeCard(ZHANG_SANFENG);
    expect(await command('findCard')).toMatchObject({ sw3: 0x9f, data: Buffer.alloc(4) });
    expect(await command('selectCard')).toMatchObject({ sw3: 0x90, data: Buffer.alloc(8) });
    const read = await command('readBase');
    expect(read.sw3).toBe(0x90);
    const wire = Buffer.concat(raw);
    expect(wire.length).toBe(1295);
    expect(wire.subarray(5, 7).toString('hex')).toBe('0508');
    expect(wire[1294]).toBe(0x16);
    expect((await command('readNewestAddress')).sw3).toBe(0x91);
    expect((await command('readSamId')).data.length).toBe(16);
  });

  it('reports the host framing errors and unknown commands as a module does', async () => {
    const bad = buildCommand('findCard');
    bad[9] = 0x00;
    expect((await ask(bad)).sw3).toBe(0x10);
    expect((await ask(buildFrame(Uint8Array.of(0x30, 0x05)))).sw3).toBe(0x21);
  });

  it('clears a fault after `times` affected answers', async () => {
    sim.placeCard(ZHANG_SANFENG);
    sim.setFault({ kind: 'select-fails', times: 1 });
    expect((await command('findCard')).sw3).toBe(0x9f);
    expect((await command('selectCard')).sw3).toBe(0x81);
    expect((await command('selectCard')).sw3).toBe(0x90);
  });

  it('corrupts checksums, splits and glues answers on demand', async () => {
    sim.placeCard(ZHANG_SANFENG);
    sim.setFault({ kind: 'bad-checksum', command: 'findCard', times: 1 });
    port.write(buildCommand('findCard'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const corrupted = Buffer.concat(raw);
    expect(corrupted.length).toBe(15);
    expect(corrupted.equals(buildResponse(0x9f, Buffer.alloc(4)))).toBe(false);
    expect(frames).toHaveLength(0);

    sim.setFault({ kind: 'glued' });
    expect((await command('findCard')).sw3).toBe(0x9f);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(frames).toHaveLength(2);

    sim.setFault({ kind: 'split', chunkBytes: 1, gapMs: 1 });
    expect((await command('selectCard')).sw3).toBe(0x90);
    expect(raw.length).toBeGreaterThan(1);
  });

  it('vanishes on disconnect and comes back at the same path', async () => {
    const path = sim.driverPath;
    await new Promise<void>((resolve) => port.close(() => resolve()));
    await sim.disconnect();
    expect(existsSync(path)).toBe(false);
    await sim.reconnect();
    expect(sim.driverPath).toBe(path);
    expect(existsSync(path)).toBe(true);
    await openDriverSide();
    expect((await command('samStatus')).sw3).toBe(0x90);
  });

  it('parses faults from JSON for the developer panel', () => {
    expect(simFaultSchema.parse({ kind: 'slow', delayMs: 500, command: 'readBase' })).toEqual({ kind: 'slow', delayMs: 500, command: 'readBase' });
    expect(simFaultSchema.safeParse({ kind: 'sam-fault', sw3: 0x41 }).success).toBe(false);
    expect(simFaultSchema.safeParse({ kind: 'slow', delayMs: 1, command: 'format' }).success).toBe(false);
  });
});
