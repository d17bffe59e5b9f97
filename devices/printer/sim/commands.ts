/**
 * The ESC/POS command-length table: for every command Epson TM-series
 * printers and their China-market clones (Xprinter, Gprinter…) define, how
 * many bytes it spans — fixed, from a length field, from its data, or up to a
 * terminator. The tokenizer uses it so that a command it does not model is
 * consumed whole: its parameter and data bytes never become printed text.
 * Pure; no I/O.
 */
import { DLE, ESC, FS, GS } from '../escpos.js';

/**
 * Bytes a command may declare before we stop trusting it: a raster or NV
 * image beyond this is far larger than any receipt (a 576×1,820-dot logo is
 * 128 KiB), so the length field is more likely garbage than data, and the
 * simulator must not buffer without bound waiting for it.
 */
export const MAX_COMMAND_DATA_BYTES = 1024 * 1024;
/** GS k function A data is NUL-terminated; Epson caps it at 255 bytes. */
export const MAX_BARCODE_A_BYTES = 255;
/** ESC D takes at most 32 tab stops. */
const MAX_TAB_STOPS = 32;

/**
 * How long the command at `pos` is, counting its prefix:
 * - a number: the whole command is that many bytes (it may not all be here yet);
 * - 'incomplete': more bytes are needed to know;
 * - invalid: the bytes are not this command; the first `length` bytes are unknown;
 * - overlong: the declared size is beyond our limits; `header` bytes are the
 *   command header (skipped) and `declared` what it claimed.
 */
export type CommandLength =
  | number
  | 'incomplete'
  | { invalid: number }
  | { overlong: { header: number; declared: number } };

type LengthFn = (buf: Uint8Array, pos: number) => CommandLength;
type LengthRule = number | LengthFn;

export interface CommandSpec {
  /** What the command does, for the "ignored …" issue. */
  what: string;
  length: LengthRule;
}

/** Unsigned little-endian integer of `count` bytes at `at`, or undefined when not all here yet. */
function uint(buf: Uint8Array, at: number, count: number): number | undefined {
  if (at + count > buf.length) return undefined;
  let value = 0;
  for (let i = count - 1; i >= 0; i--) value = value * 256 + (buf[at + i] ?? 0);
  return value;
}

/** `header` fixed bytes followed by `dataBytes(header bytes)` data bytes. */
function withData(header: number, dataBytes: (buf: Uint8Array, pos: number) => number | { invalid: number }): LengthFn {
  return (buf, pos) => {
    if (pos + header > buf.length) return 'incomplete';
    const data = dataBytes(buf, pos);
    if (typeof data !== 'number') return data;
    return data > MAX_COMMAND_DATA_BYTES ? { overlong: { header, declared: data } } : header + data;
  };
}

/** `X ( x pL pH …`: pL + 256·pH bytes follow pH. */
const parenLength: LengthRule = withData(5, (buf, pos) => uint(buf, pos + 3, 2) ?? 0);

/** ESC * m nL nH d…: m 0/1 → one byte a column (8 dots), 32/33 → three (24 dots). */
const bitImageLength: LengthRule = withData(5, (buf, pos) => {
  const m = buf[pos + 2] ?? 0;
  const columns = uint(buf, pos + 3, 2) ?? 0;
  if (m === 0 || m === 1) return columns;
  if (m === 32 || m === 33) return 3 * columns;
  return { invalid: 3 };
});

/** ESC D n1 … nk NUL: stops end at NUL (consumed), at a stop not above the last, or after 32. */
function tabStopsLength(buf: Uint8Array, pos: number): CommandLength {
  let previous = 0;
  for (let i = 0; i <= MAX_TAB_STOPS; i++) {
    const n = buf[pos + 2 + i];
    if (n === undefined) return 'incomplete';
    if (n === 0) return 3 + i;
    // Epson: a stop not greater than the previous ends the list; that byte is data.
    if (n <= previous || i === MAX_TAB_STOPS) return 2 + i;
    previous = n;
  }
  return 2 + MAX_TAB_STOPS;
}

/** ESC & y c1 c2 [x d1…d(y·x)] for each character c1…c2. */
function userCharactersLength(buf: Uint8Array, pos: number): CommandLength {
  if (pos + 5 > buf.length) return 'incomplete';
  const y = buf[pos + 2] ?? 0;
  const first = buf[pos + 3] ?? 0;
  const last = buf[pos + 4] ?? 0;
  if (last < first) return { invalid: 5 };
  let at = pos + 5;
  for (let c = first; c <= last; c++) {
    const x = buf[at];
    if (x === undefined) return 'incomplete';
    at += 1 + y * x;
    if (at - pos > MAX_COMMAND_DATA_BYTES) return { overlong: { header: 5, declared: at - pos } };
  }
  return at - pos;
}

/** FS q n [xL xH yL yH d1…d(x·y·8)] × n: defines NV bit images. */
function nvImagesLength(buf: Uint8Array, pos: number): CommandLength {
  const n = buf[pos + 2];
  if (n === undefined) return 'incomplete';
  let at = pos + 3;
  let data = 0;
  for (let image = 0; image < n; image++) {
    const x = uint(buf, at, 2);
    const y = uint(buf, at + 2, 2);
    if (x === undefined || y === undefined) return 'incomplete';
    data += x * y * 8;
    if (data > MAX_COMMAND_DATA_BYTES) return { overlong: { header: at + 4 - pos, declared: data } };
    at += 4 + x * y * 8;
  }
  return at - pos;
}

/** GS k m …: function A (m 0–6) up to NUL, function B (m 65–79) with a length byte. */
function barcodeLength(buf: Uint8Array, pos: number): CommandLength {
  const m = buf[pos + 2];
  if (m === undefined) return 'incomplete';
  if (m <= 6) {
    for (let i = 0; i <= MAX_BARCODE_A_BYTES; i++) {
      const byte = buf[pos + 3 + i];
      if (byte === undefined) return 'incomplete';
      if (byte === 0) return 4 + i;
    }
    return { overlong: { header: 3, declared: MAX_BARCODE_A_BYTES + 1 } };
  }
  if (m >= 65 && m <= 79) {
    const n = buf[pos + 3];
    return n === undefined ? 'incomplete' : 4 + n;
  }
  return { invalid: 3 };
}

/** GS v 0 m xL xH yL yH d…: x bytes a row, y rows. */
const rasterLength: LengthRule = (buf, pos) => {
  const zero = buf[pos + 2];
  if (zero === undefined) return 'incomplete';
  if (zero !== 0x30) return { invalid: 2 };
  return withData(8, (b, p) => (uint(b, p + 4, 2) ?? 0) * (uint(b, p + 6, 2) ?? 0))(buf, pos);
};

/** GS 8 L p1 p2 p3 p4 …: the 4-byte-length form of GS ( L. */
const graphicsLongLength: LengthRule = (buf, pos) => {
  const l = buf[pos + 2];
  if (l === undefined) return 'incomplete';
  if (l !== 0x4c) return { invalid: 2 };
  return withData(7, (b, p) => uint(b, p + 3, 4) ?? 0)(buf, pos);
};

/** GS V m [n]: m 65/66 (and Epson's 97/98/103/104) take a feed amount. */
const cutLength: LengthRule = (buf, pos) => {
  const m = buf[pos + 2];
  if (m === undefined) return 'incomplete';
  return [0x41, 0x42, 0x61, 0x62, 0x67, 0x68].includes(m) ? 4 : 3;
};

/** GS g 0 m nL nH (initialise maintenance counter) / GS g 2 m nL nH (transmit it). */
const maintenanceCounterLength: LengthRule = (buf, pos) => {
  const fn = buf[pos + 2];
  if (fn === undefined) return 'incomplete';
  return fn === 0x30 || fn === 0x32 ? 6 : { invalid: 2 };
};

/** DLE EOT n [a]: n 7 and 8 carry one more byte. */
const realtimeStatusLength: LengthRule = (buf, pos) => {
  const n = buf[pos + 2];
  if (n === undefined) return 'incomplete';
  return n === 7 || n === 8 ? 4 : 3;
};

/** DLE DC4 fn …: 1 pulse (m t), 2 power-off (1 8), 3 buzzer (a n r t1 t2), 7 ASB (m), 8 clear buffer (d1…d7). */
const REALTIME_REQUEST_LENGTHS = new Map<number, number>([[1, 5], [2, 5], [3, 8], [7, 4], [8, 10]]);
const realtimeRequestLength: LengthRule = (buf, pos) => {
  const fn = buf[pos + 2];
  if (fn === undefined) return 'incomplete';
  return REALTIME_REQUEST_LENGTHS.get(fn) ?? { invalid: 3 };
};

/** Fixed-length command: `params` bytes after prefix and command byte. */
function fixed(what: string, params: number): CommandSpec {
  return { what, length: 2 + params };
}

const ESC_COMMANDS = new Map<number, CommandSpec>([
  [0x0c, fixed('print page mode data', 0)],
  [0x20, fixed('character spacing', 1)],
  [0x21, fixed('print mode', 1)],
  [0x24, fixed('absolute position', 2)],
  [0x25, fixed('user-defined character set', 1)],
  [0x26, { what: 'user-defined characters', length: userCharactersLength }],
  [0x28, { what: 'extended command', length: parenLength }],
  [0x2a, { what: 'bit image', length: bitImageLength }],
  [0x2b, fixed('line spacing (1/360 inch)', 1)],
  [0x2d, fixed('underline', 1)],
  [0x32, fixed('default line spacing', 0)],
  [0x33, fixed('line spacing', 1)],
  [0x37, fixed('heating parameters', 3)],
  [0x38, fixed('sleep parameters', 2)],
  [0x3c, fixed('return home', 0)],
  [0x3d, fixed('select peripheral device', 1)],
  [0x3f, fixed('cancel user-defined character', 1)],
  [0x40, fixed('initialise', 0)],
  [0x41, fixed('line spacing (1/60 inch)', 1)],
  [0x42, fixed('beeper', 2)],
  [0x44, { what: 'tab stops', length: tabStopsLength }],
  [0x45, fixed('bold', 1)],
  [0x47, fixed('double-strike', 1)],
  [0x4a, fixed('feed dots', 1)],
  [0x4c, fixed('page mode', 0)],
  [0x4d, fixed('character font', 1)],
  [0x52, fixed('international character set', 1)],
  [0x53, fixed('standard mode', 0)],
  [0x54, fixed('page mode print direction', 1)],
  [0x55, fixed('unidirectional printing', 1)],
  [0x56, fixed('90° rotation', 1)],
  [0x57, fixed('page mode print area', 8)],
  [0x5c, fixed('relative position', 2)],
  [0x61, fixed('justification', 1)],
  [0x63, fixed('paper sensor / panel settings', 2)],
  [0x64, fixed('feed lines', 1)],
  [0x65, fixed('reverse feed lines', 1)],
  [0x69, fixed('full cut', 0)],
  [0x6d, fixed('partial cut', 0)],
  [0x70, fixed('drawer kick pulse', 3)],
  [0x72, fixed('print colour', 1)],
  [0x74, fixed('code table', 1)],
  [0x75, fixed('transmit peripheral status', 1)],
  [0x76, fixed('transmit paper status', 0)],
  [0x7b, fixed('upside-down printing', 1)],
]);

const GS_COMMANDS = new Map<number, CommandSpec>([
  [0x0c, fixed('print label / feed to label start', 0)],
  [0x21, fixed('character size', 1)],
  [0x24, fixed('page mode vertical position', 2)],
  [0x28, { what: 'extended command', length: parenLength }],
  [0x2a, { what: 'define downloaded bit image', length: withData(4, (buf, pos) => (buf[pos + 2] ?? 0) * (buf[pos + 3] ?? 0) * 8) }],
  [0x2f, fixed('print downloaded bit image', 1)],
  [0x38, { what: 'graphics', length: graphicsLongLength }],
  [0x3a, fixed('macro definition', 0)],
  [0x42, fixed('reverse printing', 1)],
  [0x45, fixed('print head settings', 1)],
  [0x48, fixed('barcode HRI position', 1)],
  [0x49, fixed('transmit printer ID', 1)],
  [0x4c, fixed('left margin', 2)],
  [0x50, fixed('motion units', 2)],
  [0x54, fixed('print position to line start', 1)],
  [0x56, { what: 'cut', length: cutLength }],
  [0x57, fixed('print area width', 2)],
  [0x5c, fixed('page mode relative vertical position', 2)],
  [0x5e, fixed('execute macro', 3)],
  [0x61, fixed('automatic status back', 1)],
  [0x62, fixed('smoothing', 1)],
  [0x63, fixed('print counter', 0)],
  [0x66, fixed('barcode HRI font', 1)],
  [0x67, { what: 'maintenance counter', length: maintenanceCounterLength }],
  [0x68, fixed('barcode height', 1)],
  [0x6a, fixed('automatic status back (ink)', 1)],
  [0x6b, { what: 'barcode', length: barcodeLength }],
  [0x72, fixed('transmit status', 1)],
  [0x76, { what: 'raster bit image', length: rasterLength }],
  [0x77, fixed('barcode module width', 1)],
  [0x7a, fixed('online recovery wait time', 3)],
  [0x7c, fixed('print density', 1)],
]);

const FS_COMMANDS = new Map<number, CommandSpec>([
  [0x21, fixed('Chinese print mode', 1)],
  [0x26, fixed('Chinese mode on', 0)],
  [0x28, { what: 'extended command', length: parenLength }],
  [0x2d, fixed('Chinese underline', 1)],
  [0x2e, fixed('Chinese mode off', 0)],
  [0x32, fixed('define user-defined Chinese character', 74)],
  [0x3f, fixed('cancel user-defined Chinese character', 2)],
  [0x43, fixed('Chinese code system', 1)],
  [0x53, fixed('Chinese character spacing', 2)],
  [0x57, fixed('Chinese quadruple size', 1)],
  [0x70, fixed('print NV bit image', 2)],
  [0x71, { what: 'define NV bit images', length: nvImagesLength }],
]);

const DLE_COMMANDS = new Map<number, CommandSpec>([
  [0x04, { what: 'real-time status', length: realtimeStatusLength }],
  [0x05, fixed('real-time request', 1)],
  [0x14, { what: 'real-time command', length: realtimeRequestLength }],
]);

export const COMMAND_TABLES = new Map<number, ReadonlyMap<number, CommandSpec>>([
  [ESC, ESC_COMMANDS],
  [GS, GS_COMMANDS],
  [FS, FS_COMMANDS],
  [DLE, DLE_COMMANDS],
]);

const PREFIX_NAMES = new Map<number, string>([[ESC, 'ESC'], [GS, 'GS'], [FS, 'FS'], [DLE, 'DLE']]);
const CONTROL_NAMES = new Map<number, string>([[0x04, 'EOT'], [0x05, 'ENQ'], [0x0c, 'FF'], [0x14, 'DC4'], [0x20, 'SP']]);

function byteName(byte: number): string {
  return CONTROL_NAMES.get(byte) ?? (byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `0x${byte.toString(16).padStart(2, '0')}`);
}

/**
 * The command's name as the Epson reference writes it: `ESC *`, `GS v 0`,
 * `GS ( L`, `GS 8 L`, `DLE DC4`.
 */
export function commandName(bytes: Uint8Array): string {
  const prefix = bytes[0] ?? 0;
  const cmd = bytes[1] ?? 0;
  const name = `${PREFIX_NAMES.get(prefix) ?? byteName(prefix)} ${byteName(cmd)}`;
  const third = bytes[2];
  const namedByThird = cmd === 0x28 || (prefix === GS && (cmd === 0x76 || cmd === 0x38));
  return namedByThird && third !== undefined ? `${name} ${byteName(third)}` : name;
}

export function lookupCommand(prefix: number, cmd: number): CommandSpec | undefined {
  return COMMAND_TABLES.get(prefix)?.get(cmd);
}

/** Length of the command at `pos` (prefix byte already known to be ESC/GS/FS/DLE). */
export function commandLength(buf: Uint8Array, pos: number): CommandLength | 'unknown' {
  const cmd = buf[pos + 1];
  if (cmd === undefined) return 'incomplete';
  const spec = lookupCommand(buf[pos] ?? 0, cmd);
  if (spec === undefined) return 'unknown';
  const length = typeof spec.length === 'number' ? spec.length : spec.length(buf, pos);
  if (typeof length === 'number' && pos + length > buf.length) return 'incomplete';
  return length;
}
