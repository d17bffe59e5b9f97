import { describe, expect, it } from 'vitest';
import { COMMANDS, buildCommand, buildResponse, commandName, commandTimeoutMs, feedCommands, feedResponses, isAnswerTo, readCycleWireTimeMs } from './commands.js';
import type { CommandName, ResponseFrame } from './commands.js';
import { decodeReadBase } from './card.js';
import { EMPTY_PARSER, MAX_FRAME_BYTES, PREAMBLE } from './frame.js';
import { buildReadPayload, decodeNewestAddress, decodeSamId, encodeNewestAddress, parseReadPayload } from './payload.js';
import { ZHANG_SANFENG } from './sim/cards.js';
import { encodeTextBlock } from './text-block.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Spec §4: every command frame, byte for byte. */
const COMMAND_VECTORS: Record<CommandName, string> = {
  resetSam: 'AA AA AA 96 69 00 03 10 FF EC',
  samStatus: 'AA AA AA 96 69 00 03 11 FF ED',
  readSamId: 'AA AA AA 96 69 00 03 12 FF EE',
  findCard: 'AA AA AA 96 69 00 03 20 01 22',
  selectCard: 'AA AA AA 96 69 00 03 20 02 21',
  readBase: 'AA AA AA 96 69 00 03 30 01 32',
  readNewestAddress: 'AA AA AA 96 69 00 03 30 03 30',
  readWithFingerprint: 'AA AA AA 96 69 00 03 30 10 23',
  setBaud115200: 'AA AA AA 96 69 00 03 60 00 63',
  setBaud57600: 'AA AA AA 96 69 00 03 60 01 62',
  setBaud38400: 'AA AA AA 96 69 00 03 60 02 61',
  setBaud19200: 'AA AA AA 96 69 00 03 60 03 60',
  setBaud9600: 'AA AA AA 96 69 00 03 60 04 67',
};

/** Spec §11 (c): the full 256-byte text block of 张三丰. */
const VECTOR_TEXT_BLOCK = hex(`
20 5F 09 4E 30 4E 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 31 00
30 00 31 00 31 00 39 00 38 00 30 00 30 00 31 00 30 00 31 00 56 6E 57 53 01 77 4F 6D 33 96 02 5E
C6 96 CC 91 57 88 53 90 3A 79 8B 4F EF 8D 31 00 F7 53 20 00 20 00 20 00 20 00 20 00 20 00 20 00
20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 34 00 33 00 30 00
31 00 38 00 31 00 31 00 39 00 38 00 30 00 30 00 31 00 30 00 31 00 31 00 32 00 33 00 39 00 4F 6D
33 96 02 5E 6C 51 89 5B 40 5C 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 32 00 30 00
32 00 30 00 30 00 31 00 30 00 31 00 32 00 30 00 34 00 30 00 30 00 31 00 30 00 31 00 20 00 20 00
20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00`);

const VECTOR_FIRST_64 = hex(`
AA AA AA 96 69 05 08 00 00 90 01 00 04 00 20 5F 09 4E 30 4E 20 00 20 00 20 00 20 00 20 00 20 00
20 00 20 00 20 00 20 00 20 00 20 00 31 00 30 00 31 00 31 00 39 00 38 00 30 00 30 00 31 00 30 00`);

/** The read-base response of spec §11 (c), built from the text block and 1024 zero photo bytes. */
const READ_RESPONSE = buildResponse(0x90, buildReadPayload([VECTOR_TEXT_BLOCK, Buffer.alloc(1024)]));

const ZHANG_RECORD = {
  name: '张三丰',
  gender: { code: '1', label: 'male', labelZh: '男' },
  nation: { code: '01', name: '汉' },
  birthDate: '1980-01-01',
  address: '湖南省浏阳市集里街道示例路1号',
  idNumber: '430181198001011239',
  issuingAuthority: '浏阳市公安局',
  validFrom: '2020-01-01',
  validTo: '2040-01-01',
};

function feedAll(chunks: Uint8Array[]): { frames: ResponseFrame[]; errors: ReturnType<typeof feedResponses>['errors']; pending: number } {
  let state = EMPTY_PARSER;
  const frames: ResponseFrame[] = [];
  const errors: ReturnType<typeof feedResponses>['errors'] = [];
  for (const chunk of chunks) {
    const result = feedResponses(state, chunk);
    state = result.state;
    frames.push(...result.frames);
    errors.push(...result.errors);
  }
  return { frames, errors, pending: state.pending.length };
}

describe('command frames (spec §4)', () => {
  it.each(Object.entries(COMMAND_VECTORS))('%s is %s', (name, frame) => {
    expect(buildCommand(name as CommandName).equals(hex(frame))).toBe(true);
  });

  it('find card and read base match test vectors (a) and (b)', () => {
    expect(buildCommand('findCard').toString('hex')).toBe('aaaaaa9669000320012' + '2');
    expect(buildCommand('readBase').toString('hex')).toBe('aaaaaa96690003300132');
  });

  it('the simulator side parses every command back to its name', () => {
    const all = Buffer.concat(Object.keys(COMMAND_VECTORS).map((name) => buildCommand(name as CommandName)));
    const parsed = feedCommands(EMPTY_PARSER, all);
    expect(parsed.errors).toEqual([]);
    expect(parsed.commands.map((c) => commandName(c.cmd, c.para))).toEqual(Object.keys(COMMAND_VECTORS));
    expect(commandName(0x30, 0x05)).toBeUndefined();
  });
});

describe('response frames (spec §5, §6)', () => {
  it.each([
    ['find failed', 0x80, '', 'AA AA AA 96 69 00 04 00 00 80 84'],
    ['select failed', 0x81, '', 'AA AA AA 96 69 00 04 00 00 81 85'],
    ['read failed', 0x41, '', 'AA AA AA 96 69 00 04 00 00 41 45'],
    ['find succeeded', 0x9f, '00000000', 'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97'],
    ['select succeeded', 0x90, '0000000000000000', 'AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C'],
  ])('%s builds and parses as the spec frame', (_label, sw3, data, frame) => {
    expect(buildResponse(sw3, hex(data)).equals(hex(frame))).toBe(true);
    const parsed = feedAll([hex(frame)]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.frames).toHaveLength(1);
    expect(parsed.frames[0]?.sw3).toBe(sw3);
    expect(parsed.frames[0]?.data.toString('hex')).toBe(data);
  });

  it('builds the spec read-base vector (c): 1295 bytes, Len 05 08, checksum 16, first 64 bytes', () => {
    expect(encodeTextBlock(ZHANG_SANFENG.fields).equals(VECTOR_TEXT_BLOCK)).toBe(true);
    expect(READ_RESPONSE.length).toBe(1295);
    expect(READ_RESPONSE.subarray(5, 7).toString('hex')).toBe('0508');
    expect(READ_RESPONSE[1294]).toBe(0x16);
    expect(READ_RESPONSE.subarray(0, 64).equals(VECTOR_FIRST_64)).toBe(true);
  });

  it('decodes vector (c) into the typed record, without the photo', () => {
    const parsed = feedAll([READ_RESPONSE]);
    const frame = parsed.frames[0];
    expect(frame?.sw3).toBe(0x90);
    const decoded = decodeReadBase(frame?.data ?? Buffer.alloc(0), '2026-01-01');
    expect(decoded).toEqual({ ok: true, record: ZHANG_RECORD });
  });

  it('finds the 1295-byte response when it is split at every byte boundary', () => {
    for (let cut = 1; cut < READ_RESPONSE.length; cut++) {
      const parsed = feedAll([READ_RESPONSE.subarray(0, cut), READ_RESPONSE.subarray(cut)]);
      expect(parsed.errors, `cut at ${cut}`).toEqual([]);
      expect(parsed.frames, `cut at ${cut}`).toHaveLength(1);
      expect(parsed.pending).toBe(0);
      const decoded = decodeReadBase(parsed.frames[0]?.data ?? Buffer.alloc(0), '2026-01-01');
      expect(decoded.ok && decoded.record.idNumber, `cut at ${cut}`).toBe('430181198001011239');
    }
  });

  it('finds the response fed one byte at a time', () => {
    const parsed = feedAll(Array.from(READ_RESPONSE, (byte) => Uint8Array.of(byte)));
    expect(parsed.frames).toHaveLength(1);
    expect(parsed.errors).toEqual([]);
  });

  it('separates glued frames and skips garbage between them, reporting it', () => {
    const find = buildResponse(0x9f, Buffer.alloc(4));
    const noise = Buffer.from([0x01, 0xaa, 0xaa, 0x55]);
    const parsed = feedAll([Buffer.concat([noise, find, READ_RESPONSE, noise, find])]);
    expect(parsed.frames.map((f) => f.sw3)).toEqual([0x9f, 0x90, 0x9f]);
    expect(parsed.errors).toEqual([
      { kind: 'garbage', bytes: 4 },
      { kind: 'garbage', bytes: 4 },
    ]);
  });

  it('reports a bad checksum as a value and still finds the next frame', () => {
    const corrupt = Buffer.from(READ_RESPONSE);
    corrupt[500] = (corrupt[500] ?? 0) ^ 0x01;
    const find = buildResponse(0x80);
    const parsed = feedAll([corrupt, find]);
    expect(parsed.frames.map((f) => f.sw3)).toEqual([0x80]);
    expect(parsed.errors[0]).toMatchObject({ kind: 'checksum', frameBytes: 1295 });
  });

  it('refuses a huge length at once and resyncs on the next frame', () => {
    const bogus = Buffer.concat([PREAMBLE, Buffer.from([0xff, 0xff, 0x00, 0x00, 0x90])]);
    const find = buildResponse(0x9f, Buffer.alloc(4));
    const parsed = feedAll([bogus, find]);
    expect(parsed.errors).toContainEqual({ kind: 'length', length: 0xffff });
    expect(parsed.frames.map((f) => f.sw3)).toEqual([0x9f]);
  });

  it('waits at most one maximum frame for a plausible but false length, then finds the frame it swallowed', () => {
    const falseHeader = Buffer.concat([PREAMBLE, Buffer.from([0x07, 0xd0])]);
    const find = buildResponse(0x9f, Buffer.alloc(4));
    let parsed = feedAll([falseHeader, find]);
    expect(parsed.frames).toHaveLength(0);
    parsed = feedAll([falseHeader, find, Buffer.alloc(MAX_FRAME_BYTES)]);
    expect(parsed.frames.map((f) => f.sw3)).toEqual([0x9f]);
    expect(parsed.errors.some((e) => e.kind === 'checksum')).toBe(true);
    expect(parsed.pending).toBeLessThan(PREAMBLE.length);
  });

  it('keeps only a possible preamble prefix of unframed noise', () => {
    const noise = Buffer.alloc(10_000, 0x55);
    noise[noise.length - 2] = 0xaa;
    noise[noise.length - 1] = 0xaa;
    const parsed = feedAll([noise]);
    expect(parsed.pending).toBe(2);
    expect(parsed.errors).toEqual([{ kind: 'garbage', bytes: 9998 }]);
    const completed = feedAll([noise, buildResponse(0x80)]);
    expect(completed.frames).toHaveLength(1);
  });

  it('treats a length below the minimum body as an error', () => {
    const tooShort = Buffer.concat([PREAMBLE, Buffer.from([0x00, 0x02, 0x00, 0x02])]);
    const parsed = feedAll([tooShort]);
    expect(parsed.errors).toContainEqual({ kind: 'length', length: 2 });
    expect(parsed.frames).toHaveLength(0);
  });
});

describe('answer matching and timeouts', () => {
  const frame = (sw3: number, dataBytes: number): ResponseFrame => ({ sw1: 0, sw2: 0, sw3, data: Buffer.alloc(dataBytes) });

  it('accepts success answers of plausible size and error answers without data', () => {
    expect(isAnswerTo('findCard', frame(0x9f, 4))).toBe(true);
    expect(isAnswerTo('findCard', frame(0x80, 0))).toBe(true);
    expect(isAnswerTo('selectCard', frame(0x90, 8))).toBe(true);
    expect(isAnswerTo('readBase', frame(0x90, 1284))).toBe(true);
    expect(isAnswerTo('readBase', frame(0x41, 0))).toBe(true);
  });

  it('rejects a late answer to another command', () => {
    expect(isAnswerTo('findCard', frame(0x90, 1284))).toBe(false);
    expect(isAnswerTo('selectCard', frame(0x90, 1284))).toBe(false);
    expect(isAnswerTo('selectCard', frame(0x9f, 4))).toBe(false);
    expect(isAnswerTo('readBase', frame(0x9f, 4))).toBe(false);
  });

  it('scales timeouts with the baud rate (spec §3: ≥4 s for a read at 9600)', () => {
    expect(commandTimeoutMs('findCard', 115200)).toBeGreaterThanOrEqual(COMMANDS.findCard.baseTimeoutMs);
    expect(commandTimeoutMs('readBase', 115200)).toBeGreaterThanOrEqual(2000);
    expect(commandTimeoutMs('readBase', 115200)).toBeLessThan(2500);
    expect(commandTimeoutMs('readBase', 9600)).toBeGreaterThanOrEqual(4000);
    expect(commandTimeoutMs('readBase', 115200, 2)).toBe(2 * commandTimeoutMs('readBase', 115200));
  });

  it('puts the wire time of one find/select/read cycle at 115200 near 118 ms', () => {
    // 10+15 + 10+19 + 10+1295 bytes × 10 bits ÷ 115200
    expect(readCycleWireTimeMs(115200)).toBeCloseTo((1359 * 10 * 1000) / 115200, 6);
  });
});

describe('payloads', () => {
  it('splits read-with-fingerprint payloads into 1297/1809/2321-byte frames', () => {
    for (const [fingerprintBytes, total] of [
      [0, 1297],
      [512, 1809],
      [1024, 2321],
    ] as const) {
      const response = buildResponse(0x90, buildReadPayload([VECTOR_TEXT_BLOCK, Buffer.alloc(1024), Buffer.alloc(fingerprintBytes, 7)]));
      expect(response.length).toBe(total);
      const parsed = feedAll([response]);
      const payload = parseReadPayload(parsed.frames[0]?.data ?? Buffer.alloc(0), 3);
      expect(payload.ok && payload.value.fingerprint?.length).toBe(fingerprintBytes);
      expect(payload.ok && payload.value.text.equals(VECTOR_TEXT_BLOCK)).toBe(true);
    }
  });

  it('refuses a payload whose length fields disagree with its size', () => {
    const payload = buildReadPayload([VECTOR_TEXT_BLOCK, Buffer.alloc(1024)]);
    expect(parseReadPayload(payload.subarray(0, 1000)).ok).toBe(false);
    expect(parseReadPayload(Buffer.alloc(3)).ok).toBe(false);
    expect(decodeReadBase(payload.subarray(0, 1000), '2026-01-01')).toMatchObject({ ok: false, refusal: { code: 'malformed-response' } });
  });

  it('round-trips the appended address (35 chars, space padded)', () => {
    const encoded = encodeNewestAddress('湖南省浏阳市关口街道示例路18号');
    expect(encoded.length).toBe(70);
    expect(decodeNewestAddress(encoded)).toBe('湖南省浏阳市关口街道示例路18号');
  });

  it('renders the SAM ID as AA.BB-C-D-E and keeps the raw hex', () => {
    const raw = Buffer.alloc(16);
    raw[0] = 5;
    raw[2] = 1;
    raw.writeUInt32LE(20260101, 4);
    raw.writeUInt32LE(123456789, 8);
    raw.writeUInt32LE(42, 12);
    const decoded = decodeSamId(raw);
    expect(decoded).toEqual({ ok: true, value: { display: '05.01-20260101-123456789-42', hex: raw.toString('hex') } });
    expect(decodeSamId(Buffer.alloc(8)).ok).toBe(false);
  });
});
