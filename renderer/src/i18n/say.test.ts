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
});
