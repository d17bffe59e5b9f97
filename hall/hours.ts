import type { Hall, QueueCategory } from '../electron/host/content/schema.js';
import { addDays, formatHhmm, hallInstant, hallLocalTime, parseHhmm, weekdayOf } from '../electron/common/hall-time.js';

/**
 * When a queue category issues tickets, from `hall.openingHours`. Pure: the
 * caller passes the instant. Rules (README "Opening hours"):
 * - a session issues tickets from its start until its ticket cutoff;
 * - weekdays use the weekday sessions; Saturday uses its own sessions and only
 *   for categories with a department in `saturday.departmentIds`; any other day
 *   (Sunday) is closed;
 * - an optional calendar closes holidays and opens 调休 working days (which
 *   follow the weekday schedule). The hall content has no holiday list, so
 *   without a calendar only the weekly pattern applies.
 */
export interface HallCalendar {
  /** `YYYY-MM-DD` days the hall is closed (法定节假日). */
  holidays?: readonly string[];
  /** `YYYY-MM-DD` weekend days that are working days (调休), on the weekday schedule. */
  workdays?: readonly string[];
  /**
   * Developer machines and end-to-end tests only (config `queue.ignoreOpeningHours`,
   * honoured only in developer mode): every category issues at any hour. A hall never sets it.
   */
  ignoreOpeningHours?: boolean;
}

export type ClosedReason = 'before-opening' | 'after-cutoff' | 'closed-day' | 'holiday' | 'category-closed-today';

export type IssuingStatus =
  | { open: true; /** When ticket issuing stops in the current session. */ cutoffAt: Date }
  | { open: false; reason: ClosedReason; nextOpening: Date; message: string }
  | { open: false; reason: 'unknown-category'; nextOpening: null; message: string };

interface IssuingSession {
  start: number;
  cutoff: number;
}

type DaySchedule = { sessions: IssuingSession[] } | { sessions: []; closed: 'closed-day' | 'holiday' | 'category-closed-today' };

const WEEKDAY_NAMES: Record<string, number> = { 周日: 0, 周天: 0, 周一: 1, 周二: 2, 周三: 3, 周四: 4, 周五: 5, 周六: 6 };
const WEEKDAY_LABELS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
/** How far ahead to look for the next opening; two weeks covers the longest holiday (春节/国庆). */
const LOOKAHEAD_DAYS = 21;

function dayNumbers(names: readonly string[]): Set<number> {
  return new Set(names.map((name) => WEEKDAY_NAMES[name]).filter((n): n is number => n !== undefined));
}

function session(start: string, cutoff: string): IssuingSession {
  return { start: parseHhmm(start), cutoff: parseHhmm(cutoff) };
}

/** The issuing sessions of one category on one hall day. */
export function daySchedule(hall: Hall, category: QueueCategory, day: string, calendar: HallCalendar = {}): DaySchedule {
  const hours = hall.openingHours;
  if (calendar.holidays?.includes(day) === true) return { sessions: [], closed: 'holiday' };
  const weekday = weekdayOf(day);
  const weekdaySessions = (): IssuingSession[] => [
    session(hours.weekday.morning.start, hours.weekday.ticketCutoff.morning),
    session(hours.weekday.afternoon.start, hours.weekday.ticketCutoff.afternoon),
  ];
  if (calendar.workdays?.includes(day) === true || dayNumbers(hours.weekday.days).has(weekday)) return { sessions: weekdaySessions() };
  if (dayNumbers(hours.saturday.days).has(weekday)) {
    const served = category.departmentIds.some((id) => hours.saturday.departmentIds.includes(id));
    if (!served) return { sessions: [], closed: 'category-closed-today' };
    const sessions = [session(hours.saturday.morning.start, hours.saturday.ticketCutoff.morning)];
    const afternoon = hours.saturday.afternoon;
    if (afternoon !== null) sessions.push(session(afternoon.start, hours.saturday.ticketCutoff.afternoon ?? afternoon.end));
    return { sessions };
  }
  return { sessions: [], closed: 'closed-day' };
}

export function findCategory(hall: Hall, categoryId: string): QueueCategory | undefined {
  return hall.queueCategories.find((category) => category.id === categoryId);
}

/** Whether `categoryId` issues tickets at `now`, and if not, why and when it next does. */
export function isIssuingOpen(hall: Hall, categoryId: string, now: Date, calendar: HallCalendar = {}): IssuingStatus {
  const category = findCategory(hall, categoryId);
  if (category === undefined) return { open: false, reason: 'unknown-category', nextOpening: null, message: `没有这个排队类别：${categoryId}` };
  if (calendar.ignoreOpeningHours === true) return { open: true, cutoffAt: new Date(now.getTime() + 24 * 3600_000) };
  const local = hallLocalTime(now);
  const today = daySchedule(hall, category, local.day, calendar);
  const current = today.sessions.find((s) => s.start <= local.minuteOfDay && local.minuteOfDay < s.cutoff);
  if (current !== undefined) return { open: true, cutoffAt: hallInstant(local.day, current.cutoff) };

  let reason: ClosedReason;
  if ('closed' in today) reason = today.closed;
  else if (today.sessions.every((s) => local.minuteOfDay < s.start)) reason = 'before-opening';
  else reason = 'after-cutoff';
  const nextOpening = nextOpeningAfter(hall, category, now, calendar);
  return { open: false, reason, nextOpening, message: closedMessage(reason, category, nextOpening) };
}

/** The first session start strictly after `now`. */
export function nextOpeningAfter(hall: Hall, category: QueueCategory, now: Date, calendar: HallCalendar = {}): Date {
  const local = hallLocalTime(now);
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
    const day = addDays(local.day, offset);
    const next = daySchedule(hall, category, day, calendar).sessions.find((s) => offset > 0 || s.start > local.minuteOfDay);
    if (next !== undefined) return hallInstant(day, next.start);
  }
  // Only reachable with a calendar that closes three weeks in a row: say so loudly rather than guess.
  throw new Error(`no opening for ${category.id} within ${LOOKAHEAD_DAYS} days of ${local.day}`);
}

/** The hall day of the next opening of any category after `now` (used to lease offline numbers in advance). */
export function nextServiceDay(hall: Hall, now: Date, calendar: HallCalendar = {}): string {
  const local = hallLocalTime(now);
  const tomorrow = hallInstant(addDays(local.day, 1), 0);
  const candidates = hall.queueCategories.map((category) => nextOpeningAfter(hall, category, new Date(tomorrow.getTime() - 1), calendar).getTime());
  return hallLocalTime(new Date(Math.min(...candidates))).day;
}

function describeOpening(at: Date): string {
  const local = hallLocalTime(at);
  const [, month, date] = local.day.split('-').map(Number) as [number, number, number];
  return `${month}月${date}日（${WEEKDAY_LABELS[local.weekday]}）${formatHhmm(Math.floor(local.minuteOfDay))}`;
}

function closedMessage(reason: ClosedReason, category: QueueCategory, nextOpening: Date): string {
  const next = `下次取号时间：${describeOpening(nextOpening)}`;
  switch (reason) {
    case 'before-opening':
      return `${category.name}尚未开始取号，${next}。`;
    case 'after-cutoff':
      return `${category.name}本时段已停止取号，${next}。`;
    case 'holiday':
      return `今日为法定节假日，大厅休息，${next}。`;
    case 'category-closed-today':
      return `${category.name}今日不开放，${next}。`;
    case 'closed-day':
      return `今日大厅休息，${next}。`;
  }
}
