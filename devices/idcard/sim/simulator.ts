/**
 * A simulated SAM_V reader on the far end of a socat pty pair. The driver
 * opens `driverPath` like a real /dev/ttyUSB0; the simulator answers every
 * command with spec frames, holds a card (or none) and injects faults on
 * demand. Commands are answered strictly in order, like a real module.
 */
import { SerialPort } from 'serialport';
import { z } from 'zod';
import type { Unsubscribe } from '../../device.js';
import { COMMANDS, COMMAND_FRAME_BYTES, buildResponse, commandName, feedCommands } from '../commands.js';
import type { CommandName } from '../commands.js';
import { EMPTY_PARSER, wireTimeMs } from '../frame.js';
import type { ParserState } from '../frame.js';
import { SW3 } from '../status.js';
import { answerCommand } from './answer.js';
import type { ReaderModel, StatusFault } from './answer.js';
import type { SimCard } from './cards.js';
import { PtyPair } from './pty.js';

/** How an answer leaves the simulator. */
export type DeliveryFault =
  /** The checksum byte of matching answers is flipped. */
  | { kind: 'bad-checksum'; command?: CommandName }
  /** Answers are written in chunks of `chunkBytes` with `gapMs` between them. */
  | { kind: 'split'; chunkBytes?: number; gapMs?: number }
  /** Noise, then the answer, then a copy of the previous answer, in one write. */
  | { kind: 'glued' }
  /** Matching answers are held back `delayMs`. */
  | { kind: 'slow'; delayMs: number; command?: CommandName }
  /** No answers at all: a hung module. */
  | { kind: 'silent' };

/** `times`: how many answers the fault affects before it clears itself; omitted = until setFault(null). */
export type SimFault = (StatusFault | DeliveryFault) & { times?: number };

const commandNameSchema = z.enum(Object.keys(COMMANDS) as [CommandName, ...CommandName[]]);
const times = { times: z.number().int().positive().optional() };

/** For faults that arrive as JSON (developer panel, CLI). */
export const simFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no-card'), ...times }),
  z.object({ kind: z.literal('select-fails'), ...times }),
  z.object({ kind: z.literal('read-fails'), ...times }),
  z.object({ kind: z.literal('sam-fault'), sw3: z.union([z.literal(0x60), z.literal(0x66)]), ...times }),
  z.object({ kind: z.literal('bad-checksum'), command: commandNameSchema.optional(), ...times }),
  z.object({ kind: z.literal('split'), chunkBytes: z.number().int().positive().optional(), gapMs: z.number().nonnegative().optional(), ...times }),
  z.object({ kind: z.literal('glued'), ...times }),
  z.object({ kind: z.literal('slow'), delayMs: z.number().nonnegative(), command: commandNameSchema.optional(), ...times }),
  z.object({ kind: z.literal('silent'), ...times }),
]);

export interface SimulatorOptions {
  card?: SimCard | null;
  /** Directory for the pty links; a fresh temp dir when omitted. */
  dir?: string;
  /** Hold every answer back by its wire time at this baud, so a pty behaves like a real line. */
  wireBaudRate?: number;
  /** Emulate readers that do not find a card again after reading it until it is re-placed. */
  haltAfterRead?: boolean;
}

/** Bytes that never contain the preamble: the "garbage between frames" of the glued fault. */
const NOISE = Buffer.from([0x00, 0xaa, 0x13, 0x96, 0xaa, 0xaa, 0x69, 0xff]);

export class IdCardReaderSimulator {
  private readonly model: ReaderModel = { card: null, halted: false, fault: null };
  private deliveryFault: DeliveryFault | null = null;
  private faultUses: number | undefined;
  private port: SerialPort | undefined;
  private parser: ParserState = EMPTY_PARSER;
  private queue: Promise<void> = Promise.resolve();
  private previousAnswer: Buffer = buildResponse(SW3.noCard);
  private readonly commandListeners = new Set<(command: CommandName | undefined, at: number) => void>();
  private closed = false;

  private constructor(
    private readonly pty: PtyPair,
    private readonly options: SimulatorOptions,
  ) {
    this.model.card = options.card ?? null;
  }

  static async start(options: SimulatorOptions = {}): Promise<IdCardReaderSimulator> {
    const pty = await PtyPair.create(options.dir);
    const simulator = new IdCardReaderSimulator(pty, options);
    try {
      await simulator.openPort();
    } catch (error) {
      await pty.dispose();
      throw error;
    }
    return simulator;
  }

  /** The tty the driver should open, e.g. `/tmp/liuliu-idcard-XXXX/driver`. */
  get driverPath(): string {
    return this.pty.driverPath;
  }

  get card(): SimCard | null {
    return this.model.card;
  }

  placeCard(card: SimCard): void {
    this.model.card = card;
    this.model.halted = false;
  }

  removeCard(): void {
    this.model.card = null;
    this.model.halted = false;
  }

  setFault(fault: SimFault | null): void {
    this.model.fault = null;
    this.deliveryFault = null;
    this.faultUses = fault?.times;
    if (fault === null) return;
    if (fault.kind === 'no-card' || fault.kind === 'select-fails' || fault.kind === 'read-fails' || fault.kind === 'sam-fault') this.model.fault = fault;
    else this.deliveryFault = fault;
  }

  /** Called with every command received (undefined = unknown CMD/Para), before it is answered. */
  onCommand(listener: (command: CommandName | undefined, at: number) => void): Unsubscribe {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  /** The reader vanishes: port closed, socat killed, the driver's tty link disappears. */
  async disconnect(): Promise<void> {
    await this.closePort();
    await this.pty.stop();
  }

  /** The reader comes back at the same path. */
  async reconnect(): Promise<void> {
    if (this.closed) throw new Error('simulator is closed');
    await this.pty.start();
    await this.openPort();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.closePort();
    await this.pty.dispose();
  }

  private async openPort(): Promise<void> {
    const port = new SerialPort({ path: this.pty.readerPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.port = port;
    this.parser = EMPTY_PARSER;
    port.on('data', (bytes: Buffer) => this.receive(port, bytes));
    // An I/O error on our side means the pty went away; the test decides what happens next.
    port.on('error', () => undefined);
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private receive(port: SerialPort, bytes: Buffer): void {
    const result = feedCommands(this.parser, bytes);
    this.parser = result.state;
    for (const error of result.errors) {
      // A real module reports the host's framing mistakes (spec §5: 10 / 11).
      if (error.kind === 'checksum') this.enqueue(port, undefined, buildResponse(SW3.hostChecksumError));
      if (error.kind === 'length') this.enqueue(port, undefined, buildResponse(SW3.hostLengthError));
    }
    for (const frame of result.commands) {
      const name = commandName(frame.cmd, frame.para);
      const at = performance.now();
      for (const listener of this.commandListeners) listener(name, at);
      this.enqueue(port, name, undefined);
    }
  }

  /** Answers are computed when their turn comes, so placeCard() between commands takes effect. */
  private enqueue(port: SerialPort, command: CommandName | undefined, fixed: Buffer | undefined): void {
    this.queue = this.queue.then(() => this.answer(port, command, fixed)).catch(() => undefined);
  }

  private async answer(port: SerialPort, command: CommandName | undefined, fixed: Buffer | undefined): Promise<void> {
    let frame = fixed;
    if (frame === undefined) {
      const statusFault = this.model.fault;
      const answer = answerCommand(command, this.model);
      if (statusFault && statusFaultApplies(statusFault, command)) this.useFault();
      if (answer.cardRead && this.options.haltAfterRead === true) this.model.halted = true;
      frame = answer.frame;
    }
    const delivery = this.deliveryFault !== null && appliesTo(this.deliveryFault, command) ? this.deliveryFault : null;
    if (delivery) this.useFault();
    if (delivery?.kind === 'silent') return;

    const waitMs = (this.options.wireBaudRate ? wireTimeMs(COMMAND_FRAME_BYTES + frame.length, this.options.wireBaudRate) : 0) + (delivery?.kind === 'slow' ? delivery.delayMs : 0);
    if (waitMs > 0) await delay(waitMs);
    if (this.port !== port || !port.isOpen) return;

    const previous = this.previousAnswer;
    this.previousAnswer = frame;
    if (delivery?.kind === 'bad-checksum') {
      frame = Buffer.from(frame);
      frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0xff;
    }
    if (delivery?.kind === 'glued') {
      await write(port, Buffer.concat([NOISE, frame, previous]));
    } else if (delivery?.kind === 'split') {
      const chunk = Math.max(1, delivery.chunkBytes ?? 7);
      for (let offset = 0; offset < frame.length; offset += chunk) {
        if (offset > 0) await delay(delivery.gapMs ?? 2);
        if (this.port !== port || !port.isOpen) return;
        await write(port, frame.subarray(offset, offset + chunk));
      }
    } else {
      await write(port, frame);
    }
  }

  private useFault(): void {
    if (this.faultUses === undefined) return;
    this.faultUses -= 1;
    if (this.faultUses <= 0) this.setFault(null);
  }
}

/** Which answers a status fault changes, so `times` counts only those. */
function statusFaultApplies(fault: StatusFault, command: CommandName | undefined): boolean {
  switch (fault.kind) {
    case 'no-card':
      return command === 'findCard';
    case 'select-fails':
      return command === 'selectCard';
    case 'read-fails':
      return command === 'readBase' || command === 'readWithFingerprint';
    case 'sam-fault':
      return true;
  }
}

function appliesTo(fault: DeliveryFault, command: CommandName | undefined): boolean {
  if (fault.kind === 'bad-checksum') return command === (fault.command ?? 'readBase');
  if (fault.kind === 'slow') return fault.command === undefined || fault.command === command;
  return command !== undefined;
}

function write(port: SerialPort, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(bytes, (error) => (error ? reject(error) : port.drain(() => resolve())));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
