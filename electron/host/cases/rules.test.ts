import { describe, expect, it } from 'vitest';
import { applicantKey, checkForm, cleanField, formatPreAcceptanceNumber, hallDay, maskAddress, parsePreAcceptanceNumber, phoneLast4, preAcceptanceNumber, stageOf, stageTimeline, terminalCode } from './rules.js';
import { QueryLimiter } from './query-limit.js';

const STAGES = ['申请', '受理', '审核', '决定', '办结'];

describe('pre-acceptance numbers', () => {
  it('are YS + hall day (yymmdd) + terminal code + daily sequence + random check part, digits only after YS', () => {
    expect(preAcceptanceNumber('20261125', '0001', 7, 4821)).toBe('YS261125000100074821');
    expect(preAcceptanceNumber('20261125', '0001', 7, 5)).toBe('YS261125000100070005');
    expect(() => preAcceptanceNumber('20261125', '0001', 10_000, 1)).toThrow(/out of range/);
    expect(() => preAcceptanceNumber('20261125', '0001', 1, 10_000)).toThrow(/out of range/);
    expect(() => preAcceptanceNumber('2026-11-25', '0001', 1, 1)).toThrow();
    expect(formatPreAcceptanceNumber('YS261125000100074821')).toBe('YS 261125 0001 0007 4821');
  });

  it('take the last 4 digits of the phone as the second factor', () => {
    expect(phoneLast4('13800138000')).toBe('8000');
    expect(phoneLast4('0731-84567890')).toBe('7890');
  });

  it('use the hall day in Beijing time, not UTC', () => {
    expect(hallDay(new Date('2026-11-24T16:30:00Z'))).toBe('20261125');
    expect(hallDay(new Date('2026-11-24T15:59:59Z'))).toBe('20261124');
  });

  it('take the terminal code from the trailing number of the terminal id, else a 4-digit hash', () => {
    expect(terminalCode('kiosk-01')).toBe('0001');
    expect(terminalCode('hall-a-12345')).toBe('2345');
    expect(terminalCode('lobby')).toMatch(/^\d{4}$/);
    expect(terminalCode('lobby')).toBe(terminalCode('lobby'));
  });

  it('parse what citizens type: with or without YS, spaces, dashes, lower case; refuse anything else', () => {
    expect(parsePreAcceptanceNumber('ys 261125 0001-0007-4821')).toBe('YS261125000100074821');
    expect(parsePreAcceptanceNumber('261125000100074821')).toBe('YS261125000100074821');
    // Issued before the check part existed: still found.
    expect(parsePreAcceptanceNumber('2026112500010007')).toBe('YS2026112500010007');
    expect(parsePreAcceptanceNumber('26112500010007482')).toBeNull();
    expect(parsePreAcceptanceNumber('YS20261125')).toBeNull();
    expect(parsePreAcceptanceNumber("YS2026112500010007' OR 1=1")).toBeNull();
    expect(parsePreAcceptanceNumber('')).toBeNull();
  });
});

describe('form cleaning', () => {
  it('strips control, bidi and zero-width characters and collapses line breaks in one-line fields', () => {
    expect(cleanField('湖南\u0000省\u001b[2J长沙\u202e市\u200b\t 岳麓区\n')).toBe('湖南省[2J长沙市 岳麓区');
    expect(cleanField('第一行\r\n\r\n\r\n\r\n第二行', true)).toBe('第一行\n\n第二行');
  });

  it('accepts a mobile or landline number and refuses anything else with a sentence naming the field', () => {
    expect(checkForm({ phone: ' 138 0000 0000 ', mailingAddress: '', remarks: '' })).toEqual({ ok: true, form: { phone: '13800000000', mailingAddress: '', remarks: '' } });
    expect(checkForm({ phone: '0731-88886666', mailingAddress: '', remarks: '' }).ok).toBe(true);
    const bad = checkForm({ phone: '12345', mailingAddress: '', remarks: '' });
    expect(bad).toMatchObject({ ok: false, problem: { field: 'phone' } });
    const injected = checkForm({ phone: '138\u00000000\u00070000', mailingAddress: 'a\u0085b', remarks: '\u0000' });
    expect(injected).toEqual({ ok: true, form: { phone: '13800000000', mailingAddress: 'ab', remarks: '' } });
  });

  it('counts characters, not UTF-16 units, against the limits', () => {
    expect(checkForm({ phone: '', mailingAddress: '𠀀'.repeat(200), remarks: '' }).ok).toBe(true);
    expect(checkForm({ phone: '', mailingAddress: '', remarks: '字'.repeat(501) })).toMatchObject({ ok: false, problem: { field: 'remarks' } });
  });
});

describe('masking and lookup', () => {
  it('keeps only province and city of an address, whatever its length', () => {
    expect(maskAddress('湖南省长沙市岳麓区麓山南路1号')).toBe('湖南省长沙市****');
    expect(maskAddress('长'.repeat(5000))).toBe('长长长长长长****');
    expect(maskAddress('')).toBe('');
  });

  it('hashes ID numbers with a key: same key same value, another key another value, never the number itself', () => {
    const key = Buffer.alloc(32, 1);
    const value = applicantKey(key, '430181198001011239');
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(applicantKey(key, '430181198001011239 ')).toBe(value);
    expect(applicantKey(Buffer.alloc(32, 2), '430181198001011239')).not.toBe(value);
    expect(value).not.toContain('1239');
  });
});

describe('stages', () => {
  it('maps platform status words to the content stages and refuses unknown ones', () => {
    expect(stageOf('审核', STAGES)).toBe('审核');
    expect(stageOf('accepted', STAGES)).toBe('受理');
    expect(stageOf('Completed', STAGES)).toBe('办结');
    expect(stageOf('lost', STAGES)).toBeNull();
  });

  it('builds a timeline with the first date each stage was reached', () => {
    const timeline = stageTimeline(STAGES, [
      { stage: '申请', at: '2026-11-25T01:00:00.000Z' },
      { stage: '受理', at: '2026-11-25T03:00:00.000Z' },
      { stage: '受理', at: '2026-11-25T02:00:00.000Z' },
    ], '受理');
    expect(timeline).toEqual([
      { stage: '申请', at: '2026-11-25T01:00:00.000Z', current: false },
      { stage: '受理', at: '2026-11-25T02:00:00.000Z', current: true },
      { stage: '审核', at: null, current: false },
      { stage: '决定', at: null, current: false },
      { stage: '办结', at: null, current: false },
    ]);
  });
});

describe('anonymous progress query limit', () => {
  it('allows 5 failures in 10 minutes per terminal, then blocks until the oldest leaves the window', () => {
    const limiter = new QueryLimiter({ maxFailures: 5, windowMs: 600_000 });
    for (let i = 0; i < 5; i++) {
      expect(limiter.blockedFor(i * 1000)).toBe(0);
      limiter.fail(i * 1000);
    }
    expect(limiter.blockedFor(5000)).toBe(595_000);
    expect(limiter.blockedFor(599_000)).toBe(1000);
    expect(limiter.blockedFor(600_000)).toBe(0);
    expect(limiter.count(600_000)).toBe(4);
  });
});
