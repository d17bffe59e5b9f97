import { describe, expect, it } from 'vitest';
import { deadlineLevel, HolidayCalendar, isWorkingDay, monthlyReport, nthWorkingDayAfter, reportCsv, workingDayDeadline } from './deadlines.js';

/** A calendar like the State Council's: 2026-10-01…07 National Day off, Sunday 2026-09-27 and Saturday 2026-10-10 worked (调休). */
const calendar = HolidayCalendar.parse({
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-09-27', '2026-10-10'],
});
const none = HolidayCalendar.parse({});
/** Hall time (UTC+8) → instant. */
const at = (local: string): Date => new Date(`${local}+08:00`);

describe('working days', () => {
  it('skips weekends and holidays and counts make-up working days', () => {
    expect(isWorkingDay('2026-12-04', none)).toBe(true); // Friday
    expect(isWorkingDay('2026-12-05', none)).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-01', calendar)).toBe(false); // holiday on a Thursday
    expect(isWorkingDay('2026-09-27', calendar)).toBe(true); // Sunday worked
    expect(nthWorkingDayAfter('2026-12-03', 2, none)).toBe('2026-12-07'); // Thu → Fri, Mon
    expect(nthWorkingDayAfter('2026-09-30', 1, calendar)).toBe('2026-10-08');
    expect(nthWorkingDayAfter('2026-09-30', 2, calendar)).toBe('2026-10-09');
    expect(nthWorkingDayAfter('2026-09-25', 1, calendar)).toBe('2026-09-27'); // Friday → the worked Sunday
  });

  it('ends a deadline at midnight (hall time) after its last working day', () => {
    expect(workingDayDeadline(at('2026-12-04T16:00:00'), 2, none).toISOString()).toBe(at('2026-12-09T00:00:00').toISOString()); // Fri → Mon, Tue
    // Late on Thursday in UTC is already Friday in the hall.
    expect(workingDayDeadline(new Date('2026-12-03T17:30:00Z'), 1, none).toISOString()).toBe(at('2026-12-08T00:00:00').toISOString());
  });
});

describe('deadlineLevel', () => {
  const received = at('2026-12-04T10:00:00'); // a Friday

  it('is green through the weekend and the first working day, yellow on the second, red after it', () => {
    expect(deadlineLevel(received, at('2026-12-06T23:00:00'), none)).toBe('green'); // Sunday
    expect(deadlineLevel(received, at('2026-12-07T23:59:00'), none)).toBe('green'); // Monday, 1st working day
    expect(deadlineLevel(received, at('2026-12-08T09:00:00'), none)).toBe('yellow');
    expect(deadlineLevel(received, at('2026-12-09T00:00:00'), none)).toBe('red');
  });

  it('waits out a holiday week before warning', () => {
    const eve = at('2026-09-30T15:00:00');
    expect(deadlineLevel(eve, at('2026-10-07T12:00:00'), calendar)).toBe('green');
    expect(deadlineLevel(eve, at('2026-10-09T08:00:00'), calendar)).toBe('yellow');
    expect(deadlineLevel(eve, at('2026-10-10T08:00:00'), calendar)).toBe('red'); // the worked Saturday is past the 2 days
  });
});

describe('monthlyReport', () => {
  it('counts per department: overdue (late answers and open past the deadline), warnings, mean reply hours; CSV has the same rows', () => {
    const items = [
      { department: '人社局', receivedAt: at('2026-12-01T09:00:00'), answeredAt: at('2026-12-01T15:00:00') },
      { department: '人社局', receivedAt: at('2026-12-01T09:00:00'), answeredAt: at('2026-12-07T09:00:00') }, // late
      { department: '公安局, 出入境', receivedAt: at('2026-12-03T09:00:00'), answeredAt: null }, // open, 2 working days passed at now
      { department: '公安局, 出入境', receivedAt: at('2026-12-07T09:00:00'), answeredAt: null }, // open, yellow at now
      { department: '人社局', receivedAt: at('2026-11-30T09:00:00'), answeredAt: null }, // another month
    ];
    const rows = monthlyReport(items, '2026-12', at('2026-12-09T10:00:00'), none);
    expect(rows).toEqual([
      { department: '人社局', received: 2, answered: 2, overdue: 1, warned: 0, averageReplyHours: 75 },
      { department: '公安局, 出入境', received: 2, answered: 0, overdue: 1, warned: 1, averageReplyHours: null },
    ]);
    expect(reportCsv(rows)).toBe('department,received,answered,overdue,warned,averageReplyHours\r\n人社局,2,2,1,0,75\r\n"公安局, 出入境",2,0,1,1,\r\n');
  });
});
