import { describe, expect, it } from 'vitest';
import { ageOn } from '../../common/age.js';
import { serviceDay } from '../../common/hall-time.js';
import { idlePhase } from './rules.js';

describe('session rules', () => {
  it('computes age in whole years, birthdays included', () => {
    expect(ageOn('19800101', '2026-11-24')).toBe(46);
    expect(ageOn('19561124', '2026-11-24')).toBe(70);
    expect(ageOn('19561125', '2026-11-24')).toBe(69);
    expect(ageOn('20000229', '2026-02-28')).toBe(25);
  });

  it('uses the hall calendar (UTC+8) for today', () => {
    expect(serviceDay(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
    expect(serviceDay(new Date('2026-11-24T15:59:00Z'))).toBe('2026-11-24');
  });

  it('counts down in the last seconds before the idle timeout', () => {
    expect(idlePhase(0, 90, 15)).toEqual({ phase: 'active' });
    expect(idlePhase(74_999, 90, 15)).toEqual({ phase: 'active' });
    expect(idlePhase(75_000, 90, 15)).toEqual({ phase: 'countdown', secondsLeft: 15 });
    expect(idlePhase(89_001, 90, 15)).toEqual({ phase: 'countdown', secondsLeft: 1 });
    expect(idlePhase(90_000, 90, 15)).toEqual({ phase: 'expired' });
  });
});
