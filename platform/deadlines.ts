import { z } from 'zod';
import { addDays, hallInstant, serviceDay, weekdayOf } from '../electron/common/hall-time.js';

/**
 * Working-day deadlines (电子监察) as pure functions over a holiday calendar:
 * a consultation must be answered, and a case pre-accepted, within 2 working
 * days. The count starts the working day after the day it arrived (hall
 * time, Asia/Shanghai); a deadline ends at midnight closing its last working
 * day. Yellow once the first working day has passed unanswered, red card
 * (亮红牌) once the second has.
 */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'days are YYYY-MM-DD');

export const HolidayCalendar = z
  .object({
    /** Weekdays that are days off (法定节假日). */
    holidays: z.array(Day).default([]),
    /** Weekend days that are working days (调休上班). */
    workdays: z.array(Day).default([]),
  })
  .strict();
export type HolidayCalendar = z.infer<typeof HolidayCalendar>;

export const REPLY_WORKING_DAYS = 2;
export const WARN_AFTER_WORKING_DAYS = 1;

export function isWorkingDay(day: string, calendar: HolidayCalendar): boolean {
  if (calendar.workdays.includes(day)) return true;
  if (calendar.holidays.includes(day)) return false;
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6;
}

/** The n-th working day after `day` (n ≥ 1). */
export function nthWorkingDayAfter(day: string, n: number, calendar: HolidayCalendar): string {
  let current = day;
  for (let found = 0; found < n; ) {
    current = addDays(current, 1);
    if (isWorkingDay(current, calendar)) found += 1;
  }
  return current;
}

/** The instant `workingDays` working days after `received` run out: midnight (hall time) ending the last one. */
export function workingDayDeadline(received: Date, workingDays: number, calendar: HolidayCalendar): Date {
  return hallInstant(nthWorkingDayAfter(serviceDay(received), workingDays, calendar), 24 * 60);
}

export type DeadlineLevel = 'green' | 'yellow' | 'red';

/**
 * How a request stands at `at` (its answer time if answered, else now):
 * green within the first working day, yellow after it, red after the second.
 */
export function deadlineLevel(received: Date, at: Date, calendar: HolidayCalendar): DeadlineLevel {
  if (at >= workingDayDeadline(received, REPLY_WORKING_DAYS, calendar)) return 'red';
  if (at >= workingDayDeadline(received, WARN_AFTER_WORKING_DAYS, calendar)) return 'yellow';
  return 'green';
}

export interface WatchedItem {
  department: string;
  receivedAt: Date;
  /** When it was answered (consultation) or pre-accepted (case); null while open. */
  answeredAt: Date | null;
}

export interface DepartmentMonth {
  department: string;
  received: number;
  answered: number;
  /** Answered after the deadline, or still open past it at the report time. */
  overdue: number;
  /** Open and past the first working day but not yet the second. */
  warned: number;
  /** Mean hours from arrival to answer, over the answered ones; null when none. */
  averageReplyHours: number | null;
}

/** The month's figures per department (items received in `month`, YYYY-MM, hall time), judged at `now`. */
export function monthlyReport(items: readonly WatchedItem[], month: string, now: Date, calendar: HolidayCalendar): DepartmentMonth[] {
  const byDepartment = new Map<string, WatchedItem[]>();
  for (const item of items) {
    if (!serviceDay(item.receivedAt).startsWith(`${month}-`)) continue;
    const list = byDepartment.get(item.department) ?? [];
    list.push(item);
    byDepartment.set(item.department, list);
  }
  return [...byDepartment.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([department, list]) => {
      const answered = list.filter((item) => item.answeredAt !== null);
      const hours = answered.map((item) => ((item.answeredAt as Date).getTime() - item.receivedAt.getTime()) / 3_600_000);
      const levels = list.map((item) => deadlineLevel(item.receivedAt, item.answeredAt ?? now, calendar));
      return {
        department,
        received: list.length,
        answered: answered.length,
        overdue: levels.filter((level) => level === 'red').length,
        warned: list.filter((item, index) => item.answeredAt === null && levels[index] === 'yellow').length,
        averageReplyHours: hours.length === 0 ? null : Math.round((hours.reduce((sum, h) => sum + h, 0) / hours.length) * 10) / 10,
      };
    });
}

/** The report as CSV (RFC 4180 quoting), the same rows as the page. */
export function reportCsv(rows: readonly DepartmentMonth[]): string {
  const quote = (value: string | number | null): string => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const header = ['department', 'received', 'answered', 'overdue', 'warned', 'averageReplyHours'];
  return [header.join(','), ...rows.map((row) => [row.department, row.received, row.answered, row.overdue, row.warned, row.averageReplyHours].map(quote).join(','))].join('\r\n') + '\r\n';
}
