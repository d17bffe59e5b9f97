import { describe, expect, it } from 'vitest';
import { deviceReason, deviceReasonParams, type DeviceReasonCode } from '../../../electron/common/device-reasons.js';
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

describe('device status reasons on the staff screen', () => {
  const zh = createI18n('zh-CN');
  const en = createI18n('en');

  it('are said in the staff member’s language, with their parameters and optional parts', () => {
    expect(sayMessage(zh.t, 'zh-CN', deviceReason('device.printerFault', { reason: 'paper_out' }))).toBe('打印机缺纸');
    expect(sayMessage(en.t, 'en', deviceReason('device.printerFault', { reason: 'paper_out' }))).toBe('Printer out of paper');
    expect(sayMessage(en.t, 'en', deviceReason('device.robotLexicalOnly', { detail: 'weights.bin missing' }))).toBe('Intent model unavailable, answering by keyword matching: weights.bin missing');
    expect(sayMessage(zh.t, 'zh-CN', deviceReason('device.robotLexicalOnly', { detail: 'weights.bin missing', loadMs: 42 }))).toBe('意图模型不可用，已改用关键词匹配：weights.bin missing（模型加载 42 ms）');
    expect(sayMessage(en.t, 'en', deviceReason('device.platformOffline', { detail: null }))).toBe('Not connected to the platform');
    expect(sayMessage(en.t, 'en', deviceReason('device.platformOffline', { detail: 'ECONNREFUSED' }))).toBe('Not connected to the platform: ECONNREFUSED');
    expect(sayMessage(zh.t, 'zh-CN', deviceReason('device.platformRejected', { records: 3 }))).toBe('3 条记录被平台拒收');
  });

  it('have words for every code in both languages, with no parameter left unfilled and no Chinese in English', () => {
    const samples: Record<string, string | number | null> = { detail: 'ENOENT', status: '0x60', reason: 'cover_open', device: 'test:0', loadMs: 12, port: 8790, min: 16, records: 2, problem: 'corrupt', movedTo: '/data/liuliu.db.corrupt-1', at: '2026-12-04T05:00:00.000Z' };
    for (const code of Object.keys(deviceReasonParams) as DeviceReasonCode[]) {
      const shape = deviceReasonParams[code].shape as Record<string, unknown>;
      const params = Object.fromEntries(Object.keys(shape).map((key) => [key, samples[key] ?? null]));
      const message = { code, params };
      for (const [i18n, language] of [[zh, 'zh-CN'], [en, 'en']] as const) {
        const words = sayMessage(i18n.t, language, message);
        expect(words, `${code} in ${language}`).not.toMatch(/\{\{|^messages:|^device\./);
        if (language === 'en') expect(words, code).not.toMatch(/[\u3000-\u9fff]/);
      }
    }
  });
});
