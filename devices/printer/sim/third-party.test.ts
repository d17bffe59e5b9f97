/**
 * Byte streams as third-party software sends them, written by hand from the
 * Epson ESC/POS reference and the libraries' sources: python-escpos
 * (escpos.py / constants.py), node-thermal-printer (lib/core.js,
 * lib/types/epson.js) and an Xprinter-style Chinese receipt app. The decoded
 * text must be what the paper shows: no parameter or data byte as text.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeChunks, decodeEscPos } from './decoder.js';
import { renderJobPng, renderJobText } from './render.js';

type Part = string | number[];

/** Strings are ASCII text (as the libraries send it); arrays are raw bytes. */
function stream(...parts: Part[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
}

function gb(text: string): number[] {
  return [...iconv.encode(text, 'gb18030')];
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;
const HT = 0x09;

/** python-escpos `_send_2d_code_data` / `_image_send_graphics_data`: pL pH count what follows. */
function lengthField(prefix: number[], body: number[]): number[] {
  return [...prefix, body.length & 0xff, body.length >> 8, ...body];
}

const PY_SET_CENTER_BOLD_DOUBLE_HEIGHT_UNDERLINE = [
  ESC, 0x21, 0x00, // TXT_NORMAL
  ESC, 0x21, 0x00, ESC, 0x21, 0x10, // TXT_STYLE size 2h
  ESC, 0x7b, 0x00, // flip off
  GS, 0x62, 0x00, // smooth off
  ESC, 0x45, 0x01, // bold
  ESC, 0x2d, 0x01, // underline 1
  ESC, 0x4d, 0x00, // font a
  ESC, 0x61, 0x01, // align center
  GS, 0x42, 0x00, // invert off
];
const PY_SET_DEFAULTS = [
  ESC, 0x21, 0x00, ESC, 0x21, 0x00, ESC, 0x21, 0x00, ESC, 0x7b, 0x00, GS, 0x62, 0x00,
  ESC, 0x45, 0x00, ESC, 0x2d, 0x00, ESC, 0x4d, 0x00, ESC, 0x61, 0x00, GS, 0x42, 0x00,
];
/** barcode(): ESC a 1, GS h 64, GS w 3, GS f 0 (font A), GS H 2 (below). */
const PY_BARCODE_SETUP = [ESC, 0x61, 0x01, GS, 0x68, 64, GS, 0x77, 3, GS, 0x66, 0, GS, 0x48, 2];
const QR_URL = 'https://example.com/q';
/** image(): GS v 0, high density both ways (m 0), 16×4 dots: a frame. */
const PY_IMAGE = [GS, 0x76, 0x30, 0x00, 2, 0, 4, 0, 0xff, 0xff, 0x80, 0x01, 0x80, 0x01, 0xff, 0xff];

const PYTHON_ESCPOS = stream(
  [ESC, 0x40],
  'Hello\n', // text('Hello\n')
  [ESC, 0x3d, 0x02, ESC, 0x40], 'Total 6.00', [ESC, 0x3d, 0x01], // linedisplay('Total 6.00'): the customer display, not paper
  PY_SET_CENTER_BOLD_DOUBLE_HEIGHT_UNDERLINE,
  'RECEIPT\n',
  PY_SET_DEFAULTS,
  PY_BARCODE_SETUP, [GS, 0x6b, 2], '4006381333931', [0x00], // barcode('4006381333931', 'EAN13')
  PY_BARCODE_SETUP, [GS, 0x6b, 73, 7], '{B12345', // barcode('{B12345', 'CODE128', function_type='B')
  // qr(QR_URL, native=True): model 2, size 3, level L, store, print.
  lengthField([GS, 0x28, 0x6b], [0x31, 0x41, 0x32, 0x00]),
  lengthField([GS, 0x28, 0x6b], [0x31, 0x43, 3]),
  lengthField([GS, 0x28, 0x6b], [0x31, 0x45, 0x30]),
  lengthField([GS, 0x28, 0x6b], [0x31, 0x50, 0x30, ...Buffer.from(QR_URL)]),
  lengthField([GS, 0x28, 0x6b], [0x31, 0x51, 0x30]),
  PY_IMAGE,
  PY_SET_DEFAULTS,
  [ESC, 0x44, 8, 16, 24, 32, 0x00], // control('HT'): tab stops every 8 columns
  'A\tB\tC\n',
  [ESC, 0x70, 0x00, 50, 50], // cashdraw(2)
  [ESC, 0x64, 6, GS, 0x56, 0x00], // cut(): print_and_feed(6), full cut
);

/** Xprinter-style Chinese receipt: FS &, FS ! title, ESC D columns, FS - underline, NV logo, beeper. */
const XPRINTER_RECEIPT = stream(
  [ESC, 0x40, FS, 0x26, ESC, 0x33, 24],
  [FS, 0x70, 0x01, 0x00], // print NV logo 1 (not modelled)
  [ESC, 0x61, 0x01, FS, 0x21, 0x0c], gb('收据'), [LF],
  [FS, 0x21, 0x00, ESC, 0x61, 0x00, ESC, 0x44, 10, 20, 0x00],
  gb('品名'), [HT], gb('数量'), [HT], gb('金额'), [LF],
  gb('豆浆'), [HT], '2', [HT], '6.00', [LF],
  [FS, 0x2d, 0x01], gb('合计'), [FS, 0x2d, 0x00, HT, HT], '6.00', [LF],
  [FS, 0x70, 0x01, 0x00], // the logo again: reported once
  [ESC, 0x42, 2, 1], // beep twice
  [GS, 0x56, 0x42, 0x00], // feed and partial cut
);

const NODE_THERMAL_PRINTER = stream(
  [ESC, 0x74, 0x00], // characterSet PC437
  [ESC, 0x61, 0x01], // alignCenter()
  // printBarcode('4006381333931', 67): GS H 0, GS f 0, GS w 3, GS h 162, GS k type length data
  [GS, 0x48, 0, GS, 0x66, 0, GS, 0x77, 3, GS, 0x68, 0xa2, GS, 0x6b, 67, 13], '4006381333931',
  [LF], // newLine()
  [ESC, 0x61, 0x00], // alignLeft()
  `${'-'.repeat(48)}\n`, // drawLine()
  // tableCustom([{text:'Item', width:0.5}, {text:'Qty', align:'CENTER', width:0.25, bold:true}, {text:'Sum', align:'RIGHT', cols:12}])
  `Item${' '.repeat(20)}`, [ESC, 0x45, 0x01], `${' '.repeat(5)}Qty${' '.repeat(4)}`, [ESC, 0x45, 0x00], `${' '.repeat(9)}Sum`, [LF],
  // printImageBuffer(8×2 PNG): GS v 0 with m = 48
  [GS, 0x76, 0x30, 48, 1, 0, 2, 0, 0xff, 0x81],
  [ESC, 0x64, 4, ESC, 0x64, 4, GS, 0x56, 0x00, ESC, 0x40], // cut()
);

/** Every split point gives what the whole stream gives (TCP may cut anywhere). */
function expectSplitInvariant(bytes: Buffer): void {
  const whole = decodeEscPos(bytes);
  for (let cut = 1; cut < bytes.length; cut++) {
    const split = decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect({ items: split.items, issues: split.issues, events: split.events }).toEqual({ items: whole.items, issues: whole.issues, events: whole.events });
  }
}

describe('python-escpos', () => {
  it('prints text, styles, both barcode functions, a native QR, a raster image, tabs, a drawer kick and a cut; line-display text stays off paper', () => {
    const decoded = decodeEscPos(PYTHON_ESCPOS);
    expect(renderJobText(decoded.items)).toBe([
      '[L] Hello',
      '[C 1x2 B U] RECEIPT',
      '[C] [BARCODE EAN13: 4006381333931]',
      '[C] [BARCODE CODE128: 12345]',
      `[C] [QR: ${QR_URL}]`,
      '[C] [IMAGE 16x4]',
      '[L] A       B       C',
      '--- cut ---',
      '',
    ].join('\n'));
    expect(decoded.issues).toEqual([]);
    expect(decoded.events).toEqual([{ kind: 'drawer-kick', pin: 2, onMs: 100, offMs: 100 }]);
    expect(decoded.items[2]).toMatchObject({ kind: 'barcode', symbology: 'EAN13', height: 64, moduleWidth: 3, hri: 'below' });
    expect(decoded.items[3]).toMatchObject({ kind: 'barcode', symbology: 'CODE128', data: '{B12345' });
    expect(decoded.items[5]).toMatchObject({ kind: 'image', width: 16, height: 4, bits: Uint8Array.from([0xff, 0xff, 0x80, 0x01, 0x80, 0x01, 0xff, 0xff]) });
    expect(decoded.items[7]).toEqual({ kind: 'cut', partial: false, feedLines: 6 });
    expectSplitInvariant(PYTHON_ESCPOS);
  });

  it('stacks ESC * strips (impl="bitImageColumn") into one picture and prints GS ( L graphics (impl="graphics")', () => {
    const strip = (fill: number): number[] => [ESC, 0x2a, 33, 4, 0, ...Array.from({ length: 12 }, () => fill), LF];
    const columns = stream([ESC, 0x40, ESC, 0x33, 16], strip(0xff), strip(0x00), [ESC, 0x32]);
    const decoded = decodeEscPos(columns);
    expect(renderJobText(decoded.items)).toBe('[L] [IMAGE 4x48]\n');
    expect(decoded.issues).toEqual([]);
    const image = decoded.items[0];
    expect(image?.kind === 'image' ? [...image.bits.subarray(0, 24)].every((byte) => byte === 0xf0) : false).toBe(true);
    expect(image?.kind === 'image' ? [...image.bits.subarray(24)].every((byte) => byte === 0) : false).toBe(true);
    expectSplitInvariant(columns);

    const graphics = stream(
      [ESC, 0x40],
      lengthField([GS, 0x28, 0x4c], [0x30, 0x70, 0x30, 1, 1, 0x31, 16, 0, 2, 0, 0xaa, 0x55, 0x55, 0xaa]),
      lengthField([GS, 0x28, 0x4c], [0x30, 0x32]),
    );
    expect(renderJobText(decodeEscPos(graphics).items)).toBe('[L] [IMAGE 16x2]\n');
    expect(decodeEscPos(graphics).issues).toEqual([]);

    // GS * x=1 y=1 (8×8 dots, column format), printed by GS / 3 at double width and height.
    const downloaded = decodeEscPos(stream([ESC, 0x40, GS, 0x2a, 1, 1, 0x80, 0, 0, 0, 0, 0, 0, 0x01, GS, 0x2f, 3]));
    expect(renderJobText(downloaded.items)).toBe('[L] [IMAGE 16x16]\n');
    const picture = downloaded.items[0];
    // Column 0 top dot → rows 0–1, columns 0–1; column 7 bottom dot → rows 14–15, columns 14–15.
    expect(picture?.kind === 'image' ? [...picture.bits] : []).toEqual([0xc0, 0, 0xc0, 0, ...Array.from({ length: 24 }, () => 0), 0, 0x03, 0, 0x03]);
  });
});

describe('an Xprinter-style Chinese receipt', () => {
  it('prints the FS ! title, ESC D columns and FS - underline; the NV logo is consumed and reported once', () => {
    const decoded = decodeEscPos(XPRINTER_RECEIPT);
    expect(renderJobText(decoded.items)).toBe([
      '[C 2x2] 收据',
      '[L] 品名      数量      金额',
      '[L] 豆浆      2         6.00',
      '[L U] 合计                6.00',
      '--- cut ---',
      '',
    ].join('\n'));
    expect(decoded.issues).toEqual(['ignored FS p (print NV bit image, 4 bytes)']);
    expect(decoded.events).toEqual([{ kind: 'beep', command: 'ESC B', times: 2 }]);
    expectSplitInvariant(XPRINTER_RECEIPT);
  });
});

describe('node-thermal-printer', () => {
  it('prints printBarcode, drawLine, tableCustom and printImageBuffer', () => {
    const decoded = decodeEscPos(NODE_THERMAL_PRINTER);
    expect(renderJobText(decoded.items)).toBe([
      '[C] [BARCODE EAN13: 4006381333931]',
      '[C] ',
      `[L] ${'-'.repeat(48)}`,
      `[L] Item${' '.repeat(25)}Qty${' '.repeat(13)}Sum`,
      '[L] [IMAGE 8x2]',
      '(feed 4)',
      '--- cut ---',
      '',
    ].join('\n'));
    expect(decoded.items[0]).toMatchObject({ hri: 'none', height: 162 });
    expect(decoded.issues).toEqual([]);
    expectSplitInvariant(NODE_THERMAL_PRINTER);
  });
});

describe('parameter bytes never print', () => {
  it('GS h 80 does not print "P" and GS k data is a barcode, not text (the old decoder printed both)', () => {
    const decoded = decodeEscPos(stream([ESC, 0x40, GS, 0x68, 80, GS, 0x6b, 4], 'ABC123', [0x00]));
    expect(decoded.items).toEqual([{ kind: 'barcode', symbology: 'CODE39', data: 'ABC123', align: 'left', height: 80, moduleWidth: 3, hri: 'none' }]);
    expect(decoded.issues).toEqual([]);
  });

  it('consumes unmodelled commands whole, with their data, and names them once', () => {
    const decoded = decodeEscPos(stream(
      [ESC, 0x40],
      [ESC, 0x26, 3, 0x41, 0x41, 2, 1, 2, 3, 4, 5, 6], // user-defined character "A"
      [ESC, 0x26, 3, 0x42, 0x42, 1, 9, 9, 9],
      [FS, 0x71, 1, 1, 0, 1, 0, ...Array.from({ length: 8 }, () => 0x41)], // NV bit image made of "A" bytes
      lengthField([GS, 0x28, 0x6b], [0x30, 0x50, 0x30, ...Buffer.from('PDF')]),
      [GS, 0x38, 0x4c, 4, 0, 0, 0, 0x30, 0x43, 0x41, 0x41], // GS 8 L define NV graphics
      'ok\n',
    ));
    expect(renderJobText(decoded.items)).toBe('[L] ok\n');
    expect(decoded.issues).toEqual([
      'ignored ESC & (user-defined characters, 12 bytes)',
      'ignored FS q (define NV bit images, 15 bytes)',
      'ignored GS ( k (PDF417, 11 bytes)',
      'ignored GS 8 L (graphics function 67, 11 bytes)',
    ]);
  });

  it('does not wait for or buffer an absurd length: reports it and reads on after the header', () => {
    const raster = decodeEscPos(stream([GS, 0x76, 0x30, 0x00, 0xff, 0xff, 0xff, 0xff], 'OK\n'));
    expect(renderJobText(raster.items)).toBe('[L] OK\n');
    expect(raster.issues).toEqual(['GS v 0 declares 4,294,836,225 data bytes, over the 1,048,576-byte limit: skipped its 8-byte header and read on']);
    const graphics = decodeEscPos(stream([GS, 0x38, 0x4c, 0, 0, 0, 0x80], 'OK\n'));
    expect(graphics.issues).toEqual(['GS 8 L declares 2,147,483,648 data bytes, over the 1,048,576-byte limit: skipped its 7-byte header and read on']);
    const noNul = stream([GS, 0x6b, 4], 'A'.repeat(300), '\n');
    const barcode = decodeEscPos(noNul);
    expect(barcode.issues).toEqual(['GS k (barcode) has no NUL within 255 bytes: skipped its 3-byte header and read on']);
    expect(renderJobText(barcode.items)).toBe(`[L] ${'A'.repeat(300)}\n`);
    expectSplitInvariant(noNul);
  });

  it('keeps status and real-time requests out of the printout', () => {
    const decoded = decodeEscPos(stream([GS, 0x49, 0x01, 0x10, 0x05, 0x02, 0x10, 0x14, 0x01, 0x00, 0x01, 0x10, 0x14, 0x08, 1, 3, 20, 1, 6, 2, 8], 'x\n'));
    expect(renderJobText(decoded.items)).toBe('[L] x\n');
    expect(decoded.issues).toEqual([]);
    expect(decoded.tokens.map((token) => token.type)).toEqual(['printer-id-query', 'realtime-request', 'realtime-request', 'realtime-request', 'text', 'lf']);
  });
});

describe('rendering', () => {
  it('draws barcodes and images into the PNG', async () => {
    const png = await renderJobPng(decodeEscPos(PYTHON_ESCPOS).items, 32);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
