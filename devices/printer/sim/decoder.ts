/**
 * ESC/POS decoder for the simulator and tests: an incremental tokenizer
 * (bytes may arrive split anywhere) and a printer-state model that turns
 * tokens back into the laid-out document form of ../doc.ts. Unknown bytes
 * become `unknown` tokens and issues, never exceptions.
 */
import iconv from 'iconv-lite';
import { displayWidth } from '../doc.js';
import type { Align, LaidOutItem, QrErrorCorrection, TextSize } from '../doc.js';
import { DLE, ESC, FS, GS, LF } from '../escpos.js';
import { MAX_BARCODE_A_BYTES, MAX_COMMAND_DATA_BYTES, commandName, lookupCommand, commandLength } from './commands.js';

/**
 * A 1-bit picture as the print head lays it down: row-major, ceil(width / 8)
 * bytes a row, most significant bit = leftmost dot, 1 = black.
 */
export interface Bitmap {
  width: number;
  height: number;
  bits: Uint8Array;
}

export type BarcodeHri = 'none' | 'above' | 'below' | 'both';

/** A 1-D barcode printed by GS k (the decoder's own item; the encoder never emits one). */
export interface BarcodeItem {
  kind: 'barcode';
  symbology: string;
  /** The data bytes as sent (latin1), code-set selectors (`{B`) included; see barcodeDisplayText. */
  data: string;
  align: Align;
  /** GS h, dots. */
  height: number;
  /** GS w, dots per narrow module. */
  moduleWidth: number;
  /** GS H: where the human-readable digits go. */
  hri: BarcodeHri;
}

/** A raster picture (GS v 0, ESC * strips, GS ( L / GS 8 L graphics, GS * / GS /). */
export interface ImageItem {
  kind: 'image';
  source: string;
  align: Align;
  width: number;
  height: number;
  bits: Uint8Array;
}

/** Text attributes the encoder never sets; present only when on, so `decode(encode(doc))` stays `layoutDoc(doc)`. */
export interface TextMarks {
  underline?: true;
  reverse?: true;
  fontB?: true;
}

export type DecodedTextItem = Extract<LaidOutItem, { kind: 'text' }> & TextMarks;

/** What a decoded stream printed: the encoder's items plus what only third-party streams contain. */
export type DecodedItem = Exclude<LaidOutItem, { kind: 'text' }> | DecodedTextItem | BarcodeItem | ImageItem;

/** Things a job does besides printing (recorded, never an issue). */
export type PrinterEvent =
  | { kind: 'drawer-kick'; pin: 2 | 5; onMs: number; offMs: number }
  | { kind: 'beep'; command: string; times: number };

export type EscPosToken =
  | { type: 'init' }
  | { type: 'chinese-mode'; on: boolean }
  | { type: 'align'; align: Align }
  | { type: 'bold'; on: boolean }
  | { type: 'print-mode'; n: number }
  | { type: 'size'; width: number; height: number }
  | { type: 'text'; text: string }
  | { type: 'lf' }
  | { type: 'cr' }
  | { type: 'ht' }
  | { type: 'ff' }
  | { type: 'feed-lines'; lines: number }
  | { type: 'feed-dots'; dots: number }
  | { type: 'cut'; partial: boolean; feedUnits?: number }
  | { type: 'qr-model'; model: number }
  | { type: 'qr-module-size'; size: number }
  | { type: 'qr-ec'; level: QrErrorCorrection | undefined }
  | { type: 'qr-store'; data: string; byteLength: number }
  | { type: 'qr-print' }
  | { type: 'realtime-status-query'; n: number }
  | { type: 'paper-status-query'; n: number }
  | { type: 'asb-enable'; n: number }
  | { type: 'printer-id-query'; n: number }
  /** ESC = n: bit0 off hands the line to a customer display (python-escpos `linedisplay()`); the printer ignores everything until it is selected again. */
  | { type: 'select-printer'; on: boolean }
  /** DLE ENQ / DLE DC4: real-time requests, acted on at once and never printed. */
  | { type: 'realtime-request'; command: string; bytes: number[] }
  | { type: 'code-table'; n: number }
  | { type: 'intl-charset'; n: number }
  | { type: 'tab-stops'; stops: number[] }
  /** ESC - / FS - (chinese), n = 0 off, 1 or 2 dots thick. */
  | { type: 'underline'; on: boolean; chinese: boolean }
  | { type: 'reverse'; on: boolean }
  | { type: 'font'; fontB: boolean }
  /** FS !: bit2 double width, bit3 double height, bit7 underline, for Chinese characters. */
  | { type: 'chinese-print-mode'; n: number }
  /** FS W: Chinese characters double width and height. */
  | { type: 'chinese-quadruple'; on: boolean }
  /** ESC $ (absolute) / ESC \ (relative) horizontal position, in dots. */
  | { type: 'position'; dots: number; relative: boolean }
  | { type: 'barcode-hri'; position: BarcodeHri }
  | { type: 'barcode-height'; dots: number }
  | { type: 'barcode-width'; dots: number }
  | { type: 'barcode'; symbology: string; data: string }
  /** GS v 0: printed at once. */
  | { type: 'raster'; bitmap: Bitmap }
  /** ESC *: goes into the line buffer like text; LF prints it. */
  | { type: 'bit-image-column'; bitmap: Bitmap }
  | { type: 'graphics-store'; slot: GraphicsSlot; bitmap: Bitmap }
  /** GS / m prints the downloaded image m-scaled (bit0 double width, bit1 double height); GS ( L fn 50 as stored. */
  | { type: 'graphics-print'; slot: GraphicsSlot; scaleX: number; scaleY: number }
  | { type: 'event'; event: PrinterEvent }
  /** A setting with no effect on the text rendering; `notRendered` names what paper would show differently. */
  | { type: 'setting'; command: string; notRendered?: string }
  /** A known command we do not model, consumed whole. */
  | { type: 'ignored'; command: string; what: string; length: number }
  /** A length field beyond our limits: the header was skipped and reading goes on after it. */
  | { type: 'overlong'; command: string; reason: string }
  | { type: 'unknown'; bytes: number[] };

/** GS ( L / GS 8 L graphics buffer, or the GS * downloaded bit image. */
export type GraphicsSlot = 'graphics' | 'downloaded';

type Read = { token: EscPosToken; length: number } | 'incomplete';

const ALIGN_BY_CODE = new Map<number, Align>([
  [0x00, 'left'], [0x30, 'left'], [0x01, 'center'], [0x31, 'center'], [0x02, 'right'], [0x32, 'right'],
]);
const EC_BY_CODE = new Map<number, QrErrorCorrection>([[0x30, 'L'], [0x31, 'M'], [0x32, 'Q'], [0x33, 'H']]);
const HRI_BY_CODE = new Map<number, BarcodeHri>([
  [0, 'none'], [0x30, 'none'], [1, 'above'], [0x31, 'above'], [2, 'below'], [0x32, 'below'], [3, 'both'], [0x33, 'both'],
]);
const BARCODE_SYSTEMS = ['UPC-A', 'UPC-E', 'EAN13', 'EAN8', 'CODE39', 'ITF', 'CODABAR'];
const BARCODE_B_SYSTEMS = [...BARCODE_SYSTEMS, 'CODE93', 'CODE128', 'GS1-128', 'GS1 DATABAR', 'GS1 DATABAR TRUNCATED', 'GS1 DATABAR LIMITED', 'GS1 DATABAR EXPANDED', 'CODE128 AUTO'];
const TWO_D_CODES = new Map<number, string>([[0x30, 'PDF417'], [0x32, 'MaxiCode'], [0x33, 'GS1 DataBar'], [0x34, 'composite symbol'], [0x35, 'Aztec'], [0x36, 'DataMatrix']]);

function unknown(buf: Uint8Array, pos: number, length: number): Read {
  return { token: { type: 'unknown', bytes: [...buf.subarray(pos, pos + length)] }, length };
}

function bytesPerRow(width: number): number {
  return Math.ceil(width / 8);
}

/** Row-major bitmap from raster data (x bytes a row, its first `dots` dots used), scaled by whole dots. */
function rasterBitmap(data: Uint8Array, widthBytes: number, height: number, scaleX = 1, scaleY = 1, dots = widthBytes * 8): Bitmap {
  const width = dots * scaleX;
  const stride = bytesPerRow(width);
  const bits = new Uint8Array(stride * height * scaleY);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < dots; col++) {
      if (((data[row * widthBytes + (col >> 3)] ?? 0) & (0x80 >> (col & 7))) === 0) continue;
      for (let dy = 0; dy < scaleY; dy++) {
        for (let dx = 0; dx < scaleX; dx++) {
          const x = col * scaleX + dx;
          const index = (row * scaleY + dy) * stride + (x >> 3);
          bits[index] = (bits[index] ?? 0) | (0x80 >> (x & 7));
        }
      }
    }
  }
  return { width, height: height * scaleY, bits };
}

/** Column-format data (ESC *, GS *): `columns` columns of `bytesPerColumn` bytes, top dot = MSB of the first byte. */
function columnBitmap(data: Uint8Array, columns: number, bytesPerColumn: number, scaleX: number): Bitmap {
  const width = columns * scaleX;
  const height = bytesPerColumn * 8;
  const stride = bytesPerRow(width);
  const bits = new Uint8Array(stride * height);
  for (let col = 0; col < columns; col++) {
    for (let row = 0; row < height; row++) {
      if (((data[col * bytesPerColumn + (row >> 3)] ?? 0) & (0x80 >> (row & 7))) === 0) continue;
      for (let dx = 0; dx < scaleX; dx++) {
        const x = col * scaleX + dx;
        const index = row * stride + (x >> 3);
        bits[index] = (bits[index] ?? 0) | (0x80 >> (x & 7));
      }
    }
  }
  return { width, height, bits };
}

/** Two images side by side (two ESC * in one line), tops aligned. */
function besideBitmap(left: Bitmap, right: Bitmap): Bitmap {
  const width = left.width + right.width;
  const height = Math.max(left.height, right.height);
  const stride = bytesPerRow(width);
  const bits = new Uint8Array(stride * height);
  const copy = (from: Bitmap, offset: number): void => {
    const fromStride = bytesPerRow(from.width);
    for (let row = 0; row < from.height; row++) {
      for (let col = 0; col < from.width; col++) {
        if (((from.bits[row * fromStride + (col >> 3)] ?? 0) & (0x80 >> (col & 7))) === 0) continue;
        const x = offset + col;
        bits[row * stride + (x >> 3)] = (bits[row * stride + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
      }
    }
  };
  copy(left, 0);
  copy(right, left.width);
  return { width, height, bits };
}

/** One image above the other (consecutive ESC * strips), same width. */
function stackBitmaps(top: Bitmap, bottom: Bitmap): Bitmap {
  const bits = new Uint8Array(top.bits.length + bottom.bits.length);
  bits.set(top.bits, 0);
  bits.set(bottom.bits, top.bits.length);
  return { width: top.width, height: top.height + bottom.height, bits };
}

/** GS ( L / GS 8 L body (m fn …): fn 112 stores a raster, fn 2 / 50 prints it. */
function decodeGraphics(command: string, body: Uint8Array, length: number): EscPosToken {
  const fn = body[1];
  if (fn === 0x02 || fn === 0x32) return { type: 'graphics-print', slot: 'graphics', scaleX: 1, scaleY: 1 };
  if (fn === 0x31) return { type: 'setting', command: `${command} fn 49` };
  if (fn === 0x70 && body[2] === 0x30) {
    const scaleX = body[3] === 2 || body[3] === 0x32 ? 2 : 1;
    const scaleY = body[4] === 2 || body[4] === 0x32 ? 2 : 1;
    const width = (body[6] ?? 0) + 256 * (body[7] ?? 0);
    const height = (body[8] ?? 0) + 256 * (body[9] ?? 0);
    const data = body.subarray(10);
    if (data.length >= bytesPerRow(width) * height) {
      const bitmap = rasterBitmap(data, bytesPerRow(width), height, scaleX, scaleY, width);
      return { type: 'graphics-store', slot: 'graphics', bitmap };
    }
  }
  return { type: 'ignored', command, what: `graphics function ${fn ?? '?'}`, length };
}

/** GS ( k: QR (cn 49) is modelled; other 2-D symbologies are consumed whole. */
function decodeTwoDCode(bytes: Buffer): EscPosToken | undefined {
  const length = bytes.length - 5;
  const cn = bytes[5];
  const fn = bytes[6];
  const param = bytes[7];
  if (cn !== 0x31) return { type: 'ignored', command: 'GS ( k', what: TWO_D_CODES.get(cn ?? -1) ?? '2-D code', length: bytes.length };
  if (fn === undefined || length < 2) return undefined;
  switch (fn) {
    case 0x41: return param === undefined || length !== 4 ? undefined : { type: 'qr-model', model: param };
    case 0x43: return param === undefined || length !== 3 ? undefined : { type: 'qr-module-size', size: param };
    case 0x45: return param === undefined || length !== 3 ? undefined : { type: 'qr-ec', level: EC_BY_CODE.get(param) };
    case 0x50: {
      if (param !== 0x30 || length < 3) return undefined;
      const data = bytes.subarray(8);
      return { type: 'qr-store', data: data.toString('utf8'), byteLength: data.length };
    }
    case 0x51: return { type: 'qr-print' };
    default: return undefined;
  }
}

function decodeBarcode(bytes: Buffer): EscPosToken {
  const m = bytes[2] ?? 0;
  if (m <= 6) return { type: 'barcode', symbology: BARCODE_SYSTEMS[m] ?? `m=${m}`, data: bytes.subarray(3, bytes.length - 1).toString('latin1') };
  return { type: 'barcode', symbology: BARCODE_B_SYSTEMS[m - 65] ?? `m=${m}`, data: bytes.subarray(4).toString('latin1') };
}

function int16(bytes: Uint8Array, at: number): number {
  const value = (bytes[at] ?? 0) + 256 * (bytes[at + 1] ?? 0);
  return value >= 0x8000 ? value - 0x10000 : value;
}

/** `notRendered` when the setting is on, so only streams that use it get an issue. */
function settingWhenOn(command: string, on: boolean, what: string): EscPosToken {
  return on ? { type: 'setting', command, notRendered: what } : { type: 'setting', command };
}

/**
 * The token for one whole command (its length already checked against the
 * table), or undefined when its parameters are invalid (reported as unknown
 * bytes). Known commands we do not model become `ignored`.
 */
function decodeCommand(bytes: Buffer, what: string): EscPosToken | undefined {
  const prefix = bytes[0] ?? 0;
  const cmd = bytes[1] ?? 0;
  const n = bytes[2] ?? 0;
  const command = commandName(bytes);
  const ignored: EscPosToken = { type: 'ignored', command, what, length: bytes.length };
  const silent: EscPosToken = { type: 'setting', command };
  if (prefix === ESC) {
    switch (cmd) {
      case 0x40: return { type: 'init' };
      case 0x61: {
        const align = ALIGN_BY_CODE.get(n);
        return align === undefined ? undefined : { type: 'align', align };
      }
      case 0x45: return { type: 'bold', on: (n & 1) === 1 };
      case 0x21: return { type: 'print-mode', n };
      case 0x64: return { type: 'feed-lines', lines: n };
      case 0x4a: return { type: 'feed-dots', dots: n };
      case 0x74: return { type: 'code-table', n };
      case 0x52: return { type: 'intl-charset', n };
      case 0x2d: return { type: 'underline', on: (n & 3) !== 0, chinese: false };
      case 0x4d: return { type: 'font', fontB: n === 1 || n === 0x31 };
      case 0x44: return { type: 'tab-stops', stops: [...bytes.subarray(2)].filter((stop) => stop !== 0) };
      case 0x24: return { type: 'position', dots: (bytes[2] ?? 0) + 256 * (bytes[3] ?? 0), relative: false };
      case 0x5c: return { type: 'position', dots: int16(bytes, 2), relative: true };
      case 0x2a: {
        const columns = (bytes[3] ?? 0) + 256 * (bytes[4] ?? 0);
        const tall = n === 32 || n === 33;
        // m 0 / 32 are single (half) horizontal density: every column is two dots wide.
        return { type: 'bit-image-column', bitmap: columnBitmap(bytes.subarray(5), columns, tall ? 3 : 1, n === 0 || n === 32 ? 2 : 1) };
      }
      case 0x69: return { type: 'cut', partial: false };
      case 0x6d: return { type: 'cut', partial: true };
      case 0x70: return { type: 'event', event: { kind: 'drawer-kick', pin: (n & 1) === 1 ? 5 : 2, onMs: (bytes[3] ?? 0) * 2, offMs: (bytes[4] ?? 0) * 2 } };
      case 0x42: return { type: 'event', event: { kind: 'beep', command, times: n } };
      case 0x28:
        return n === 0x41 ? { type: 'event', event: { kind: 'beep', command, times: bytes[6] ?? 1 } } : ignored;
      case 0x7b: return settingWhenOn(command, (n & 1) === 1, 'upside-down printing');
      case 0x56: return settingWhenOn(command, (n & 3) !== 0, '90° rotation');
      case 0x72: return settingWhenOn(command, (n & 1) === 1, 'second colour');
      case 0x65: return settingWhenOn(command, n > 0, `reverse feed of ${n} lines`);
      case 0x4c: return settingWhenOn(command, true, 'page mode (printed as standard mode)');
      case 0x0c: return { type: 'ff' };
      case 0x3d: return { type: 'select-printer', on: (n & 1) === 1 };
      // Spacing, peripherals and panel, double-strike (looks like bold on a thermal head; not marked),
      // user-defined character set, page-mode geometry, heating: no effect on the text rendering.
      case 0x20: case 0x2b: case 0x32: case 0x33: case 0x41: case 0x63: case 0x55: case 0x47: case 0x25: case 0x3f:
      case 0x53: case 0x54: case 0x57: case 0x37: case 0x38: case 0x3c:
        return silent;
      default: return ignored;
    }
  }
  if (prefix === GS) {
    switch (cmd) {
      case 0x21: return { type: 'size', width: ((n >> 4) & 0x07) + 1, height: (n & 0x07) + 1 };
      case 0x72: return { type: 'paper-status-query', n };
      case 0x61: return { type: 'asb-enable', n };
      case 0x49: return { type: 'printer-id-query', n };
      case 0x28:
        if (n === 0x6b) return decodeTwoDCode(bytes);
        if (n === 0x4c) return decodeGraphics(command, bytes.subarray(5), bytes.length);
        return ignored;
      case 0x38: return decodeGraphics(command, bytes.subarray(7), bytes.length);
      case 0x56: {
        if (n === 0x00 || n === 0x30) return { type: 'cut', partial: false };
        if (n === 0x01 || n === 0x31) return { type: 'cut', partial: true };
        if (bytes.length === 4) return { type: 'cut', partial: n === 0x42 || n === 0x62 || n === 0x68, feedUnits: bytes[3] ?? 0 };
        return undefined;
      }
      case 0x42: return { type: 'reverse', on: (n & 1) === 1 };
      case 0x48: {
        const position = HRI_BY_CODE.get(n);
        return position === undefined ? undefined : { type: 'barcode-hri', position };
      }
      case 0x68: return { type: 'barcode-height', dots: n };
      case 0x77: return { type: 'barcode-width', dots: n };
      case 0x6b: return decodeBarcode(bytes);
      case 0x76: {
        const m = bytes[3] ?? 0;
        const widthBytes = (bytes[4] ?? 0) + 256 * (bytes[5] ?? 0);
        const height = (bytes[6] ?? 0) + 256 * (bytes[7] ?? 0);
        // m bit0 doubles the width, bit1 the height (0–3 or '0'–'3').
        return { type: 'raster', bitmap: rasterBitmap(bytes.subarray(8), widthBytes, height, (m & 1) === 1 ? 2 : 1, (m & 2) === 2 ? 2 : 1) };
      }
      case 0x2a: {
        const x = n;
        const y = bytes[3] ?? 0;
        return { type: 'graphics-store', slot: 'downloaded', bitmap: columnBitmap(bytes.subarray(4), x * 8, y, 1) };
      }
      case 0x2f: return { type: 'graphics-print', slot: 'downloaded', scaleX: (n & 1) === 1 ? 2 : 1, scaleY: (n & 2) === 2 ? 2 : 1 };
      case 0x0c: return { type: 'ff' };
      case 0x66: case 0x62: case 0x4c: case 0x57: case 0x50: case 0x54: case 0x45: case 0x24: case 0x5c: case 0x6a: case 0x7a: case 0x7c:
        return silent;
      default: return ignored;
    }
  }
  if (prefix === FS) {
    switch (cmd) {
      case 0x26: return { type: 'chinese-mode', on: true };
      case 0x2e: return { type: 'chinese-mode', on: false };
      case 0x21: return { type: 'chinese-print-mode', n };
      case 0x57: return { type: 'chinese-quadruple', on: (n & 1) === 1 };
      case 0x2d: return { type: 'underline', on: (n & 3) !== 0, chinese: true };
      case 0x43: case 0x53: return silent;
      default: return ignored;
    }
  }
  if (prefix === DLE) {
    if (cmd === 0x04) return { type: 'realtime-status-query', n };
    return { type: 'realtime-request', command, bytes: [...bytes] };
  }
  return undefined;
}

/** ESC / GS / FS / DLE: length from the table, then the token. */
function readCommand(buf: Uint8Array, pos: number): Read {
  const length = commandLength(buf, pos);
  if (length === 'incomplete') return 'incomplete';
  if (length === 'unknown') return unknown(buf, pos, 2);
  if (typeof length !== 'number') {
    if ('invalid' in length) return unknown(buf, pos, length.invalid);
    const { header, declared } = length.overlong;
    const command = commandName(buf.subarray(pos, pos + header));
    const reason = buf[pos] === GS && buf[pos + 1] === 0x6b
      ? `${command} (barcode) has no NUL within ${MAX_BARCODE_A_BYTES} bytes`
      : `${command} declares ${declared.toLocaleString('en-US')} data bytes, over the ${MAX_COMMAND_DATA_BYTES.toLocaleString('en-US')}-byte limit`;
    return { token: { type: 'overlong', command, reason: `${reason}: skipped its ${header}-byte header and read on` }, length: header };
  }
  const bytes = Buffer.from(buf.subarray(pos, pos + length));
  const spec = lookupCommand(buf[pos] ?? 0, buf[pos + 1] ?? 0);
  const token = decodeCommand(bytes, spec?.what ?? 'command');
  return token === undefined ? unknown(buf, pos, length) : { token, length };
}

/**
 * Length of the GB18030 character starting at `pos` in Chinese mode: 1 for
 * ASCII, 2 or 4 for multi-byte, 0 if the bytes are not a valid character,
 * 'incomplete' if the buffer ends inside it.
 */
function gb18030CharLength(buf: Uint8Array, pos: number): number | 'incomplete' {
  const lead = buf[pos] ?? 0;
  if (lead < 0x80) return 1;
  if (lead === 0x80 || lead === 0xff) return 0;
  const second = buf[pos + 1];
  if (second === undefined) return 'incomplete';
  if (second >= 0x30 && second <= 0x39) {
    if (pos + 4 > buf.length) return 'incomplete';
    const third = buf[pos + 2] ?? 0;
    const fourth = buf[pos + 3] ?? 0;
    return third >= 0x81 && third <= 0xfe && fourth >= 0x30 && fourth <= 0x39 ? 4 : 0;
  }
  return second >= 0x40 && second <= 0xfe && second !== 0x7f ? 2 : 0;
}

function isTextByte(byte: number): boolean {
  return byte >= 0x20 && byte !== 0x7f;
}

function readText(buf: Uint8Array, pos: number, chineseMode: boolean): Read {
  let end = pos;
  while (end < buf.length && isTextByte(buf[end] ?? 0)) {
    const length = chineseMode ? gb18030CharLength(buf, end) : 1;
    if (length === 'incomplete') break;
    if (length === 0) {
      if (end === pos) return unknown(buf, pos, 1);
      break;
    }
    end += length;
  }
  if (end === pos) return 'incomplete';
  const bytes = Buffer.from(buf.subarray(pos, end));
  const text = chineseMode ? iconv.decode(bytes, 'gb18030') : bytes.toString('latin1');
  return { token: { type: 'text', text }, length: end - pos };
}

function readToken(buf: Uint8Array, pos: number, chineseMode: boolean): Read {
  const byte = buf[pos] ?? 0;
  switch (byte) {
    case ESC:
    case GS:
    case FS:
    case DLE:
      return readCommand(buf, pos);
    case LF: return { token: { type: 'lf' }, length: 1 };
    case 0x0d: return { token: { type: 'cr' }, length: 1 };
    case 0x09: return { token: { type: 'ht' }, length: 1 };
    case 0x0c: return { token: { type: 'ff' }, length: 1 };
    case 0x18: return { token: { type: 'setting', command: 'CAN' }, length: 1 };
    default:
      return isTextByte(byte) ? readText(buf, pos, chineseMode) : unknown(buf, pos, 1);
  }
}

/** Feed it chunks as they arrive; it keeps an unfinished command until the rest comes. */
export class EscPosTokenizer {
  private pending: Buffer = Buffer.alloc(0);
  private chineseMode: boolean;

  /** China-market printers ship in Chinese (double-byte) mode, hence the default. */
  constructor(options: { chineseMode?: boolean } = {}) {
    this.chineseMode = options.chineseMode ?? true;
  }

  push(chunk: Uint8Array): EscPosToken[] {
    return this.pushWithBytes(chunk).map(({ token }) => token);
  }

  /** Like push, with the bytes each token was read from (the simulator keeps them per job). */
  pushWithBytes(chunk: Uint8Array): Array<{ token: EscPosToken; bytes: Buffer }> {
    const buf = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const tokens: Array<{ token: EscPosToken; bytes: Buffer }> = [];
    let pos = 0;
    while (pos < buf.length) {
      const read = readToken(buf, pos, this.chineseMode);
      if (read === 'incomplete') break;
      if (read.token.type === 'chinese-mode') this.chineseMode = read.token.on;
      tokens.push({ token: read.token, bytes: buf.subarray(pos, pos + read.length) });
      pos += read.length;
    }
    this.pending = buf.subarray(pos);
    return tokens;
  }

  /** End of stream: an unfinished command is reported as unknown bytes. */
  end(): EscPosToken[] {
    if (this.pending.length === 0) return [];
    const bytes = [...this.pending];
    this.pending = Buffer.alloc(0);
    return [{ type: 'unknown', bytes }];
  }
}

export function tokenize(bytes: Uint8Array, options: { chineseMode?: boolean } = {}): EscPosToken[] {
  const tokenizer = new EscPosTokenizer(options);
  return [...tokenizer.push(bytes), ...tokenizer.end()];
}

interface PendingLine extends TextMarks {
  text: string;
  align: Align;
  size: TextSize;
  bold: boolean;
  /** ESC * bit image in the line buffer (printed by the LF that ends the line). */
  strip?: Bitmap;
}

/** What the print head is set to, and the line being collected. */
export interface PrinterModel {
  align: Align;
  /** Size of single-byte (ASCII) characters: ESC ! and GS !. */
  size: TextSize;
  /** Size of Chinese characters: FS ! / FS W and GS ! (Epson: ESC ! does not enlarge them). */
  chineseSize: TextSize;
  bold: boolean;
  underline: boolean;
  chineseUnderline: boolean;
  reverse: boolean;
  fontB: boolean;
  /** Columns of the horizontal tab stops (ESC D); every 8 columns after ESC @. */
  tabStops: readonly number[];
  line: PendingLine | undefined;
  qr: { moduleSize: number; ec: QrErrorCorrection; data: string | undefined };
  barcode: { height: number; moduleWidth: number; hri: BarcodeHri };
  graphics: Partial<Record<GraphicsSlot, Bitmap>>;
  /** false after ESC = 2: bytes go to a customer display, not paper. */
  selected: boolean;
  /** Commands already reported as ignored (reported once per stream; survives ESC @). */
  reported: readonly string[];
}

const DEFAULT_TAB_STOPS: readonly number[] = Array.from({ length: 32 }, (_, i) => (i + 1) * 8);
/** Font A cell width in dots: ESC $ / ESC \\ positions become columns. */
const DOTS_PER_COLUMN = 12;

/** Epson power-on defaults: QR module size 3, level L; barcode 162 dots high, module 3, no HRI. */
export function initialPrinterModel(reported: readonly string[] = []): PrinterModel {
  return {
    align: 'left',
    size: { width: 1, height: 1 },
    chineseSize: { width: 1, height: 1 },
    bold: false,
    underline: false,
    chineseUnderline: false,
    reverse: false,
    fontB: false,
    tabStops: DEFAULT_TAB_STOPS,
    line: undefined,
    qr: { moduleSize: 3, ec: 'L', data: undefined },
    barcode: { height: 162, moduleWidth: 3, hri: 'none' },
    graphics: {},
    selected: true,
    reported,
  };
}

export function hex(bytes: readonly number[]): string {
  const shown = bytes.slice(0, 32).map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  return bytes.length > 32 ? `${shown} … (${bytes.length.toLocaleString('en-US')} bytes)` : shown;
}

/**
 * Code-set selectors out of CODE128 / GS1-128 data for people: `{B12345` →
 * `12345`; code set C bytes are digit pairs (`{C` 0x0C 0x22 → `1234`).
 */
export function barcodeDisplayText(symbology: string, data: string): string {
  if (!symbology.startsWith('CODE128') && symbology !== 'GS1-128') return data;
  let out = '';
  let codeSetC = false;
  for (let i = 0; i < data.length; i++) {
    const char = data[i] ?? '';
    if (char === '{' && i + 1 < data.length) {
      const selector = data[i + 1] ?? '';
      i += 1;
      if (selector === '{') out += '{';
      else if (selector === 'A' || selector === 'B' || selector === 'C') codeSetC = selector === 'C';
      continue;
    }
    out += codeSetC ? String(char.charCodeAt(0)).padStart(2, '0') : char;
  }
  return out;
}

type Step = { model: PrinterModel; items: DecodedItem[]; issue?: string; event?: PrinterEvent };

function flushLine(model: PrinterModel): { model: PrinterModel; items: DecodedItem[] } {
  const line = model.line;
  if (line === undefined) return { model, items: [] };
  const { strip, ...text } = line;
  const items: DecodedItem[] = [];
  if (strip !== undefined) items.push({ kind: 'image', source: 'ESC *', align: line.align, width: strip.width, height: strip.height, bits: strip.bits });
  if (strip === undefined || text.text !== '') items.push({ kind: 'text', ...text });
  return { model: { ...model, line: undefined }, items };
}

/** Prints an item at the start of a line: the pending line goes first. */
function printAfterLine(model: PrinterModel, item: DecodedItem): Step {
  const flushed = flushLine(model);
  return { model: flushed.model, items: [...flushed.items, item] };
}

function emptyLine(model: PrinterModel): PendingLine {
  return { text: '', align: model.align, size: model.size, bold: model.bold };
}

/**
 * Adds text to the line. Decided character by character (so a text run split
 * across TCP chunks decodes the same): a new line takes the size of its first
 * character's kind (ASCII or Chinese); underline is on if either kind present
 * has it on.
 */
function addText(model: PrinterModel, text: string): PrinterModel {
  const chineseFirst = /^[^\x00-\x7f]/u.test(text);
  const hasChinese = chineseFirst || /[^\x00-\x7f]/u.test(text);
  const hasAscii = /[\x00-\x7f]/u.test(text);
  const line = model.line === undefined || (model.line.text === '' && model.line.strip === undefined)
    ? { ...emptyLine(model), size: chineseFirst ? model.chineseSize : model.size, text: '' }
    : model.line;
  const underline = (hasAscii && model.underline) || (hasChinese && model.chineseUnderline) || line.underline === true;
  const marks: TextMarks = {
    ...(underline ? { underline: true } : {}),
    ...(model.reverse || line.reverse === true ? { reverse: true } : {}),
    ...(model.fontB || line.fontB === true ? { fontB: true } : {}),
  };
  return { ...model, line: { ...line, ...marks, text: line.text + text } };
}

function image(source: string, align: Align, bitmap: Bitmap): ImageItem {
  return { kind: 'image', source, align, width: bitmap.width, height: bitmap.height, bits: bitmap.bits };
}

/** Reports a command once per stream. */
function reportOnce(model: PrinterModel, key: string, issue: string): Step {
  return model.reported.includes(key) ? { model, items: [] } : { model: { ...model, reported: [...model.reported, key] }, items: [], issue };
}

/**
 * Applies one token to the printer model; returns what got printed (a text
 * line, QR symbol, barcode, image, feed, cut), any event (drawer kick, beep)
 * and any issue worth reporting. Commands that print (LF, ESC d, GS V, QR
 * print, barcodes, raster images) first flush a pending partial line.
 */
export function stepPrinter(model: PrinterModel, token: EscPosToken): Step {
  // Epson: a deselected printer ignores everything but ESC = (and real-time commands, which never reach here as print data).
  if (!model.selected && token.type !== 'select-printer') return { model, items: [] };
  switch (token.type) {
    case 'select-printer': return { model: { ...model, selected: token.on }, items: [] };
    case 'init': {
      const fresh = initialPrinterModel(model.reported);
      const pending = model.line?.text;
      return pending === undefined || pending === '' ? { model: fresh, items: [] } : { model: fresh, items: [], issue: `ESC @ discarded unprinted text "${pending}"` };
    }
    case 'align': return { model: { ...model, align: token.align }, items: [] };
    case 'bold': return { model: { ...model, bold: token.on }, items: [] };
    case 'size': {
      const size = { width: token.width, height: token.height };
      return { model: { ...model, size, chineseSize: size }, items: [] };
    }
    case 'print-mode':
      return {
        model: {
          ...model,
          bold: (token.n & 0x08) !== 0,
          size: { width: (token.n & 0x20) !== 0 ? 2 : 1, height: (token.n & 0x10) !== 0 ? 2 : 1 },
          fontB: (token.n & 0x01) !== 0,
          underline: (token.n & 0x80) !== 0,
        },
        items: [],
      };
    case 'chinese-print-mode':
      return {
        model: {
          ...model,
          chineseSize: { width: (token.n & 0x04) !== 0 ? 2 : 1, height: (token.n & 0x08) !== 0 ? 2 : 1 },
          chineseUnderline: (token.n & 0x80) !== 0,
        },
        items: [],
      };
    case 'chinese-quadruple': return { model: { ...model, chineseSize: token.on ? { width: 2, height: 2 } : { width: 1, height: 1 } }, items: [] };
    case 'underline': return { model: token.chinese ? { ...model, chineseUnderline: token.on } : { ...model, underline: token.on }, items: [] };
    case 'reverse': return { model: { ...model, reverse: token.on }, items: [] };
    case 'font': return { model: { ...model, fontB: token.fontB }, items: [] };
    case 'text': return { model: addText(model, token.text), items: [] };
    case 'ht': {
      const width = displayWidth(model.line?.text ?? '');
      const stop = model.tabStops.find((column) => column > width);
      // Epson ignores HT past the last stop.
      return stop === undefined ? { model, items: [] } : { model: addText(model, ' '.repeat(stop - width)), items: [] };
    }
    case 'tab-stops': return { model: { ...model, tabStops: token.stops }, items: [] };
    case 'position': {
      const width = displayWidth(model.line?.text ?? '');
      const target = token.relative ? width + Math.floor(token.dots / DOTS_PER_COLUMN) : Math.floor(token.dots / DOTS_PER_COLUMN);
      return target > width ? { model: addText(model, ' '.repeat(target - width)), items: [] } : { model, items: [] };
    }
    case 'lf': {
      if (model.line === undefined) return { model, items: [{ kind: 'text', ...emptyLine(model) }] };
      return flushLine(model);
    }
    case 'ff': return flushLine(model);
    case 'feed-lines': return printAfterLine(model, { kind: 'feed', lines: token.lines });
    case 'feed-dots': {
      const flushed = flushLine(model);
      return { ...flushed, issue: `ESC J ${token.dots} (feed by dots) is not part of the document model` };
    }
    case 'cut': return printAfterLine(model, { kind: 'cut', partial: token.partial, feedLines: 0 });
    case 'qr-module-size': return { model: { ...model, qr: { ...model.qr, moduleSize: token.size } }, items: [] };
    case 'qr-ec':
      return token.level === undefined
        ? { model, items: [], issue: 'QR error correction level out of range' }
        : { model: { ...model, qr: { ...model.qr, ec: token.level } }, items: [] };
    case 'qr-model':
      return token.model === 0x32 ? { model, items: [] } : { model, items: [], issue: `QR model byte ${hex([token.model])} (only model 2 is rendered)` };
    case 'qr-store': return { model: { ...model, qr: { ...model.qr, data: token.data } }, items: [] };
    case 'qr-print': {
      if (model.qr.data === undefined) return { model, items: [], issue: 'QR print without stored data' };
      const { moduleSize, ec, data } = model.qr;
      return printAfterLine(model, { kind: 'qr', data, moduleSize, ec, align: model.align });
    }
    case 'barcode-hri': return { model: { ...model, barcode: { ...model.barcode, hri: token.position } }, items: [] };
    case 'barcode-height': return { model: { ...model, barcode: { ...model.barcode, height: token.dots } }, items: [] };
    case 'barcode-width': return { model: { ...model, barcode: { ...model.barcode, moduleWidth: token.dots } }, items: [] };
    case 'barcode':
      return printAfterLine(model, { kind: 'barcode', symbology: token.symbology, data: token.data, align: model.align, ...model.barcode });
    case 'raster': return printAfterLine(model, image('GS v 0', model.align, token.bitmap));
    case 'bit-image-column': {
      const line = model.line ?? emptyLine(model);
      const strip = line.strip === undefined ? token.bitmap : besideBitmap(line.strip, token.bitmap);
      return { model: { ...model, line: { ...line, strip } }, items: [] };
    }
    case 'graphics-store': return { model: { ...model, graphics: { ...model.graphics, [token.slot]: token.bitmap } }, items: [] };
    case 'graphics-print': {
      const bitmap = model.graphics[token.slot];
      const source = token.slot === 'graphics' ? 'GS ( L' : 'GS *';
      if (bitmap === undefined) return { model, items: [], issue: `${source} print without a stored image` };
      const scaled = token.scaleX === 1 && token.scaleY === 1 ? bitmap : rasterBitmap(bitmap.bits, bytesPerRow(bitmap.width), bitmap.height, token.scaleX, token.scaleY, bitmap.width);
      return printAfterLine(model, image(source, model.align, scaled));
    }
    case 'event': return { model, items: [], event: token.event };
    case 'setting':
      return token.notRendered === undefined ? { model, items: [] } : reportOnce(model, token.command, `${token.command}: ${token.notRendered} is not rendered`);
    case 'ignored':
      return reportOnce(model, `${token.command} (${token.what})`, `ignored ${token.command} (${token.what}, ${token.length.toLocaleString('en-US')} bytes)`);
    case 'overlong': return { model, items: [], issue: token.reason };
    case 'unknown': return { model, items: [], issue: `unknown bytes ${hex(token.bytes)}` };
    case 'cr':
    case 'chinese-mode':
    case 'realtime-status-query':
    case 'paper-status-query':
    case 'asb-enable':
    case 'printer-id-query':
    case 'realtime-request':
    case 'code-table':
    case 'intl-charset':
      return { model, items: [] };
  }
}

/**
 * Whole-job clean-up of the printed items: `ESC d n` right before `GS V` is
 * the cut's own feed (see encodeLaidOut), and consecutive ESC * strips of
 * one width are one picture (drivers send a logo as 24-dot strips).
 */
export function mergeCutFeeds(items: readonly DecodedItem[]): DecodedItem[] {
  const merged: DecodedItem[] = [];
  for (const item of items) {
    const previous = merged[merged.length - 1];
    if (item.kind === 'cut' && item.feedLines === 0 && previous?.kind === 'feed') {
      merged[merged.length - 1] = { kind: 'cut', partial: item.partial, feedLines: previous.lines };
    } else if (item.kind === 'image' && item.source === 'ESC *' && previous?.kind === 'image' && previous.source === 'ESC *' && previous.width === item.width && previous.align === item.align) {
      const stacked = stackBitmaps(previous, item);
      merged[merged.length - 1] = { ...previous, height: stacked.height, bits: stacked.bits };
    } else {
      merged.push(item);
    }
  }
  return merged;
}

/** Text and strips still in the line buffer when the job ends are printed (as the simulator records them). */
export function pendingItems(model: PrinterModel): DecodedItem[] {
  return flushLine(model).items;
}

export interface DecodedStream {
  items: DecodedItem[];
  tokens: EscPosToken[];
  issues: string[];
  events: PrinterEvent[];
}

/** Whole-buffer decode: bytes → tokens → printed items. */
export function decodeEscPos(bytes: Uint8Array, options: { chineseMode?: boolean } = {}): DecodedStream {
  return decodeChunks([bytes], options);
}

/** Decodes a stream that arrives in chunks (as over TCP); any split gives the same items. */
export function decodeChunks(chunks: readonly Uint8Array[], options: { chineseMode?: boolean } = {}): DecodedStream {
  const tokenizer = new EscPosTokenizer(options);
  const tokens = [...chunks.flatMap((chunk) => tokenizer.push(chunk)), ...tokenizer.end()];
  let model = initialPrinterModel();
  const items: DecodedItem[] = [];
  const issues: string[] = [];
  const events: PrinterEvent[] = [];
  for (const token of tokens) {
    const step = stepPrinter(model, token);
    model = step.model;
    items.push(...step.items);
    if (step.issue !== undefined) issues.push(step.issue);
    if (step.event !== undefined) events.push(step.event);
  }
  items.push(...pendingItems(model));
  return { items: mergeCutFeeds(items), tokens, issues, events };
}
