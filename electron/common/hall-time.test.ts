import { describe, expect, it } from 'vitest';
import { addDays, formatHhmm, hallInstant, hallLocalTime, parseHhmm, serviceDay, weekdayOf } from './hall-time.js';

describe('hall time (UTC+8, no machine TZ)', () => {
  it('maps instants to the hall day and minute', () => {
    const local = hallLocalTime(new Date('2026-11-24T16:30:00Z'));
    expect(local).toEqual({ day: '2026-11-25', weekday: 3, minuteOfDay: 30 });
    expect(serviceDay(new Date('2026-11-24T15:59:59Z'))).toBe('2026-11-24');
  });

  it('builds instants from hall day and minute, and does calendar steps', () => {
    expect(hallInstant('2026-11-25', parseHhmm('08:30')).toISOString()).toBe('2026-11-25T00:30:00.000Z');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(weekdayOf('2026-11-29')).toBe(0);
    expect(formatHhmm(parseHhmm('17:05'))).toBe('17:05');
  });

  it('gives the same answer whatever the machine time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      const west = hallLocalTime(new Date('2026-11-24T23:45:00Z'));
      process.env.TZ = 'Asia/Tokyo';
      const east = hallLocalTime(new Date('2026-11-24T23:45:00Z'));
      expect(west).toEqual(east);
      expect(west.day).toBe('2026-11-25');
      expect(west.minuteOfDay).toBe(7 * 60 + 45);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
