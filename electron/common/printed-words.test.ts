import { describe, expect, it } from 'vitest';
import { printWords } from './printed-words.js';

/** Every entry as printed text: strings as they are, functions called with sample arguments. */
function rendered(locale: 'zh-CN' | 'en'): string[] {
  return Object.entries(printWords(locale)).flatMap(([key, entry]) => {
    if (typeof entry === 'string') return [entry];
    if (typeof entry === 'function') return [(entry as (...args: unknown[]) => string)(...(key === 'windows' ? [['51', '52']] : key === 'feedbackCategory' ? ['materials'] : key === 'slipTitle' ? ['complaint'] : [1, 2, 3, 4]))];
    return Object.values(entry as Record<string, string>);
  });
}

describe('printed words', () => {
  it('English is plain ASCII, so a receipt printer prints it one column a character', () => {
    for (const text of rendered('en')) expect(text, text).toMatch(/^[\x20-\x7e]*$/);
  });

  it('English says every word the Chinese says', () => {
    const zh = rendered('zh-CN');
    const en = rendered('en');
    expect(en).toHaveLength(zh.length);
    // An empty English word may only stand for an empty Chinese one (the A4 guide's language note is English only).
    en.forEach((text, index) => expect(text === '' && zh[index] !== '', `entry ${index} (${zh[index]}) has no English`).toBe(false));
  });
});
