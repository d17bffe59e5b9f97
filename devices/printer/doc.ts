/**
 * The print document: what a ticket or receipt says, independent of printer
 * bytes. `layoutDoc` turns it into printed lines (wrapped to the paper, all
 * defaults filled in); the encoder serialises those lines, and the simulator's
 * decoder reconstructs exactly that form, so `decode(encode(doc)) = layoutDoc(doc)`.
 */

export type Align = 'left' | 'center' | 'right';
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Character size multipliers, 1–8 each (GS !). A single number sets both. */
export interface TextSize {
  width: number;
  height: number;
}

export interface TextItem {
  kind: 'text';
  /** May contain `\n`; wrapped to the paper width by display columns. */
  text: string;
  align?: Align;
  size?: number | TextSize;
  bold?: boolean;
}

export interface QrItem {
  kind: 'qr';
  /** Keep it ASCII (a short URL or ticket id); the length field counts bytes. */
  data: string;
  /** Dots per module, 1–16. */
  moduleSize?: number;
  ec?: QrErrorCorrection;
  align?: Align;
}

export interface FeedItem {
  kind: 'feed';
  lines: number;
}

export interface RuleItem {
  kind: 'rule';
}

export interface CutItem {
  kind: 'cut';
  partial?: boolean;
  /** Lines fed before the cut so the last line clears the blade. */
  feedLines?: number;
}

export type PrintItem = TextItem | QrItem | FeedItem | RuleItem | CutItem;
export type PrintDoc = PrintItem[];

/** One printed line / symbol / feed / cut, with every default resolved. */
export type LaidOutItem =
  | { kind: 'text'; text: string; align: Align; size: TextSize; bold: boolean }
  | { kind: 'qr'; data: string; moduleSize: number; ec: QrErrorCorrection; align: Align }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut'; partial: boolean; feedLines: number };

/** Characters per line in font A (12×24 dots): 58 mm = 384 dots, 80 mm = 576 dots. */
export const PAPER_WIDTH_CHARS = { '58mm': 32, '80mm': 48 } as const;
export type PaperWidth = keyof typeof PAPER_WIDTH_CHARS;

export interface LayoutOptions {
  /** Columns of font A per line at size 1 (32 for 58 mm, 48 for 80 mm). */
  paperWidthChars: number;
}

export const DEFAULT_QR_MODULE_SIZE = 6;
export const DEFAULT_CUT_FEED_LINES = 4;
/** GS ( k store: 1 ≤ k ≤ 7089 data bytes. */
export const MAX_QR_BYTES = 7089;

export class InvalidPrintDocError extends Error {
  override readonly name = 'InvalidPrintDocError';
}

/**
 * Removes everything a printer would read as a command: C0/C1 controls (ESC,
 * GS, DLE…), DEL, and invisible format characters. Tabs become spaces; `\n`
 * is kept because it means "new line" in the document.
 */
export function sanitizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/(?!\n)[\p{Cc}\p{Cf}\p{Cs}]/gu, '');
}

/** Printer columns of one character: printable ASCII is one, everything double-byte or wider in GB18030 is two. */
export function charColumns(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : 2;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charColumns(char);
  return width;
}

/**
 * Greedy wrap by display columns. ASCII words (runs without spaces) move to
 * the next line whole when they fit there; longer words and CJK text break
 * between any two characters. Spaces at a break are dropped.
 */
export function wrapLine(text: string, columns: number): string[] {
  if (columns < 1) throw new InvalidPrintDocError(`line width must be at least 1 column, got ${columns}`);
  const tokens = text.match(/ +|[\x21-\x7e]+|[^\x20-\x7e]/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  let width = 0;
  const breakLine = (): void => {
    lines.push(line.trimEnd());
    line = '';
    width = 0;
  };
  for (const token of tokens) {
    const tokenWidth = displayWidth(token);
    if (token.startsWith(' ')) {
      if (width > 0 && width + tokenWidth <= columns) {
        line += token;
        width += tokenWidth;
      } else if (width > 0) {
        breakLine();
      }
      continue;
    }
    if (width + tokenWidth <= columns) {
      line += token;
      width += tokenWidth;
      continue;
    }
    const isAsciiWord = token.length > 1;
    if (isAsciiWord && tokenWidth <= columns && width > 0) {
      breakLine();
      line = token;
      width = tokenWidth;
      continue;
    }
    for (const char of token) {
      const charWidth = charColumns(char);
      if (width + charWidth > columns && width > 0) breakLine();
      line += char;
      width += charWidth;
    }
  }
  if (width > 0 || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidPrintDocError(`${what} must be an integer ${min}–${max}, got ${String(value)}`);
  }
  return value;
}

function resolveSize(size: TextItem['size']): TextSize {
  if (size === undefined) return { width: 1, height: 1 };
  if (typeof size === 'number') {
    const both = clampInt(size, 1, 8, 1, 'text size');
    return { width: both, height: both };
  }
  return { width: clampInt(size.width, 1, 8, 1, 'text width'), height: clampInt(size.height, 1, 8, 1, 'text height') };
}

/**
 * Resolves defaults and wraps text into printed lines. Throws
 * InvalidPrintDocError for values no printer can honour (size 9, an empty or
 * over-long QR payload) so the driver can refuse the job with a clear reason.
 */
export function layoutDoc(doc: PrintDoc, options: LayoutOptions): LaidOutItem[] {
  const out: LaidOutItem[] = [];
  for (const item of doc) {
    switch (item.kind) {
      case 'text': {
        const size = resolveSize(item.size);
        const columns = Math.floor(options.paperWidthChars / size.width);
        const align = item.align ?? 'left';
        const bold = item.bold ?? false;
        for (const paragraph of sanitizeText(item.text).split('\n')) {
          for (const text of wrapLine(paragraph, columns)) out.push({ kind: 'text', text, align, size, bold });
        }
        break;
      }
      case 'qr': {
        const bytes = Buffer.byteLength(item.data, 'utf8');
        if (bytes < 1 || bytes > MAX_QR_BYTES) throw new InvalidPrintDocError(`QR payload must be 1–${MAX_QR_BYTES} bytes, got ${bytes}`);
        out.push({
          kind: 'qr',
          data: item.data,
          moduleSize: clampInt(item.moduleSize, 1, 16, DEFAULT_QR_MODULE_SIZE, 'QR module size'),
          ec: item.ec ?? 'M',
          align: item.align ?? 'center',
        });
        break;
      }
      case 'feed':
        out.push({ kind: 'feed', lines: clampInt(item.lines, 0, 255, 0, 'feed lines') });
        break;
      case 'rule':
        out.push({ kind: 'text', text: '-'.repeat(options.paperWidthChars), align: 'left', size: { width: 1, height: 1 }, bold: false });
        break;
      case 'cut':
        out.push({ kind: 'cut', partial: item.partial ?? false, feedLines: clampInt(item.feedLines, 0, 255, DEFAULT_CUT_FEED_LINES, 'cut feed lines') });
        break;
    }
  }
  return out;
}
