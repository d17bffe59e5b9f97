import { describe, expect, it } from 'vitest';
import { layoutDoc } from '../doc.js';
import type { PrintDoc } from '../doc.js';
import { encodeEscPos } from '../escpos.js';
import { EscPosTokenizer, barcodeDisplayText, decodeChunks, decodeEscPos, tokenize } from './decoder.js';
import { renderJobText } from './render.js';

const TICKET: PrintDoc = [
  { kind: 'text', text: '某某市政务服务中心', align: 'center', bold: true },
  { kind: 'rule' },
  { kind: 'text', text: 'A023', align: 'center', size: 2, bold: true },
  { kind: 'text', text: '请到3楼 5、6号窗口办理，您前面还有 4 人，生僻字喆和𠀀也要对' },
  { kind: 'feed', lines: 2 },
  { kind: 'qr', data: 'https://example.com/t/A023', moduleSize: 6, ec: 'Q' },
  { kind: 'text', text: 'right', align: 'right', size: { width: 1, height: 3 } },
  { kind: 'cut', partial: true },
];

describe('decodeEscPos', () => {
  it('round-trips a ticket: decode(encode(doc)) is the laid-out doc', () => {
    for (const paperWidthChars of [32, 48]) {
      const decoded = decodeEscPos(encodeEscPos(TICKET, { paperWidthChars }));
      expect(decoded.issues).toEqual([]);
      expect(decoded.items).toEqual(layoutDoc(TICKET, { paperWidthChars }));
    }
  });

  it('tokenises identically however the stream is split', () => {
    const bytes = encodeEscPos(TICKET, { paperWidthChars: 32 });
    const whole = decodeEscPos(bytes).items;
    for (let cut = 1; cut < bytes.length; cut++) {
      const tokenizer = new EscPosTokenizer();
      const tokens = [...tokenizer.push(bytes.subarray(0, cut)), ...tokenizer.push(bytes.subarray(cut)), ...tokenizer.end()];
      const merged = tokens.filter((token) => token.type !== 'text').length;
      expect(merged).toBe(tokenize(bytes).filter((token) => token.type !== 'text').length);
      const texts = tokens.filter((token) => token.type === 'text').map((token) => (token.type === 'text' ? token.text : '')).join('');
      expect(texts).toBe(whole.map((item) => (item.kind === 'text' ? item.text : '')).join(''));
    }
  });

  it('reports unknown commands without losing the text around them', () => {
    const bytes = Buffer.concat([Buffer.from('1b401c26', 'hex'), Buffer.from('ab'), Buffer.from('1b7a', 'hex'), Buffer.from('cd\n'), Buffer.from('07', 'hex')]);
    const decoded = decodeEscPos(bytes);
    expect(decoded.items).toEqual([{ kind: 'text', text: 'abcd', align: 'left', size: { width: 1, height: 1 }, bold: false }]);
    expect(decoded.issues).toEqual(['unknown bytes 1B 7A', 'unknown bytes 07']);
  });

  it('reads what node-thermal-printer emits (ESC ! modes, feed+cut+ESC @)', () => {
    const bytes = Buffer.from('1b401b52 0f1b6101 1b2110 41 0a 1b2100 42 0a 1b6404 1b6404 1d5600 1b40'.replace(/ /g, ''), 'hex');
    const decoded = decodeEscPos(bytes);
    expect(decoded.items).toEqual([
      { kind: 'text', text: 'A', align: 'center', size: { width: 1, height: 2 }, bold: false },
      { kind: 'text', text: 'B', align: 'center', size: { width: 1, height: 1 }, bold: false },
      { kind: 'feed', lines: 4 },
      { kind: 'cut', partial: false, feedLines: 4 },
    ]);
  });

  it('keeps status queries as tokens and never throws on random bytes', () => {
    expect(tokenize(Buffer.from('100401 100404 1d7201'.replace(/ /g, ''), 'hex'))).toEqual([
      { type: 'realtime-status-query', n: 1 },
      { type: 'realtime-status-query', n: 4 },
      { type: 'paper-status-query', n: 1 },
    ]);
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    };
    for (let round = 0; round < 200; round++) {
      const bytes = Buffer.from(Array.from({ length: 64 }, random));
      expect(() => decodeEscPos(bytes)).not.toThrow();
    }
  });

  it('reports a truncated command at end of stream', () => {
    const decoded = decodeEscPos(Buffer.from('1b401d286b1d00315030', 'hex'));
    expect(decoded.issues).toEqual(['unknown bytes 1D 28 6B 1D 00 31 50 30']);
  });

  it('reads the command-length table: tab stops end at NUL, at a non-increasing stop or after 32', () => {
    const text = (hex: string, ascii = ''): string => renderJobText(decodeEscPos(Buffer.concat([Buffer.from(hex.replace(/ /g, ''), 'hex'), Buffer.from(ascii)])).items);
    // ESC D 4 2: a stop not above the previous ends the list, and that byte is data again (here a stray 0x02).
    expect(decodeEscPos(Buffer.from('1b440402', 'hex')).tokens).toEqual([{ type: 'tab-stops', stops: [4] }, { type: 'unknown', bytes: [2] }]);
    expect(text('1b440400 09', 'x')).toBe('[L]     x\n');
    expect(text('1b4400 09', 'x')).toBe('[L] x\n');
    expect(text('09', 'x')).toBe('[L]         x\n');
    // ESC $ 60 dots = column 5 (font A is 12 dots wide); ESC \ +24 dots = 2 more columns.
    expect(text('1b243c00', 'a')).toBe('[L]      a\n');
    expect(renderJobText(decodeEscPos(Buffer.concat([Buffer.from('a'), Buffer.from('1b5c1800', 'hex'), Buffer.from('b')])).items)).toBe('[L] a  b\n');
    // ESC * with an m the reference does not define: the header is unknown, nothing is swallowed.
    expect(decodeEscPos(Buffer.concat([Buffer.from('1b2a05', 'hex'), Buffer.from('ok\n')])).issues).toEqual(['unknown bytes 1B 2A 05']);
  });

  it('marks underline, reverse and font B; ESC ! sizes ASCII, FS ! sizes Chinese', () => {
    const bytes = Buffer.concat([
      Buffer.from('1b401c261b2181', 'hex'), Buffer.from('ab\n'), // ESC ! font B + underline
      Buffer.from('1b21001d4201', 'hex'), Buffer.from('cd\n'),
      Buffer.from('1d42001b2130', 'hex'), Buffer.from([0xd6, 0xd0, 0x0a]), // ESC ! double: 中 stays 1×1
      Buffer.from('1c210c', 'hex'), Buffer.from([0xd6, 0xd0, 0x0a]), // FS ! double: 中 2×2
      Buffer.from('1c21001c5701', 'hex'), Buffer.from([0xd6, 0xd0, 0x0a]), // FS W
    ]);
    expect(renderJobText(decodeEscPos(bytes).items)).toBe('[L U FB] ab\n[L I] cd\n[L] 中\n[L 2x2] 中\n[L 2x2] 中\n');
  });

  it('sizes and underlines a line by its characters, not by how the text arrived', () => {
    // FS ! doubles and underlines Chinese only; ESC - underlines ASCII only.
    const bytes = Buffer.concat([Buffer.from('1b401c210c1c2d01', 'hex'), Buffer.from('ab'), Buffer.from([0xd6, 0xd0, 0x0a]), Buffer.from('1c2d00', 'hex'), Buffer.from([0xd6, 0xd0]), Buffer.from('cd\n')]);
    const whole = decodeEscPos(bytes);
    expect(renderJobText(whole.items)).toBe('[L U] ab中\n[L 2x2] 中cd\n');
    for (let cut = 1; cut < bytes.length; cut++) expect(decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)]).items).toEqual(whole.items);
  });

  it('shows CODE128 data without code-set selectors', () => {
    expect(barcodeDisplayText('CODE128', '{B12345')).toBe('12345');
    expect(barcodeDisplayText('CODE128', '{A12{C\x0c\x22')).toBe('121234');
    expect(barcodeDisplayText('CODE128', '{B{{x')).toBe('{x');
    expect(barcodeDisplayText('EAN13', '{B1')).toBe('{B1');
  });

  it('decodes any random stream the same however it is split', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 8;
    };
    // Mostly command prefixes and command bytes, so the length rules get exercised.
    const alphabet = [0x1b, 0x1d, 0x1c, 0x10, 0x21, 0x28, 0x2a, 0x2d, 0x2f, 0x44, 0x6b, 0x76, 0x30, 0x4c, 0x38, 0x26, 0x00, 0x01, 0x02, 0x03, 0x09, 0x0a, 0x41, 0x49, 0x57, 0x70, 0x71, 0xd6, 0xd0];
    for (let round = 0; round < 2000; round++) {
      const bytes = Buffer.from(Array.from({ length: 96 }, () => (random() % 3 === 0 ? random() & 0xff : alphabet[random() % alphabet.length] ?? 0)));
      const whole = decodeEscPos(bytes);
      const [first, second] = [1 + (random() % (bytes.length - 1)), 1 + (random() % (bytes.length - 1))].sort((a, b) => a - b);
      const split = decodeChunks([bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)]);
      expect({ items: split.items, issues: split.issues, events: split.events }).toEqual({ items: whole.items, issues: whole.issues, events: whole.events });
    }
  });
});
