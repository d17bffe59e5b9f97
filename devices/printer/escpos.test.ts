import { describe, expect, it } from 'vitest';
import { InvalidPrintDocError } from './doc.js';
import type { PrintDoc } from './doc.js';
import { encodeEscPos, encodeQr } from './escpos.js';

function hexBytes(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** Spec §8: the 3-line queue ticket. */
const SPEC_DOC: PrintDoc = [
  { kind: 'text', text: 'A023', align: 'center', size: 2 },
  { kind: 'text', text: '请到3号窗口', align: 'center' },
  { kind: 'qr', data: 'https://example.com/t/A023', moduleSize: 6, ec: 'M' },
  { kind: 'cut', partial: true },
];

const SPEC_STREAM = hexBytes(`
1B 40 1C 26 1B 61 01 1D 21 11 41 30 32 33 0A 1D
21 00 C7 EB B5 BD 33 BA C5 B4 B0 BF DA 0A 1D 28
6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 06 1D
28 6B 03 00 31 45 31 1D 28 6B 1D 00 31 50 30 68
74 74 70 73 3A 2F 2F 65 78 61 6D 70 6C 65 2E 63
6F 6D 2F 74 2F 41 30 32 33 1D 28 6B 03 00 31 51
30 1B 64 04 1D 56 01`);

describe('encodeEscPos', () => {
  it('reproduces the 103-byte worked example of spec §8 exactly', () => {
    const bytes = encodeEscPos(SPEC_DOC, { paperWidthChars: 32 });
    expect(SPEC_STREAM.length).toBe(103);
    expect(bytes.toString('hex')).toBe(SPEC_STREAM.toString('hex'));
  });

  it('encodes Chinese as GB18030, including GBK-only and 4-byte characters', () => {
    const bytes = encodeEscPos([{ kind: 'text', text: '喆𠀀' }], { paperWidthChars: 48 });
    // ESC @, FS &, then 喆 = 86 B4, U+20000 = 95 32 82 36, LF
    expect(bytes.toString('hex')).toBe('1b401c2686b4953282360a');
  });

  it('can leave Chinese mode alone for printers that must not get FS &', () => {
    expect(encodeEscPos([], { paperWidthChars: 32, chineseMode: false }).toString('hex')).toBe('1b40');
  });

  it('puts width in the high nibble and height in the low nibble of GS !', () => {
    const bytes = encodeEscPos([{ kind: 'text', text: 'X', size: { width: 3, height: 1 } }], { paperWidthChars: 48 });
    expect(bytes.includes(hexBytes('1D 21 20'))).toBe(true);
  });

  it('emits bold and alignment only when they change', () => {
    const bytes = encodeEscPos(
      [
        { kind: 'text', text: 'a', bold: true, align: 'right' },
        { kind: 'text', text: 'b', bold: true, align: 'right' },
        { kind: 'text', text: 'c' },
      ],
      { paperWidthChars: 48 },
    );
    expect(bytes.toString('hex')).toBe('1b401c26' + '1b6102' + '1b4501' + '610a' + '620a' + '1b6100' + '1b4500' + '630a');
  });

  it('computes the QR store length from bytes: 300 bytes → pL pH = 2F 01', () => {
    const qr = encodeQr('x'.repeat(300), 6, 'M');
    const store = qr.indexOf(hexBytes('31 50 30'));
    expect([...qr.subarray(store - 2, store)]).toEqual([0x2f, 0x01]);
  });

  it('counts UTF-8 bytes, not JS string length, for a non-ASCII QR payload (the node-thermal-printer bug)', () => {
    const qr = encodeQr('测试', 3, 'L');
    const store = qr.indexOf(hexBytes('31 50 30'));
    expect([...qr.subarray(store - 2, store)]).toEqual([6 + 3, 0]);
    expect(qr.subarray(store + 3, store + 9).toString('utf8')).toBe('测试');
  });

  it('refuses values no printer can honour', () => {
    expect(() => encodeEscPos([{ kind: 'text', text: 'x', size: 9 }], { paperWidthChars: 32 })).toThrow(InvalidPrintDocError);
    expect(() => encodeEscPos([{ kind: 'qr', data: '' }], { paperWidthChars: 32 })).toThrow(InvalidPrintDocError);
    expect(() => encodeEscPos([{ kind: 'qr', data: 'x'.repeat(7090) }], { paperWidthChars: 32 })).toThrow(/7089/);
    expect(() => encodeEscPos([{ kind: 'qr', data: 'x', moduleSize: 17 }], { paperWidthChars: 32 })).toThrow(InvalidPrintDocError);
  });

  it('never lets control characters from text reach the printer', () => {
    const bytes = encodeEscPos([{ kind: 'text', text: 'A\x1b@\x1dV\x00B\x10\x04\x01C' }], { paperWidthChars: 48 });
    expect(bytes.toString('hex')).toBe('1b401c26' + Buffer.from('A@VBC\n').toString('hex'));
  });
});
