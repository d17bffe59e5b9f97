import { describe, expect, it } from 'vitest';
import { cardinalZh, digitsZh, speakableEn, speakableZh } from './speakable.js';

describe('cardinalZh', () => {
  it.each([
    [0, '零'],
    [7, '七'],
    [10, '十'],
    [15, '十五'],
    [20, '二十'],
    [53, '五十三'],
    [100, '一百'],
    [105, '一百零五'],
    [110, '一百一十'],
    [1001, '一千零一'],
    [2020, '二千零二十'],
  ])('%i → %s', (value, spoken) => expect(cardinalZh(value)).toBe(spoken));

  it('reads numbers of five and more digits digit by digit', () => expect(cardinalZh(12345)).toBe('一二三四五'));
});

describe('speakableZh', () => {
  it('reads a call as staff say it', () => {
    expect(speakableZh('A023号请到53号窗口')).toBe('A零二三号，请到五十三号窗口');
    expect(speakableZh('请A023号到53号窗口办理')).toBe('请A零二三号，到五十三号窗口办理');
  });

  it('reads window ranges, floors, fees, days and times naturally', () => {
    expect(speakableZh('公安局在2楼53—54号窗口')).toBe('公安局在二楼五十三至五十四号窗口');
    expect(speakableZh('3-8号窗口')).toBe('三至八号窗口');
    expect(speakableZh('收费20元，15个工作日')).toBe('收费二十元，十五个工作日');
    expect(speakableZh('上午8:30至12:00')).toBe('上午八点三十分至十二点');
    expect(speakableZh('下午2:05')).toBe('下午二点零五分');
  });

  it('reads codes and phone numbers digit by digit', () => {
    expect(speakableZh('请拨打12345')).toBe('请拨打一二三四五');
    expect(speakableZh('电话0731-00000000')).toBe('电话零七三一，零零零零零零零零');
  });

  it('leaves text without digits alone', () => expect(speakableZh('很抱歉给您带来不便')).toBe('很抱歉给您带来不便'));
  it('no pause when punctuation follows the number', () => expect(speakableZh('您的号码是A023号。')).toBe('您的号码是A零二三号。'));
  it('digitsZh', () => expect(digitsZh('023')).toBe('零二三'));
});

describe('speakableEn', () => {
  it('spells ticket numbers', () => expect(speakableEn('Number A023, please go to window 53')).toBe('Number A 0 2 3, please go to window 53'));
});
