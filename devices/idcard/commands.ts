/**
 * The SAM_V command set (spec §4), response frames (spec §2) and the
 * per-command timeouts scaled by baud rate (spec §3). Pure.
 */
import { MAX_FRAME_BYTES, buildFrame, feedFrames, wireTimeMs } from './frame.js';
import type { FrameError, ParserState } from './frame.js';

export type CommandName =
  | 'resetSam'
  | 'samStatus'
  | 'readSamId'
  | 'findCard'
  | 'selectCard'
  | 'readBase'
  | 'readNewestAddress'
  | 'readWithFingerprint'
  | 'setBaud115200'
  | 'setBaud57600'
  | 'setBaud38400'
  | 'setBaud19200'
  | 'setBaud9600';

export interface CommandSpec {
  cmd: number;
  para: number;
  /** Timeout at 115200 baud, from a public Android driver (spec §3). */
  baseTimeoutMs: number;
  /** Largest response the reader sends, for scaling the timeout with the baud rate. */
  maxResponseBytes: number;
  /** SW3 of a successful answer and the Data sizes it may carry (tells a stale answer from the awaited one). */
  success: { sw3: number; minData: number; maxData: number };
}

const ERROR_RESPONSE_BYTES = 11;

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  resetSam: { cmd: 0x10, para: 0xff, baseTimeoutMs: 500, maxResponseBytes: ERROR_RESPONSE_BYTES, success: { sw3: 0x90, minData: 0, maxData: 16 } },
  samStatus: { cmd: 0x11, para: 0xff, baseTimeoutMs: 300, maxResponseBytes: ERROR_RESPONSE_BYTES, success: { sw3: 0x90, minData: 0, maxData: 16 } },
  readSamId: { cmd: 0x12, para: 0xff, baseTimeoutMs: 300, maxResponseBytes: 27, success: { sw3: 0x90, minData: 16, maxData: 64 } },
  findCard: { cmd: 0x20, para: 0x01, baseTimeoutMs: 100, maxResponseBytes: 15, success: { sw3: 0x9f, minData: 0, maxData: 16 } },
  selectCard: { cmd: 0x20, para: 0x02, baseTimeoutMs: 100, maxResponseBytes: 19, success: { sw3: 0x90, minData: 0, maxData: 16 } },
  readBase: { cmd: 0x30, para: 0x01, baseTimeoutMs: 2000, maxResponseBytes: 1295, success: { sw3: 0x90, minData: 4, maxData: MAX_FRAME_BYTES } },
  readNewestAddress: { cmd: 0x30, para: 0x03, baseTimeoutMs: 1500, maxResponseBytes: 81, success: { sw3: 0x90, minData: 1, maxData: 256 } },
  readWithFingerprint: { cmd: 0x30, para: 0x10, baseTimeoutMs: 3000, maxResponseBytes: MAX_FRAME_BYTES, success: { sw3: 0x90, minData: 6, maxData: MAX_FRAME_BYTES } },
  setBaud115200: { cmd: 0x60, para: 0x00, baseTimeoutMs: 300, maxResponseBytes: ERROR_RESPONSE_BYTES, success: { sw3: 0x90, minData: 0, maxData: 16 } },
  setBaud57600: { cmd: 0x60, para: 0x01, baseTimeoutMs: 300, maxResponseBytes: ERROR_RESPONSE_BYTES, success: { sw3: 0x90, minData: 0, maxData: 16 } },
  setBaud38400: { cmd: 0x60, para: 0x02, baseTimeoutMs: 300, maxResponseBytes: ERROR_RESPONSE_BYTES, success: { sw3: 0x90, minData: 0, maxData: 16 } },
  setBaud19200: { cmd: 0x60, para: 0x03, baseTimeoutMs: 300, maxResponseBytes: ERROR_RESPONSE_BYTES, success: { sw3: 0x90, minData: 0, maxData: 16 } },
  setBaud9600: { cmd: 0x60, para: 0x04, baseTimeoutMs: 300, maxResponseBytes: ERROR_RESPONSE_BYTES, success: { sw3: 0x90, minData: 0, maxData: 16 } },
};

export const COMMAND_FRAME_BYTES = 10;

/**
 * True when `frame` can be the reader's answer to `name`: a success code with
 * a plausible Data size, or any other status without Data (spec §5). Used to
 * drop a late answer to an earlier command instead of mistaking it for this one.
 */
export function isAnswerTo(name: CommandName, frame: ResponseFrame): boolean {
  const { success } = COMMANDS[name];
  if (frame.sw3 === success.sw3) return frame.data.length >= success.minData && frame.data.length <= success.maxData;
  return frame.data.length === 0;
}

/** The 10-byte frame for a command (all commands carry empty Data). */
export function buildCommand(name: CommandName): Buffer {
  const { cmd, para } = COMMANDS[name];
  return buildFrame(Uint8Array.of(cmd, para));
}

/** Looks a received command up by its CMD/Para pair (used by the simulator). */
export function commandName(cmd: number, para: number): CommandName | undefined {
  return (Object.keys(COMMANDS) as CommandName[]).find((name) => COMMANDS[name].cmd === cmd && COMMANDS[name].para === para);
}

/**
 * Spec timeout at 115200 plus twice the wire time of command + largest
 * response at the actual baud: read base gets ≈2.2 s at 115200 and ≈4.7 s at
 * 9600 (spec: ≥4 s). `scale` stretches everything for slow hosts.
 */
export function commandTimeoutMs(name: CommandName, baudRate: number, scale = 1): number {
  const spec = COMMANDS[name];
  return Math.ceil((spec.baseTimeoutMs + 2 * wireTimeMs(COMMAND_FRAME_BYTES + spec.maxResponseBytes, baudRate)) * scale);
}

/** Sum of every frame of one find → select → read-base cycle on the wire, in ms. */
export function readCycleWireTimeMs(baudRate: number): number {
  const bytes = (['findCard', 'selectCard', 'readBase'] as const).reduce((sum, name) => sum + COMMAND_FRAME_BYTES + COMMANDS[name].maxResponseBytes, 0);
  return wireTimeMs(bytes, baudRate);
}

// ---------------------------------------------------------------- responses

export interface ResponseFrame {
  sw1: number;
  sw2: number;
  /** Reader status code, spec §5: the byte to test. */
  sw3: number;
  data: Buffer;
}

export function buildResponse(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Buffer {
  const body = Buffer.alloc(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return buildFrame(body);
}

export interface ResponseFeedResult {
  state: ParserState;
  frames: ResponseFrame[];
  errors: FrameError[];
}

export const RESPONSE_LIMITS = { minBody: 3, maxFrameBytes: MAX_FRAME_BYTES } as const;
export const COMMAND_LIMITS = { minBody: 2, maxFrameBytes: MAX_FRAME_BYTES } as const;

/** Incremental response parser: `feed(state, bytes) → { state, frames, errors }`. */
export function feedResponses(state: ParserState, bytes: Uint8Array, maxFrameBytes: number = MAX_FRAME_BYTES): ResponseFeedResult {
  const result = feedFrames(state, bytes, { ...RESPONSE_LIMITS, maxFrameBytes });
  const frames = result.bodies.map((body) => ({ sw1: body[0] ?? 0, sw2: body[1] ?? 0, sw3: body[2] ?? 0, data: body.subarray(3) }));
  return { state: result.state, frames, errors: result.errors };
}

export interface CommandFrame {
  cmd: number;
  para: number;
  data: Buffer;
}

/** Incremental command parser, the simulator's side of the line. */
export function feedCommands(state: ParserState, bytes: Uint8Array): { state: ParserState; commands: CommandFrame[]; errors: FrameError[] } {
  const result = feedFrames(state, bytes, COMMAND_LIMITS);
  const commands = result.bodies.map((body) => ({ cmd: body[0] ?? 0, para: body[1] ?? 0, data: body.subarray(2) }));
  return { state: result.state, commands, errors: result.errors };
}
