/**
 * What a decoded job looks like on paper: a plain-text form for test
 * assertions and logs, and an SVG → PNG image at printer resolution
 * (font A = 12×24 dots, 30-dot line pitch) for people.
 */
import { create as createQr } from 'qrcode';
import type { BitMatrix } from 'qrcode';
import sharp from 'sharp';
import { charColumns, displayWidth } from '../doc.js';
import type { Align, LaidOutItem } from '../doc.js';

const ALIGN_MARKS: Record<Align, string> = { left: 'L', center: 'C', right: 'R' };

/**
 * One line per printed item: `[C 2x2 B] A023`, `[C] [QR: https://…]`,
 * `(feed 3)`, `--- cut ---`. Marks: alignment, size when not 1×1, B = bold.
 */
export function renderJobText(items: readonly LaidOutItem[]): string {
  const lines = items.map((item) => {
    switch (item.kind) {
      case 'text': {
        const size = item.size.width === 1 && item.size.height === 1 ? '' : ` ${item.size.width}x${item.size.height}`;
        return `[${ALIGN_MARKS[item.align]}${size}${item.bold ? ' B' : ''}] ${item.text}`;
      }
      case 'qr': return `[${ALIGN_MARKS[item.align]}] [QR: ${item.data}]`;
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

/** SVG of the printed job; width = paper dots plus a small margin. */
export function renderJobSvg(items: readonly LaidOutItem[], paperWidthChars: number): { svg: string; width: number; height: number } {
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
        const font = `font-family="${CJK_FONT}" font-size="${FONT_DOTS * h}"${item.bold ? ' font-weight="bold"' : ''}`;
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
        y += LINE_PITCH * h;
        break;
      }
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

export async function renderJobPng(items: readonly LaidOutItem[], paperWidthChars: number): Promise<Buffer> {
  const { svg } = renderJobSvg(items, paperWidthChars);
  return sharp(Buffer.from(svg), { limitInputPixels: false }).png().toBuffer();
}
