/**
 * ESC/POS byte encoder for the subset in shared/specs/escpos-subset.md.
 * Pure: a print document in, a Buffer out. Modes (alignment, size, bold) are
 * emitted only when they change, starting from the state ESC @ leaves.
 */
import iconv from 'iconv-lite';
import { layoutDoc } from './doc.js';
import type { Align, LaidOutItem, LayoutOptions, PrintDoc, QrErrorCorrection, TextSize } from './doc.js';

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export const ALIGN_CODES: Record<Align, number> = { left: 0x00, center: 0x01, right: 0x02 };
export const QR_EC_CODES: Record<QrErrorCorrection, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };
/** GS ( k model byte for QR model 2. */
export const QR_MODEL_2 = 0x32;

export const commands = {
  initialise: (): Buffer => Buffer.from([ESC, 0x40]),
  chineseModeOn: (): Buffer => Buffer.from([FS, 0x26]),
  align: (align: Align): Buffer => Buffer.from([ESC, 0x61, ALIGN_CODES[align]]),
  bold: (on: boolean): Buffer => Buffer.from([ESC, 0x45, on ? 1 : 0]),
  /** GS !: high nibble = width − 1, low nibble = height − 1. */
  size: ({ width, height }: TextSize): Buffer => Buffer.from([GS, 0x21, ((width - 1) << 4) | (height - 1)]),
  feedLines: (lines: number): Buffer => Buffer.from([ESC, 0x64, lines]),
  cut: (partial: boolean): Buffer => Buffer.from([GS, 0x56, partial ? 0x01 : 0x00]),
  /** DLE EOT n: real-time status (n = 1 printer, 2 offline cause, 3 error cause, 4 paper). */
  realtimeStatus: (n: 1 | 2 | 3 | 4): Buffer => Buffer.from([DLE, EOT, n]),
  /** GS r 1: paper sensor status, answered in sequence with print data. */
  paperSensorStatus: (): Buffer => Buffer.from([GS, 0x72, 0x01]),
};

/** One GS ( k function for QR (cn = 0x31); pL pH count the bytes after pH. */
function qrFunction(fn: number, params: Buffer): Buffer {
  const length = 2 + params.length;
  return Buffer.concat([Buffer.from([GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, fn]), params]);
}

/** Model 2, module size, error correction, store (length from bytes, not string length), print. */
export function encodeQr(data: string, moduleSize: number, ec: QrErrorCorrection): Buffer {
  return Buffer.concat([
    qrFunction(0x41, Buffer.from([QR_MODEL_2, 0x00])),
    qrFunction(0x43, Buffer.from([moduleSize])),
    qrFunction(0x45, Buffer.from([QR_EC_CODES[ec]])),
    qrFunction(0x50, Buffer.concat([Buffer.from([0x30]), Buffer.from(data, 'utf8')])),
    qrFunction(0x51, Buffer.from([0x30])),
  ]);
}

export interface EncodeOptions extends LayoutOptions {
  /** Send FS & after ESC @ (Chinese double-byte mode). Default true. */
  chineseMode?: boolean;
}

export function encodeGb18030(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}

/** Serialises already laid-out items; `encodeEscPos` is the usual entry point. */
export function encodeLaidOut(items: readonly LaidOutItem[], chineseMode = true): Buffer {
  const parts: Buffer[] = [commands.initialise()];
  if (chineseMode) parts.push(commands.chineseModeOn());
  let align: Align = 'left';
  let size: TextSize = { width: 1, height: 1 };
  let bold = false;
  const setAlign = (next: Align): void => {
    if (next !== align) parts.push(commands.align(next));
    align = next;
  };
  for (const item of items) {
    switch (item.kind) {
      case 'text':
        setAlign(item.align);
        if (item.size.width !== size.width || item.size.height !== size.height) parts.push(commands.size(item.size));
        size = item.size;
        if (item.bold !== bold) parts.push(commands.bold(item.bold));
        bold = item.bold;
        parts.push(encodeGb18030(item.text), Buffer.from([LF]));
        break;
      case 'qr':
        setAlign(item.align);
        parts.push(encodeQr(item.data, item.moduleSize, item.ec));
        break;
      case 'feed':
        parts.push(commands.feedLines(item.lines));
        break;
      case 'cut':
        if (item.feedLines > 0) parts.push(commands.feedLines(item.feedLines));
        parts.push(commands.cut(item.partial));
        break;
    }
  }
  return Buffer.concat(parts);
}

export function encodeEscPos(doc: PrintDoc, options: EncodeOptions): Buffer {
  return encodeLaidOut(layoutDoc(doc, options), options.chineseMode ?? true);
}
