import { describe, expect, it } from 'vitest';
import { layoutDoc } from '../doc.js';
import type { PrintDoc } from '../doc.js';
import { encodeEscPos } from '../escpos.js';
import { EscPosTokenizer, decodeEscPos, tokenize } from './decoder.js';

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
});
