/**
 * SAM_V frame layer (spec §2): building frames and an incremental parser that
 * turns an arbitrary byte stream into checked frames. Pure functions only; the
 * same parser serves the driver (responses) and the simulator (commands).
 */

export const PREAMBLE = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
/** Preamble + two length bytes. */
export const HEADER_BYTES = PREAMBLE.length + 2;
/** Largest normal frame on the wire: read with two fingerprints (spec §6.4). */
export const MAX_FRAME_BYTES = 2321;

/** XOR of every byte; the checksum covers Len1 … last Data byte. */
export function xor(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum ^= bytes[i] ?? 0;
  return sum;
}

/**
 * Wraps a frame body (CMD Para Data, or SW1 SW2 SW3 Data) with preamble,
 * big-endian length (body + checksum) and the XOR checksum.
 */
export function buildFrame(body: Uint8Array): Buffer {
  const length = body.length + 1;
  const frame = Buffer.alloc(HEADER_BYTES + length);
  PREAMBLE.copy(frame, 0);
  frame.writeUInt16BE(length, PREAMBLE.length);
  frame.set(body, HEADER_BYTES);
  frame[frame.length - 1] = xor(frame, PREAMBLE.length, frame.length - 1);
  return frame;
}

/** Something the parser could not turn into a frame; reported, never thrown. */
export type FrameError =
  | { kind: 'garbage'; bytes: number }
  | { kind: 'length'; length: number }
  | { kind: 'checksum'; expected: number; actual: number; frameBytes: number };

export interface ParserState {
  /** Bytes received but not yet consumed (at most one partial frame, bounded by maxFrameBytes). */
  readonly pending: Buffer;
}

export interface ParserLimits {
  /** Smallest body a valid frame can have (command: CMD Para = 2; response: SW1-3 = 3). */
  minBody: number;
  /** Frames announcing more than this on the wire are treated as noise. */
  maxFrameBytes: number;
}

export interface FeedResult {
  state: ParserState;
  /** Bodies of frames whose length and checksum were correct, in arrival order. */
  bodies: Buffer[];
  errors: FrameError[];
}

export const EMPTY_PARSER: ParserState = { pending: Buffer.alloc(0) };

/**
 * Consumes `chunk` and returns every complete, checksum-correct frame body.
 * Garbage before a preamble is skipped; a bad length or checksum drops only
 * the first preamble byte and hunts again, so a real frame hidden behind a
 * false preamble is still found. Never waits for more than maxFrameBytes.
 */
export function feedFrames(state: ParserState, chunk: Uint8Array, limits: ParserLimits): FeedResult {
  const buffer = state.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([state.pending, chunk]);
  const bodies: Buffer[] = [];
  const errors: FrameError[] = [];
  let pos = 0;
  let garbage = 0;

  const flushGarbage = (): void => {
    if (garbage > 0) errors.push({ kind: 'garbage', bytes: garbage });
    garbage = 0;
  };

  for (;;) {
    const start = buffer.indexOf(PREAMBLE, pos);
    if (start < 0) {
      // Keep a tail that may be the beginning of a preamble split across reads.
      const keep = partialPreambleTail(buffer, pos);
      garbage += buffer.length - pos - keep;
      pos = buffer.length - keep;
      break;
    }
    garbage += start - pos;
    pos = start;
    if (buffer.length - pos < HEADER_BYTES) break;
    const length = buffer.readUInt16BE(pos + PREAMBLE.length);
    const frameBytes = HEADER_BYTES + length;
    if (length < limits.minBody + 1 || frameBytes > limits.maxFrameBytes) {
      flushGarbage();
      errors.push({ kind: 'length', length });
      pos += 1;
      continue;
    }
    if (buffer.length - pos < frameBytes) break;
    const end = pos + frameBytes;
    const expected = xor(buffer, pos + PREAMBLE.length, end - 1);
    const actual = buffer[end - 1] ?? 0;
    flushGarbage();
    if (expected !== actual) {
      errors.push({ kind: 'checksum', expected, actual, frameBytes });
      pos += 1;
      continue;
    }
    bodies.push(Buffer.from(buffer.subarray(pos + HEADER_BYTES, end - 1)));
    pos = end;
  }
  flushGarbage();
  return { state: { pending: Buffer.from(buffer.subarray(pos)) }, bodies, errors };
}

/** Length of the longest suffix of buffer[from…] that is a proper prefix of the preamble. */
function partialPreambleTail(buffer: Buffer, from: number): number {
  const available = buffer.length - from;
  for (let keep = Math.min(PREAMBLE.length - 1, available); keep > 0; keep--) {
    if (buffer.subarray(buffer.length - keep).equals(PREAMBLE.subarray(0, keep))) return keep;
  }
  return 0;
}

/** Wire time of `bytes` at 8N1 (10 bits per byte), in milliseconds. */
export function wireTimeMs(bytes: number, baudRate: number): number {
  return (bytes * 10 * 1000) / baudRate;
}
