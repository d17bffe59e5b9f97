import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskIdNumbersInText, maskName } from './pii.js';

describe('pii masking', () => {
  it('keeps the first 6 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('430181198001011239')).toBe('430181********1239');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('masks names the way receipts do', () => {
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王')).toBe('*');
  });

  it('masks ID numbers inside free text but leaves other digit runs alone', () => {
    expect(maskIdNumbersInText('card 430181198001011239 read')).toBe('card 430181********1239 read');
    expect(maskIdNumbersInText('id=11010519491231002X;')).toBe('id=110105********002X;');
    expect(maskIdNumbersInText('order 1234567890123456789')).toBe('order 1234567890123456789');
    expect(maskIdNumbersInText('A023 at window 53')).toBe('A023 at window 53');
  });
});
