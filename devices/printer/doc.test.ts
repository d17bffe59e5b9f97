import { describe, expect, it } from 'vitest';
import { PAPER_WIDTH_CHARS, displayWidth, layoutDoc, sanitizeText, wrapLine } from './doc.js';

describe('display width and wrapping', () => {
  it('counts CJK as two columns and ASCII as one', () => {
    expect(displayWidth('请到3号窗口')).toBe(11);
    expect(displayWidth('A023')).toBe(4);
    expect(displayWidth('𠀀')).toBe(2);
  });

  it('fits 16 Chinese characters on 58 mm and 24 on 80 mm', () => {
    const text = '政'.repeat(40);
    expect(wrapLine(text, PAPER_WIDTH_CHARS['58mm']).map((line) => line.length)).toEqual([16, 16, 8]);
    expect(wrapLine(text, PAPER_WIDTH_CHARS['80mm']).map((line) => line.length)).toEqual([24, 16]);
  });

  it('never puts a double-byte character across the line end', () => {
    const lines = wrapLine('a请到3号窗口请到3号窗口请到3号窗口', 8);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(8);
    expect(lines.join('')).toBe('a请到3号窗口请到3号窗口请到3号窗口');
  });

  it('keeps ASCII words whole when they fit and splits longer ones', () => {
    expect(wrapLine('see https://example.com/t/A023 now', 26)).toEqual(['see', 'https://example.com/t/A023', 'now']);
    expect(wrapLine('x'.repeat(10), 4)).toEqual(['xxxx', 'xxxx', 'xx']);
  });

  it('wraps double-width text to half the columns', () => {
    const items = layoutDoc([{ kind: 'text', text: '一二三四五六七八九十', size: 2 }], { paperWidthChars: 32 });
    expect(items.map((item) => (item.kind === 'text' ? item.text : ''))).toEqual(['一二三四五六七八', '九十']);
  });
});

describe('sanitizeText', () => {
  it('strips controls and invisible format characters, keeps newlines', () => {
    expect(sanitizeText('a\x1b\x00b\u200bc\r\nd\te\u0085')).toBe('abc\nd e');
  });

  it('turns a 5,000-character address into lines that all fit the paper', () => {
    const address = '湖南省长沙市岳麓区某某街道某某社区12号'.repeat(250).slice(0, 5000);
    const items = layoutDoc([{ kind: 'text', text: `地址：${address}` }], { paperWidthChars: 32 });
    expect(items.length).toBeGreaterThan(250);
    for (const item of items) {
      expect(item.kind).toBe('text');
      if (item.kind === 'text') expect(displayWidth(item.text)).toBeLessThanOrEqual(32);
    }
    expect(items.map((item) => (item.kind === 'text' ? item.text : '')).join('')).toBe(`地址：${address}`);
  });
});
