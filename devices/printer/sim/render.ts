/**
 * What a decoded job looks like on paper: a plain-text form for test
 * assertions and logs, and an SVG → PNG image at printer resolution
 * (font A = 12×24 dots, 30-dot line pitch) for people.
 */
import { create as createQr } from 'qrcode';
import type { BitMatrix } from 'qrcode';
import sharp from 'sharp';
import { charColumns, displayWidth } from '../doc.js';
import type { Align } from '../doc.js';
import { barcodeDisplayText } from './decoder.js';
import type { BarcodeItem, DecodedItem, ImageItem } from './decoder.js';

const ALIGN_MARKS: Record<Align, string> = { left: 'L', center: 'C', right: 'R' };

/**
 * One line per printed item: `[C 2x2 B] A023`, `[C] [QR: https://…]`,
 * `[C] [BARCODE EAN13: 4006381333931]`, `[L] [IMAGE 384x120]`, `(feed 3)`,
 * `--- cut ---`. Marks: alignment, size when not 1×1, B = bold,
 * U = underline, I = reverse (white on black), FB = font B.
 */
export function renderJobText(items: readonly DecodedItem[]): string {
  const lines = items.map((item) => {
    switch (item.kind) {
      case 'text': {
        const size = item.size.width === 1 && item.size.height === 1 ? '' : ` ${item.size.width}x${item.size.height}`;
        const marks = `${item.bold ? ' B' : ''}${item.underline === true ? ' U' : ''}${item.reverse === true ? ' I' : ''}${item.fontB === true ? ' FB' : ''}`;
        return `[${ALIGN_MARKS[item.align]}${size}${marks}] ${item.text}`;
      }
      case 'qr': return `[${ALIGN_MARKS[item.align]}] [QR: ${item.data}]`;
      case 'barcode': return `[${ALIGN_MARKS[item.align]}] [BARCODE ${item.symbology}: ${barcodeDisplayText(item.symbology, item.data)}]`;
      case 'image': return `[${ALIGN_MARKS[item.align]}] [IMAGE ${item.width}x${item.height}]`;
      case 'feed': return `(feed ${item.lines})`;
      case 'cut': return '--- cut ---';
    }
  });
  return `${lines.join('\n')}\n`;
}

const DOT_COLUMN = 12;
const FONT_DOTS = 24;
const LINE_PITCH = 30;
const MARGIN = 16;
const CJK_FONT = 'Noto Sans CJK SC';

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function alignedX(align: Align, contentWidth: number, paperDots: number): number {
  const free = Math.max(0, paperDots - contentWidth);
  return MARGIN + (align === 'left' ? 0 : align === 'center' ? free / 2 : free);
}

/** Dark-module path of the symbol, or undefined when the payload does not fit a QR code. */
function qrSymbol(data: string, ec: 'L' | 'M' | 'Q' | 'H', module: number): { path: (x0: number, y0: number) => string; size: number } | undefined {
  let modules: BitMatrix;
  try {
    modules = createQr(data, { errorCorrectionLevel: ec }).modules;
  } catch {
    return undefined;
  }
  const path = (x0: number, y0: number): string => {
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) d += `M${x0 + col * module},${y0 + row * module}h${module}v${module}h${-module}z`;
      }
    }
    return d;
  };
  return { path, size: modules.size * module };
}

/** Black runs of each row as one path: the image at one SVG unit per dot. */
function imagePath(item: ImageItem, x0: number, y0: number): string {
  const stride = Math.ceil(item.width / 8);
  let d = '';
  for (let row = 0; row < item.height; row++) {
    let runStart = -1;
    for (let col = 0; col <= item.width; col++) {
      const black = col < item.width && ((item.bits[row * stride + (col >> 3)] ?? 0) & (0x80 >> (col & 7))) !== 0;
      if (black && runStart < 0) runStart = col;
      if (!black && runStart >= 0) {
        d += `M${x0 + runStart},${y0 + row}h${col - runStart}v1h${runStart - col}z`;
        runStart = -1;
      }
    }
  }
  return d;
}

/**
 * Not the symbology's real encoding: a bar pattern from the data bits at the
 * set module width and height, with the human-readable text where GS H puts
 * it, so a person sees a barcode of the right size and what it carries.
 */
function barcodeSvg(item: BarcodeItem, paperDots: number, y0: number): { svg: string; height: number } {
  const text = barcodeDisplayText(item.symbology, item.data);
  const module = Math.max(1, item.moduleWidth);
  const pattern = [1, 0, 1];
  for (const char of text) {
    const code = char.charCodeAt(0);
    for (let bit = 7; bit >= 0; bit--) pattern.push((code >> bit) & 1);
    pattern.push(0);
  }
  pattern.push(1, 0, 1);
  const width = Math.min(pattern.length * module, paperDots);
  const x0 = alignedX(item.align, width, paperDots);
  const label = `<text x="${x0 + width / 2}" text-anchor="middle" font-family="${CJK_FONT}" font-size="${FONT_DOTS}" y="`;
  const above = item.hri === 'above' || item.hri === 'both';
  const below = item.hri === 'below' || item.hri === 'both';
  let y = y0;
  let svg = '';
  if (above) {
    svg += `${label}${y + FONT_DOTS * 0.88}">${escapeXml(text)}</text>`;
    y += LINE_PITCH;
  }
  let d = '';
  pattern.forEach((bar, i) => {
    if (bar === 1 && (i + 1) * module <= width) d += `M${x0 + i * module},${y}h${module}v${item.height}h${-module}z`;
  });
  svg += `<path d="${d}" fill="#000"/>`;
  y += item.height;
  if (below) {
    svg += `${label}${y + FONT_DOTS * 0.88}">${escapeXml(text)}</text>`;
    y += LINE_PITCH;
  }
  return { svg, height: y - y0 };
}

/** SVG of the printed job; width = paper dots plus a small margin. */
export function renderJobSvg(items: readonly DecodedItem[], paperWidthChars: number): { svg: string; width: number; height: number } {
  const paperDots = paperWidthChars * DOT_COLUMN;
  const parts: string[] = [];
  let y = MARGIN;
  for (const item of items) {
    switch (item.kind) {
      case 'text': {
        const { width: w, height: h } = item.size;
        const textWidth = displayWidth(item.text) * DOT_COLUMN * w;
        let x = alignedX(item.align, textWidth, paperDots);
        const baseline = y + FONT_DOTS * h * 0.88;
        // Reverse printing: white glyphs on a black band the height of the characters.
        if (item.reverse === true) parts.push(`<rect x="${x}" y="${y}" width="${textWidth}" height="${FONT_DOTS * h}" fill="#000"/>`);
        const font = `font-family="${CJK_FONT}" font-size="${FONT_DOTS * h}"${item.bold ? ' font-weight="bold"' : ''}${item.reverse === true ? ' fill="#fff"' : ''}`;
        // librsvg ignores textLength and per-glyph x lists, and the printer is
        // monospaced: ASCII goes one element per character, centred in its
        // 12-dot cell; runs of full-width characters (advance 1 em = 2 cells)
        // go as one element when the size is square.
        for (const run of item.text.match(/[^\x00-\x7f]+|[\x00-\x7f]/gu) ?? []) {
          if (w === h && run.length > 1) {
            parts.push(`<text x="${x}" y="${baseline}" ${font}>${escapeXml(run)}</text>`);
            x += displayWidth(run) * DOT_COLUMN * w;
            continue;
          }
          for (const char of run) {
            const cell = charColumns(char) * DOT_COLUMN * w;
            const place = w === h ? `x="${x + cell / 2}" y="${baseline}"` : `x="0" y="0" transform="translate(${x + cell / 2},${baseline}) scale(${w / h},1)"`;
            if (char !== ' ') parts.push(`<text ${place} text-anchor="middle" ${font}>${escapeXml(char)}</text>`);
            x += cell;
          }
        }
        if (item.underline === true) parts.push(`<rect x="${alignedX(item.align, textWidth, paperDots)}" y="${y + FONT_DOTS * h}" width="${textWidth}" height="2" fill="#000"/>`);
        y += LINE_PITCH * h;
        break;
      }
      case 'barcode': {
        const barcode = barcodeSvg(item, paperDots, y);
        parts.push(barcode.svg);
        y += barcode.height + DOT_COLUMN;
        break;
      }
      case 'image':
        parts.push(`<path d="${imagePath(item, alignedX(item.align, item.width, paperDots), y)}" fill="#000"/>`);
        y += item.height;
        break;
      case 'qr': {
        const symbol = qrSymbol(item.data, item.ec, item.moduleSize);
        if (symbol === undefined) {
          parts.push(`<text x="${MARGIN}" y="${y + FONT_DOTS}" font-family="${CJK_FONT}" font-size="${FONT_DOTS}" fill="#c00">[QR error]</text>`);
          y += LINE_PITCH;
        } else {
          parts.push(`<path d="${symbol.path(alignedX(item.align, symbol.size, paperDots), y)}" fill="#000"/>`);
          y += symbol.size + DOT_COLUMN;
        }
        break;
      }
      case 'feed':
        y += LINE_PITCH * item.lines;
        break;
      case 'cut':
        y += LINE_PITCH * item.feedLines;
        parts.push(`<line x1="0" y1="${y}" x2="${paperDots + 2 * MARGIN}" y2="${y}" stroke="#888" stroke-width="2" stroke-dasharray="10 6"/>`);
        y += MARGIN;
        break;
    }
  }
  const width = paperDots + 2 * MARGIN;
  const height = Math.max(Math.ceil(y + MARGIN), 2 * MARGIN);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`;
  return { svg, width, height };
}

export async function renderJobPng(items: readonly DecodedItem[], paperWidthChars: number): Promise<Buffer> {
  const { svg } = renderJobSvg(items, paperWidthChars);
  return sharp(Buffer.from(svg), { limitInputPixels: false }).png().toBuffer();
}
