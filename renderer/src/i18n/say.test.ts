import { describe, expect, it } from 'vitest';
import { userMessage } from '../../../electron/contract/index.js';
import { createI18n } from './index.js';
import { sayError, sayMessage } from './say.js';

describe('host messages in the citizen’s language', () => {
  const closed = userMessage('queue.closed', { reason: 'closed-day', category: 'Household registration (ID cards, hukou)', nextOpening: '2026-11-30T00:30:00.000Z' });

  it('says when the hall opens next, in hall time (UTC+8), whatever the machine’s zone', () => {
    const zh = createI18n('zh-CN');
    expect(sayMessage(zh.t, 'zh-CN', userMessage('queue.closed', { reason: 'before-opening', category: '户政治安', nextOpening: '2026-11-30T00:30:00.000Z' }))).toMatch(/^户政治安尚未开始取号。下次取号时间：11月30日.*08:30$/);
    const en = createI18n('en');
    expect(sayMessage(en.t, 'en', closed)).toMatch(/^Household registration \(ID cards, hukou\) is not open now\. Numbers are issued again from .*30.* 08:30\.$/);
  });

  it('fills parameters and falls back to the words for the error code', () => {
    const en = createI18n('en');
    expect(sayMessage(en.t, 'en', userMessage('cases.unknownNumber', { number: 'YS2026010100019999' }))).toContain('YS2026010100019999');
    expect(sayMessage(en.t, 'en', userMessage('cases.fieldTooLong', { field: 'remarks', max: 500 }))).toBe('The remarks can be at most 500 characters.');
    expect(sayError(en.t, 'en', { code: 'unavailable', message: 'no answer from the host for queue.issue' })).toBe(
      'This service is not available right now. Please try again shortly or ask at the information desk.',
    );
  });

  it('says why a printout did not come out in the citizen’s language, from the printer’s reason', () => {
    const en = createI18n('en');
    const zh = createI18n('zh-CN');
    expect(sayMessage(en.t, 'en', userMessage('queue.notPrinted', { reason: 'paper_out' }))).toBe('The printer is out of paper. Please keep the number shown on screen and tell a member of staff.');
    expect(sayMessage(zh.t, 'zh-CN', userMessage('queue.notPrinted', { reason: 'paper_out' }))).toBe('打印机缺纸，请凭屏幕号码等候并联系工作人员');
    expect(sayMessage(en.t, 'en', userMessage('queue.notPrinted', { reason: 'something-new' }))).toBe('The ticket could not be printed. Please keep the number shown on screen and tell a member of staff.');
    expect(sayMessage(en.t, 'en', userMessage('print.failed', { reason: 'cover_open' }))).toBe('The printer cover is open. Please ask a member of staff.');
    expect(sayMessage(en.t, 'en', userMessage('print.saved', { pickup: 'the information desk, floor 1' }))).toBe('Saved: please have it printed at the information desk, floor 1');
  });
});
