/**
 * ESC/POS decoder for the simulator and tests: an incremental tokenizer
 * (bytes may arrive split anywhere) and a printer-state model that turns
 * tokens back into the laid-out document form of ../doc.ts. Unknown bytes
 * become `unknown` tokens and issues, never exceptions.
 */
import iconv from 'iconv-lite';
import type { Align, LaidOutItem, QrErrorCorrection, TextSize } from '../doc.js';
import { DLE, ESC, FS, GS, LF } from '../escpos.js';

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
  | { type: 'code-table'; n: number }
  | { type: 'intl-charset'; n: number }
  | { type: 'unknown'; bytes: number[] };

type Read = { token: EscPosToken; length: number } | 'incomplete';

const ALIGN_BY_CODE = new Map<number, Align>([
  [0x00, 'left'], [0x30, 'left'], [0x01, 'center'], [0x31, 'center'], [0x02, 'right'], [0x32, 'right'],
]);
const EC_BY_CODE = new Map<number, QrErrorCorrection>([[0x30, 'L'], [0x31, 'M'], [0x32, 'Q'], [0x33, 'H']]);

function unknown(buf: Uint8Array, pos: number, length: number): Read {
  return { token: { type: 'unknown', bytes: [...buf.subarray(pos, pos + length)] }, length };
}

/** ESC/GS/FS/DLE commands whose form is `prefix cmd n` (3 bytes). */
function threeByte(buf: Uint8Array, pos: number, make: (n: number) => EscPosToken | undefined): Read {
  const n = buf[pos + 2];
  if (n === undefined) return 'incomplete';
  const token = make(n);
  return token === undefined ? unknown(buf, pos, 3) : { token, length: 3 };
}

function readEsc(buf: Uint8Array, pos: number): Read {
  const cmd = buf[pos + 1];
  if (cmd === undefined) return 'incomplete';
  switch (cmd) {
    case 0x40: return { token: { type: 'init' }, length: 2 };
    case 0x61: return threeByte(buf, pos, (n) => {
      const align = ALIGN_BY_CODE.get(n);
      return align === undefined ? undefined : { type: 'align', align };
    });
    case 0x45: return threeByte(buf, pos, (n) => ({ type: 'bold', on: (n & 1) === 1 }));
    case 0x21: return threeByte(buf, pos, (n) => ({ type: 'print-mode', n }));
    case 0x64: return threeByte(buf, pos, (n) => ({ type: 'feed-lines', lines: n }));
    case 0x4a: return threeByte(buf, pos, (n) => ({ type: 'feed-dots', dots: n }));
    case 0x74: return threeByte(buf, pos, (n) => ({ type: 'code-table', n }));
    case 0x52: return threeByte(buf, pos, (n) => ({ type: 'intl-charset', n }));
    default: return unknown(buf, pos, 2);
  }
}

/** GS ( k with cn = 0x31 (QR); other `GS ( x pL pH …` functions are skipped whole. */
function readGsParen(buf: Uint8Array, pos: number): Read {
  if (pos + 5 > buf.length) return 'incomplete';
  const length = (buf[pos + 3] ?? 0) + 256 * (buf[pos + 4] ?? 0);
  const total = 5 + length;
  if (pos + total > buf.length) return 'incomplete';
  const fnCode = buf[pos + 2];
  const cn = buf[pos + 5];
  const fn = buf[pos + 6];
  const param = buf[pos + 7];
  if (fnCode !== 0x6b || cn !== 0x31 || fn === undefined || length < 2) return unknown(buf, pos, total);
  switch (fn) {
    case 0x41: return param === undefined || length !== 4 ? unknown(buf, pos, total) : { token: { type: 'qr-model', model: param }, length: total };
    case 0x43: return param === undefined || length !== 3 ? unknown(buf, pos, total) : { token: { type: 'qr-module-size', size: param }, length: total };
    case 0x45: return param === undefined || length !== 3 ? unknown(buf, pos, total) : { token: { type: 'qr-ec', level: EC_BY_CODE.get(param) }, length: total };
    case 0x50: {
      if (param !== 0x30 || length < 3) return unknown(buf, pos, total);
      const data = Buffer.from(buf.subarray(pos + 8, pos + total));
      return { token: { type: 'qr-store', data: data.toString('utf8'), byteLength: data.length }, length: total };
    }
    case 0x51: return { token: { type: 'qr-print' }, length: total };
    default: return unknown(buf, pos, total);
  }
}

function readGs(buf: Uint8Array, pos: number): Read {
  const cmd = buf[pos + 1];
  if (cmd === undefined) return 'incomplete';
  switch (cmd) {
    case 0x21: return threeByte(buf, pos, (n) => ({ type: 'size', width: ((n >> 4) & 0x07) + 1, height: (n & 0x07) + 1 }));
    case 0x72: return threeByte(buf, pos, (n) => ({ type: 'paper-status-query', n }));
    case 0x61: return threeByte(buf, pos, (n) => ({ type: 'asb-enable', n }));
    case 0x28: return readGsParen(buf, pos);
    case 0x56: {
      const m = buf[pos + 2];
      if (m === undefined) return 'incomplete';
      if (m === 0x00 || m === 0x30) return { token: { type: 'cut', partial: false }, length: 3 };
      if (m === 0x01 || m === 0x31) return { token: { type: 'cut', partial: true }, length: 3 };
      if (m === 0x41 || m === 0x42) {
        const n = buf[pos + 3];
        if (n === undefined) return 'incomplete';
        return { token: { type: 'cut', partial: m === 0x42, feedUnits: n }, length: 4 };
      }
      return unknown(buf, pos, 3);
    }
    default: return unknown(buf, pos, 2);
  }
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
    case ESC: return readEsc(buf, pos);
    case GS: return readGs(buf, pos);
    case FS: {
      const cmd = buf[pos + 1];
      if (cmd === undefined) return 'incomplete';
      if (cmd === 0x26) return { token: { type: 'chinese-mode', on: true }, length: 2 };
      if (cmd === 0x2e) return { token: { type: 'chinese-mode', on: false }, length: 2 };
      return unknown(buf, pos, 2);
    }
    case DLE: {
      const cmd = buf[pos + 1];
      if (cmd === undefined) return 'incomplete';
      if (cmd === 0x04) return threeByte(buf, pos, (n) => ({ type: 'realtime-status-query', n }));
      return unknown(buf, pos, 2);
    }
    case LF: return { token: { type: 'lf' }, length: 1 };
    case 0x0d: return { token: { type: 'cr' }, length: 1 };
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

/** What the print head is set to, and the line being collected. */
export interface PrinterModel {
  align: Align;
  size: TextSize;
  bold: boolean;
  line: { text: string; align: Align; size: TextSize; bold: boolean } | undefined;
  qr: { moduleSize: number; ec: QrErrorCorrection; data: string | undefined };
}

/** Epson power-on defaults for the QR symbol (module size 3, level L). */
export function initialPrinterModel(): PrinterModel {
  return { align: 'left', size: { width: 1, height: 1 }, bold: false, line: undefined, qr: { moduleSize: 3, ec: 'L', data: undefined } };
}

export function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/**
 * Applies one token to the printer model; returns what got printed (a text
 * line, QR symbol, feed, cut) and any issue worth reporting. Commands that
 * print (LF, ESC d, GS V, QR print) first flush a pending partial line.
 */
export function stepPrinter(model: PrinterModel, token: EscPosToken): { model: PrinterModel; items: LaidOutItem[]; issue?: string } {
  const flushLine = (m: PrinterModel): { model: PrinterModel; items: LaidOutItem[] } =>
    m.line === undefined ? { model: m, items: [] } : { model: { ...m, line: undefined }, items: [{ kind: 'text', ...m.line }] };
  switch (token.type) {
    case 'init': {
      const issue = model.line === undefined ? undefined : `ESC @ discarded unprinted text "${model.line.text}"`;
      return issue === undefined ? { model: initialPrinterModel(), items: [] } : { model: initialPrinterModel(), items: [], issue };
    }
    case 'align': return { model: { ...model, align: token.align }, items: [] };
    case 'bold': return { model: { ...model, bold: token.on }, items: [] };
    case 'size': return { model: { ...model, size: { width: token.width, height: token.height } }, items: [] };
    case 'print-mode':
      return {
        model: { ...model, bold: (token.n & 0x08) !== 0, size: { width: (token.n & 0x20) !== 0 ? 2 : 1, height: (token.n & 0x10) !== 0 ? 2 : 1 } },
        items: [],
      };
    case 'text': {
      const line = model.line === undefined
        ? { text: token.text, align: model.align, size: model.size, bold: model.bold }
        : { ...model.line, text: model.line.text + token.text };
      return { model: { ...model, line }, items: [] };
    }
    case 'lf': {
      const line = model.line ?? { text: '', align: model.align, size: model.size, bold: model.bold };
      return { model: { ...model, line: undefined }, items: [{ kind: 'text', ...line }] };
    }
    case 'feed-lines': {
      const flushed = flushLine(model);
      return { model: flushed.model, items: [...flushed.items, { kind: 'feed', lines: token.lines }] };
    }
    case 'feed-dots': {
      const flushed = flushLine(model);
      return { ...flushed, issue: `ESC J ${token.dots} (feed by dots) is not part of the document model` };
    }
    case 'cut': {
      const flushed = flushLine(model);
      return { model: flushed.model, items: [...flushed.items, { kind: 'cut', partial: token.partial, feedLines: 0 }] };
    }
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
      const flushed = flushLine(model);
      const { moduleSize, ec, data } = model.qr;
      return { model: flushed.model, items: [...flushed.items, { kind: 'qr', data, moduleSize, ec, align: model.align }] };
    }
    case 'unknown': return { model, items: [], issue: `unknown bytes ${hex(token.bytes)}` };
    case 'cr':
    case 'chinese-mode':
    case 'realtime-status-query':
    case 'paper-status-query':
    case 'asb-enable':
    case 'code-table':
    case 'intl-charset':
      return { model, items: [] };
  }
}

/** `ESC d n` right before `GS V` is the cut's own feed (see encodeLaidOut). */
export function mergeCutFeeds(items: readonly LaidOutItem[]): LaidOutItem[] {
  const merged: LaidOutItem[] = [];
  for (const item of items) {
    const previous = merged[merged.length - 1];
    if (item.kind === 'cut' && item.feedLines === 0 && previous?.kind === 'feed') {
      merged[merged.length - 1] = { kind: 'cut', partial: item.partial, feedLines: previous.lines };
    } else {
      merged.push(item);
    }
  }
  return merged;
}

export interface DecodedStream {
  items: LaidOutItem[];
  tokens: EscPosToken[];
  issues: string[];
}

/** Whole-buffer decode: bytes → tokens → printed items. */
export function decodeEscPos(bytes: Uint8Array, options: { chineseMode?: boolean } = {}): DecodedStream {
  const tokens = tokenize(bytes, options);
  let model = initialPrinterModel();
  const items: LaidOutItem[] = [];
  const issues: string[] = [];
  for (const token of tokens) {
    const step = stepPrinter(model, token);
    model = step.model;
    items.push(...step.items);
    if (step.issue !== undefined) issues.push(step.issue);
  }
  if (model.line !== undefined) items.push({ kind: 'text', ...model.line });
  return { items: mergeCutFeeds(items), tokens, issues };
}
