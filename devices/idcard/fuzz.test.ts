/**
 * Deterministic fuzzing of the response parser: 100,000 random and mutated
 * frames fed in random chunks. The parser must never throw, never hold more
 * than one maximum frame, always recover (a sentinel frame after them is
 * found), and only yield frames that really stood in the input with a
 * correct checksum — so no record ever comes from a corrupted frame.
 */
import { describe, expect, it } from 'vitest';
import { decodeReadBase } from './card.js';
import { buildResponse, feedResponses } from './commands.js';
import type { ResponseFrame } from './commands.js';
import { EMPTY_PARSER, MAX_FRAME_BYTES, PREAMBLE } from './frame.js';
import type { ParserState } from './frame.js';
import { buildReadPayload } from './payload.js';
import { EXAMPLE_B_2000, LI_XIUYING_1950, ZHANG_SANFENG } from './sim/cards.js';
import { encodeTextBlock } from './text-block.js';
import { seededRandom } from '../../electron/common/random.js';

const CASES = 100_000;
const TODAY = '2026-11-24';

const random = seededRandom(0x1d_ca_2d);
const int = (max: number): number => Math.floor(random() * max);
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));

const READS = [ZHANG_SANFENG, LI_XIUYING_1950, EXAMPLE_B_2000].map((card) => buildResponse(0x90, buildReadPayload([encodeTextBlock(card.fields), Buffer.alloc(1024)])));
const SMALL = [buildResponse(0x9f, Buffer.alloc(4)), buildResponse(0x80), buildResponse(0x90, Buffer.alloc(8)), buildResponse(0x41), buildResponse(0x60), buildResponse(0x90, bytes(16))];
/** Random photos drawn from a pool: generating 1024 fresh bytes per case would dominate the run time. */
const PHOTOS = Array.from({ length: 64 }, () => bytes(1024));
const SENTINEL = buildResponse(0x91, Buffer.from('sentinel'));
const RECOVERY = Buffer.concat([Buffer.alloc(MAX_FRAME_BYTES), SENTINEL]);

function validFrame(): Buffer {
  if (random() < 0.4) {
    const read = Buffer.from(READS[int(READS.length)] ?? SENTINEL);
    // A random photo keeps the checksum honest across the whole frame.
    (PHOTOS[int(PHOTOS.length)] ?? SENTINEL).copy(read, 270);
    return buildResponse(0x90, read.subarray(10, read.length - 1));
  }
  return SMALL[int(SMALL.length)] ?? SENTINEL;
}

type Case = { input: Buffer; singleByteChange: boolean };

function mutate(frame: Buffer): Case {
  const out = Buffer.from(frame);
  switch (int(7)) {
    case 0: {
      // One changed byte after the length field: XOR must catch it.
      const at = 7 + int(out.length - 7);
      out[at] = ((out[at] ?? 0) ^ (1 + int(255))) & 0xff;
      return { input: out, singleByteChange: true };
    }
    case 1:
      for (let i = 0; i < 1 + int(4); i++) out[int(out.length)] = int(256);
      return { input: out, singleByteChange: false };
    case 2:
      out.writeUInt16BE(int(0x10000), 5);
      return { input: out, singleByteChange: false };
    case 3:
      return { input: out.subarray(0, int(out.length)), singleByteChange: false };
    case 4: {
      const at = int(out.length);
      return { input: Buffer.concat([out.subarray(0, at), bytes(1 + int(8)), out.subarray(at)]), singleByteChange: false };
    }
    case 5:
      return { input: Buffer.concat([bytes(int(20)), out, PREAMBLE.subarray(0, int(5)), validFrame()]), singleByteChange: false };
    default: {
      const at = int(out.length);
      return { input: Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]), singleByteChange: false };
    }
  }
}

function randomCase(): Case {
  if (random() < 0.3) {
    const noise = bytes(int(400));
    // Sprinkle preambles so the length/checksum paths are hit by noise too.
    if (noise.length > 10 && random() < 0.5) PREAMBLE.copy(noise, int(noise.length - 5));
    return { input: noise, singleByteChange: false };
  }
  return mutate(validFrame());
}

function feedInChunks(state: ParserState, input: Buffer, frames: ResponseFrame[]): ParserState {
  let current = state;
  for (let offset = 0; offset < input.length; ) {
    const size = 1 + int(random() < 0.2 ? 8 : 600);
    const result = feedResponses(current, input.subarray(offset, offset + size));
    current = result.state;
    frames.push(...result.frames);
    offset += size;
    if (current.pending.length > MAX_FRAME_BYTES) throw new Error(`parser holds ${current.pending.length} bytes`);
  }
  return current;
}

describe('response parser fuzzing', () => {
  it(`survives ${CASES.toLocaleString('en')} random and mutated frames`, { timeout: 120_000 }, () => {
    let yielded = 0;
    let readRecords = 0;
    for (let n = 0; n < CASES; n++) {
      const { input, singleByteChange } = randomCase();
      const frames: ResponseFrame[] = [];
      let state = feedInChunks(EMPTY_PARSER, input, frames);

      for (const frame of frames) {
        // The frame must have stood in the input exactly, checksum included.
        const onWire = buildResponse(frame.sw3, frame.data, frame.sw1, frame.sw2);
        if (input.indexOf(onWire) < 0) throw new Error(`case ${n}: yielded a frame that was not in the input`);
        if (frame.sw3 === 0x90 && frame.data.length === 1284 && decodeReadBase(frame.data, TODAY).ok) readRecords++;
      }
      if (singleByteChange && frames.length > 0) throw new Error(`case ${n}: a frame with one corrupted byte was accepted`);
      yielded += frames.length;

      const recovery = feedResponses(state, RECOVERY);
      state = recovery.state;
      const last = recovery.frames.at(-1);
      if (last?.sw3 !== 0x91 || !last.data.equals(Buffer.from('sentinel'))) throw new Error(`case ${n}: parser did not recover`);
      if (state.pending.length >= PREAMBLE.length) throw new Error(`case ${n}: ${state.pending.length} bytes left after recovery`);
    }
    // The mutations must leave some frames intact, or the test proves nothing.
    expect(yielded).toBeGreaterThan(CASES / 10);
    expect(readRecords).toBeGreaterThan(100);
  });
});
