/**
 * The hall's wall clock. The hall is in China (Asia/Shanghai), which has kept
 * UTC+8 all year with no daylight saving since 1991, so local time is plain
 * arithmetic on the UTC instant: nothing here reads the machine's TZ.
 */
export const HALL_UTC_OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = HALL_UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

export interface HallLocalTime {
  /** Calendar date in the hall, `YYYY-MM-DD`: the service day tickets belong to. */
  day: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
}

export function hallLocalTime(instant: Date): HallLocalTime {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  return {
    day: shifted.toISOString().slice(0, 10),
    weekday: shifted.getUTCDay(),
    minuteOfDay: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() + shifted.getUTCSeconds() / 60 + shifted.getUTCMilliseconds() / 60_000,
  };
}

/** The service day (`YYYY-MM-DD`, hall time) of an instant. */
export function serviceDay(instant: Date): string {
  return hallLocalTime(instant).day;
}

/** The UTC instant of `day` (`YYYY-MM-DD`) at `minuteOfDay` hall time. */
export function hallInstant(day: string, minuteOfDay: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + minuteOfDay * 60_000 - OFFSET_MS);
}

/** `day` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  return new Date(hallInstant(day, 0).getTime() + OFFSET_MS + days * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday (0 = Sunday) of a `YYYY-MM-DD` day. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** `"08:30"` → 510. */
export function parseHhmm(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** 510 → `"08:30"` (whole minutes). */
export function formatHhmm(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
