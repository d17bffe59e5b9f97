import PDFDocument from 'pdfkit';
import { printWords } from '../../common/printed-words.js';
import type { FontSource } from './fonts.js';
import { cleanLine, cleanText } from './text.js';

/**
 * The A4 page furniture shared by every document: title block, sections,
 * label/value fields, lists and tables that wrap and break across pages, and
 * a footer with "第 i 页 / 共 n 页" (or the document's language's). Text passed in is cleaned here, so no
 * renderer can forget it. Output is built in memory.
 */
const MARGIN = 56;
const FOOTER_GAP = 28;
const BODY_SIZE = 11;
const LINE_GAP = 3;
const TEXT = '#111111';
const MUTED = '#555555';
const RULE = '#999999';

export interface DocumentInfo {
  title: string;
  /** Printed at the foot of every page. */
  hallName: string;
  /** The foot of a page in the document's language (`printWords(locale).a4PageFooter`); Chinese when absent. */
  footer?: (hall: string, page: number, pages: number) => string;
  /** The document's language tag (PDF /Lang). Default zh-CN. */
  lang?: string;
}

export interface TableColumn {
  header: string;
  /** Share of the text width; shares are normalised. */
  share: number;
}

export class DocWriter {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: string, subtitle?: string): void {
    this.doc.fontSize(20).fillColor(TEXT).text(cleanLine(text), this.left, this.doc.y, { width: this.width, align: 'center', lineGap: LINE_GAP });
    if (subtitle !== undefined) this.doc.moveDown(0.2).fontSize(12).fillColor(MUTED).text(cleanLine(subtitle), this.left, this.doc.y, { width: this.width, align: 'center' });
    this.doc.moveDown(0.8).fillColor(TEXT);
  }

  heading(text: string): void {
    this.ensureSpace(50);
    this.doc.moveDown(0.6).fontSize(13).fillColor(TEXT).text(cleanLine(text), this.left, this.doc.y, { width: this.width });
    const y = this.doc.y + 2;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.6).strokeColor(RULE).stroke();
    this.doc.y = y + 6;
  }

  paragraph(text: string, options: { size?: number; muted?: boolean } = {}): void {
    const cleaned = cleanText(text);
    if (cleaned === '') return;
    this.doc
      .fontSize(options.size ?? BODY_SIZE)
      .fillColor(options.muted === true ? MUTED : TEXT)
      .text(cleaned, this.left, this.doc.y, { width: this.width, lineGap: LINE_GAP });
    this.doc.fillColor(TEXT).moveDown(0.3);
  }

  /** Label/value rows; a long value wraps beside its label and may continue on the next page. `colon` follows each label (the document's language). */
  fields(rows: ReadonlyArray<readonly [string, string]>, labelWidth = 96, colon = '：'): void {
    for (const [label, value] of rows) {
      const cleanedValue = cleanText(value) || '—';
      const valueWidth = this.width - labelWidth;
      this.doc.fontSize(BODY_SIZE);
      this.ensureSpace(Math.min(this.doc.heightOfString(cleanedValue, { width: valueWidth, lineGap: LINE_GAP }), 60));
      const top = this.doc.y;
      this.doc.fillColor(MUTED).text(`${cleanLine(label)}${colon}`, this.left, top, { width: labelWidth, lineGap: LINE_GAP });
      this.doc.fillColor(TEXT).text(cleanedValue, this.left + labelWidth, top, { width: valueWidth, lineGap: LINE_GAP });
      this.doc.moveDown(0.25);
    }
  }

  /** A numbered (or bulleted) list with hanging indent. */
  list(items: readonly string[], numbered = true): void {
    const indent = 22;
    items.forEach((item, position) => {
      const cleaned = cleanText(item);
      if (cleaned === '') return;
      this.doc.fontSize(BODY_SIZE);
      this.ensureSpace(Math.min(this.doc.heightOfString(cleaned, { width: this.width - indent }), 40));
      const top = this.doc.y;
      this.doc.fillColor(TEXT).text(numbered ? `${position + 1}.` : '•', this.left, top, { width: indent });
      this.doc.text(cleaned, this.left + indent, top, { width: this.width - indent, lineGap: LINE_GAP });
      this.doc.moveDown(0.2);
    });
  }

  /** A ruled table; rows never split, the header repeats on every page. A row taller than a page is printed anyway and flows. */
  table(columns: readonly TableColumn[], rows: ReadonlyArray<readonly string[]>): void {
    const totalShare = columns.reduce((sum, column) => sum + column.share, 0);
    const widths = columns.map((column) => (column.share / totalShare) * this.width);
    const padding = 4;
    const size = 10;
    const rowHeight = (cells: readonly string[]): number =>
      Math.max(...cells.map((cell, index) => this.doc.fontSize(size).heightOfString(cell || ' ', { width: (widths[index] ?? 0) - 2 * padding }))) + 2 * padding;
    const drawRow = (cells: readonly string[], header: boolean): void => {
      const height = rowHeight(cells);
      const top = this.doc.y;
      let x = this.left;
      cells.forEach((cell, index) => {
        const width = widths[index] ?? 0;
        if (header) this.doc.rect(x, top, width, height).fillColor('#eeeeee').fill();
        this.doc.rect(x, top, width, height).lineWidth(0.5).strokeColor(RULE).stroke();
        this.doc.fontSize(size).fillColor(TEXT).text(cell, x + padding, top + padding, { width: width - 2 * padding });
        x += width;
      });
      this.doc.x = this.left;
      this.doc.y = Math.max(this.doc.y, top + height);
    };
    const headerCells = columns.map((column) => cleanLine(column.header));
    const cleanedRows = rows.map((row) => columns.map((_, index) => cleanText(row[index] ?? '')));
    this.ensureSpace(rowHeight(headerCells) + (cleanedRows[0] ? rowHeight(cleanedRows[0]) : 0));
    drawRow(headerCells, true);
    for (const row of cleanedRows) {
      const height = rowHeight(row);
      if (this.doc.y + height > this.bottom && height < this.bottom - this.doc.page.margins.top) {
        this.doc.addPage();
        drawRow(headerCells, true);
      }
      drawRow(row, false);
    }
    this.doc.moveDown(0.4);
  }

  image(png: Buffer, size: number, align: 'left' | 'right' | 'center' = 'center'): void {
    this.ensureSpace(size + 8);
    const x = align === 'left' ? this.left : align === 'right' ? this.left + this.width - size : this.left + (this.width - size) / 2;
    const top = this.doc.y;
    this.doc.image(png, x, top, { width: size, height: size });
    this.doc.y = top + size + 4;
  }
}

/**
 * Creates an A4 document in the given font, lets `draw` fill it, numbers the
 * pages and returns the PDF bytes.
 */
export async function renderDocument(info: DocumentInfo, font: FontSource, draw: (writer: DocWriter) => void | Promise<void>): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_GAP, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: cleanLine(info.title), Author: cleanLine(info.hallName), Creator: 'Liuliu 浏浏', Producer: 'Liuliu 浏浏' },
    lang: info.lang ?? 'zh-CN',
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', font.src, font.postscriptName);
  doc.font('body');
  await draw(new DocWriter(doc));
  addFooters(doc, cleanLine(info.hallName), info.footer ?? printWords().a4PageFooter);
  doc.end();
  return finished;
}

function addFooters(doc: PDFKit.PDFDocument, hallName: string, footer: (hall: string, page: number, pages: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const { margins, height, width } = doc.page;
    const bottomMargin = margins.bottom;
    // Writing inside the bottom margin would make pdfkit open a new page.
    margins.bottom = 0;
    const y = height - bottomMargin + FOOTER_GAP / 2;
    doc.fontSize(9).fillColor(MUTED).text(cleanLine(footer(hallName, index - range.start + 1, range.count)), margins.left, y, { width: width - margins.left - margins.right, align: 'center', lineBreak: false });
    margins.bottom = bottomMargin;
  }
}
