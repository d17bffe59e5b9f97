import { describe, expect, it } from 'vitest';
import { checkFeedback, normalizePhone } from './feedback.js';

describe('normalizePhone', () => {
  it('accepts mainland mobile numbers, with the spaces, dashes and +86 people type', () => {
    expect(normalizePhone('13812345678')).toBe('13812345678');
    expect(normalizePhone('138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('0086 19912345678')).toBe('19912345678');
  });

  it('refuses landlines, short numbers, a 12 prefix and letters', () => {
    for (const bad of ['0731-84561234', '1381234567', '138123456789', '12812345678', '1381234567a', '']) expect(normalizePhone(bad), bad).toBeNull();
  });
});

describe('checkFeedback', () => {
  it('strips control and invisible characters before measuring the text', () => {
    const checked = checkFeedback({ kind: 'consultation', category: 'materials', text: '\u0007请问\u202e居住证\u200b要带什么\u0000材料？\r\n谢谢 ' });
    expect(checked).toEqual({ ok: true, value: { kind: 'consultation', category: 'materials', text: '请问居住证要带什么材料？\n谢谢' } });
    // Only invisible characters: nothing was written.
    const empty = checkFeedback({ kind: 'complaint', category: 'other', text: '\u0000\u0001\u200b\u200b\u200b\u200b\u200b\u200b' });
    expect(empty).toMatchObject({ ok: false, problem: { field: 'text' } });
  });

  it('enforces length limits in characters, not bytes', () => {
    expect(checkFeedback({ kind: 'complaint', category: 'attitude', text: '太慢了' })).toMatchObject({ ok: false, problem: { field: 'text', say: { code: 'feedback.textTooShort', params: { min: 5 } } } });
    expect(checkFeedback({ kind: 'complaint', category: 'attitude', text: '排队太久了' }).ok).toBe(true);
    expect(checkFeedback({ kind: 'complaint', category: 'attitude', text: '慢'.repeat(500) }).ok).toBe(true);
    expect(checkFeedback({ kind: 'complaint', category: 'attitude', text: '慢'.repeat(501) })).toMatchObject({ ok: false, problem: { field: 'text' } });
    expect(checkFeedback({ kind: 'rating', stars: 5, reasons: [], text: '好'.repeat(201) })).toMatchObject({ ok: false, problem: { field: 'text' } });
  });

  it('checks an optional phone number and keeps it normalised', () => {
    expect(checkFeedback({ kind: 'consultation', category: 'policy', text: '请回电话给我说明', phone: '138 1234 5678' })).toMatchObject({ ok: true, value: { phone: '13812345678' } });
    expect(checkFeedback({ kind: 'consultation', category: 'policy', text: '请回电话给我说明', phone: '  ' })).toEqual({
      ok: true,
      value: { kind: 'consultation', category: 'policy', text: '请回电话给我说明' },
    });
    expect(checkFeedback({ kind: 'consultation', category: 'policy', text: '请回电话给我说明', phone: '12345' })).toMatchObject({
      ok: false,
      problem: { field: 'phone', say: { code: 'feedback.phoneInvalid' } },
    });
  });

  it('refuses a rating of 2 or less without a reason, and "other" without words', () => {
    expect(checkFeedback({ kind: 'rating', stars: 2, reasons: [] })).toMatchObject({ ok: false, problem: { field: 'reasons' } });
    expect(checkFeedback({ kind: 'rating', stars: 1, reasons: [], text: '不好' })).toMatchObject({ ok: false, problem: { field: 'reasons' } });
    expect(checkFeedback({ kind: 'rating', stars: 2, reasons: ['other'] })).toMatchObject({ ok: false, problem: { field: 'text' } });
    expect(checkFeedback({ kind: 'rating', stars: 2, reasons: ['long-wait', 'long-wait', 'system-failure'] })).toEqual({
      ok: true,
      value: { kind: 'rating', stars: 2, reasons: ['long-wait', 'system-failure'] },
    });
    expect(checkFeedback({ kind: 'rating', stars: 3, reasons: [] }).ok).toBe(true);
    expect(checkFeedback({ kind: 'rating', stars: 5, reasons: [], serviceId: 'ps-idcard-reissue', departmentId: 'public-security' })).toMatchObject({
      ok: true,
      value: { serviceId: 'ps-idcard-reissue', departmentId: 'public-security' },
    });
  });
});
