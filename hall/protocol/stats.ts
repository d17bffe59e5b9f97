import { z } from 'zod';
import { DepartmentName, RatingRow } from './ratings.js';

/**
 * The hall's own figures (issue #17 item 5), as the statistics page and the
 * platform receive them: one flat list of rows, each the figures of one scope
 * (the whole hall, a category or a window) over one hall day or one hour of
 * it. The page's tables and charts and its CSV are all drawn from these rows,
 * and `statsCsv` is the one function that writes the CSV, so the file always
 * says what the page shows. Computed by `hall/stats.ts`; README "Statistics".
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Minutes with one decimal, null when there was nothing to measure. */
const minutes = z.number().nonnegative().nullable();

export const FigureScope = z.enum(['hall', 'category', 'window']);
export type FigureScope = z.infer<typeof FigureScope>;

export const FigureRow = z.object({
  /** Hall day, `YYYY-MM-DD` (Asia/Shanghai). */
  day,
  /** Hall hour 0–23, or null for the whole day. */
  hour: z.number().int().min(0).max(23).nullable(),
  scope: FigureScope,
  /** Category id or window number; '' for the hall. */
  key: z.string().max(100),
  /** Tickets issued (voided ones excluded), counted in the hour they were issued. */
  issued: z.number().int().nonnegative(),
  /** Services finished, counted in the hour they finished. */
  served: z.number().int().nonnegative(),
  /** Tickets skipped (过号) and never called again, counted in the hour of the skip. */
  noShows: z.number().int().nonnegative(),
  /** Transfers out of this category / window, counted in the hour of the transfer. */
  transfers: z.number().int().nonnegative(),
  /** Waiting time (first call − issue), by the hour of that call. */
  waitP50: minutes,
  waitP90: minutes,
  /** Service time (finish − the call before it), by the hour of the finish. */
  serviceP50: minutes,
  serviceP90: minutes,
});
export type FigureRow = z.infer<typeof FigureRow>;

export const HallStatsRequest = z.object({
  /** The manager session token from `managerLogin`. */
  token: z.string().min(10).max(100),
  /** First and last hall day; both default to the service's today (the page need not know the hall's clock). */
  from: day.optional(),
  to: day.optional(),
});
export type HallStatsRequest = z.infer<typeof HallStatsRequest>;

export const HallStats = z.object({
  from: day,
  to: day,
  generatedAt: z.string(),
  /** Names for the category ids in the rows. */
  categories: z.array(z.object({ id: z.string(), name: z.string() })),
  rows: z.array(FigureRow),
  /** Names (zh, en) for the department ids in `ratings`. */
  departments: z.array(DepartmentName),
  /** Ratings (好差评) by department, per hall day of the range (protocol/ratings.ts). */
  ratings: z.array(RatingRow),
});
export type HallStats = z.infer<typeof HallStats>;

export const ManagerLoginRequest = z.object({ pin: z.string().min(4).max(12) });
export type ManagerLoginRequest = z.infer<typeof ManagerLoginRequest>;
export const ManagerSession = z.object({ token: z.string(), expiresAt: z.string() });
export type ManagerSession = z.infer<typeof ManagerSession>;

/** The longest range one stats request may cover. */
export const MAX_STATS_DAYS = 62;

/**
 * One table for both kinds of row, told apart by `scope`: the queue figures
 * (hall, category, window) fill the queue columns, the ratings (scope
 * `department`, hour empty, key the department id, '' for none named) the
 * rating columns; each leaves the other's empty.
 */
export const CSV_COLUMNS = [
  'day',
  'hour',
  'scope',
  'key',
  'name',
  'issued',
  'served',
  'noShows',
  'transfers',
  'waitP50',
  'waitP90',
  'serviceP50',
  'serviceP90',
  'ratings',
  'averageStars',
  'stars1',
  'stars2',
  'stars3',
  'stars4',
  'stars5',
  'lowPercent',
  'topReasons',
] as const;
/** The rating columns, in order. */
export const CSV_RATING_COLUMNS = CSV_COLUMNS.slice(CSV_COLUMNS.indexOf('ratings'));

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The display name of a row's scope: the category's name, the window's number, or '' for the hall. */
export function rowName(stats: Pick<HallStats, 'categories'>, row: Pick<FigureRow, 'scope' | 'key'>): string {
  if (row.scope === 'category') return stats.categories.find((c) => c.id === row.key)?.name ?? row.key;
  return row.key;
}

/** A department's name as the CSV gives it (Chinese, the content's): '' for ratings that named none. */
export function departmentName(stats: Pick<HallStats, 'departments'>, departmentId: string): string {
  return stats.departments.find((d) => d.id === departmentId)?.name ?? departmentId;
}

/** The top reasons as one CSV field: `long-wait:3;staff-attitude:1`. */
export function reasonsField(row: Pick<RatingRow, 'topReasons'>): string {
  return row.topReasons.map((r) => `${r.reason}:${r.count}`).join(';');
}

/**
 * The CSV of the figures (UTF-8, CRLF, header first): one line per queue row
 * in the order given, then one per rating row (by day, then department).
 */
export function statsCsv(stats: HallStats, rows: readonly FigureRow[] = stats.rows, ratings: readonly RatingRow[] = stats.ratings): string {
  const lines = [CSV_COLUMNS.join(',')];
  const noRatings = CSV_RATING_COLUMNS.map(() => null);
  for (const row of rows) {
    lines.push(
      [row.day, row.hour, row.scope, row.key, rowName(stats, row), row.issued, row.served, row.noShows, row.transfers, row.waitP50, row.waitP90, row.serviceP50, row.serviceP90, ...noRatings]
        .map(csvField)
        .join(','),
    );
  }
  for (const rating of ratings) {
    lines.push(
      [rating.day, null, 'department', rating.departmentId, departmentName(stats, rating.departmentId), null, null, null, null, null, null, null, null, rating.count, rating.average, ...rating.stars, rating.lowPercent, reasonsField(rating)]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
