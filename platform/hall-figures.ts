import { z } from 'zod';
import { serviceDay } from '../electron/common/hall-time.js';
import type { Migration, Queryable } from '../electron/host/storage/database.js';

/**
 * The hall queue services' figures (record kind `hall.figures`), kept as the
 * newest report per hall (terminal) and `figuresKey` (`<day>/<hour|day>`): a
 * later revision of the same day or hour overwrites the earlier one, an older
 * one arriving late changes nothing. (Every revision is also in `records`,
 * once per id, like any record.) Read by `GET /admin/hall-figures`.
 */
export const hallFiguresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'hall figures, newest per hall and key',
    up: `CREATE TABLE hall_figures (
      terminal_id TEXT NOT NULL,
      figures_key TEXT NOT NULL,
      day TEXT NOT NULL,
      hour INTEGER,
      generated_at TEXT NOT NULL,
      rows TEXT NOT NULL,
      PRIMARY KEY (terminal_id, figures_key)
    );
    CREATE INDEX hall_figures_day ON hall_figures (day);`,
  },
  {
    version: 2,
    name: 'hall figures: ratings by department of day reports',
    up: `ALTER TABLE hall_figures ADD COLUMN ratings TEXT;`,
  },
];

/** What the platform relies on; the payload was already checked against platform-contract/kinds.ts. */
const FiguresPayload = z.looseObject({ figuresKey: z.string(), day: z.string(), hour: z.number().int().nullable(), generatedAt: z.string(), rows: z.array(z.unknown()), ratings: z.array(z.unknown()).optional() });

/** Stores a `hall.figures` payload over an older report of the same hall and key. */
export async function upsertHallFigures(tx: Queryable, terminalId: string, payload: unknown): Promise<void> {
  const p = FiguresPayload.parse(payload);
  await tx.run(
    `INSERT INTO hall_figures (terminal_id, figures_key, day, hour, generated_at, rows, ratings) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (terminal_id, figures_key) DO UPDATE SET generated_at = excluded.generated_at, rows = excluded.rows, ratings = excluded.ratings
     WHERE excluded.generated_at >= hall_figures.generated_at`,
    [terminalId, p.figuresKey, p.day, p.hour, p.generatedAt, JSON.stringify(p.rows), p.ratings === undefined ? null : JSON.stringify(p.ratings)],
  );
}

export interface StoredHallFigures {
  terminalId: string;
  figuresKey: string;
  day: string;
  hour: number | null;
  generatedAt: string;
  rows: unknown[];
  /** Day reports: the hall service's ratings by department; null from hall services that did not report them. */
  ratings: unknown[] | null;
}

/** The reports of one day (every hall, or one), the day totals first, then by hour. */
export async function hallFiguresOfDay(db: Queryable, day: string, terminalId?: string): Promise<StoredHallFigures[]> {
  const rows = await db.all<{ terminal_id: string; figures_key: string; day: string; hour: number | null; generated_at: string; rows: string; ratings: string | null }>(
    `SELECT * FROM hall_figures WHERE day = ? ${terminalId === undefined ? '' : 'AND terminal_id = ?'} ORDER BY terminal_id, hour IS NOT NULL, hour`,
    terminalId === undefined ? [day] : [day, terminalId],
  );
  return rows.map((r) => ({ terminalId: r.terminal_id, figuresKey: r.figures_key, day: r.day, hour: r.hour, generatedAt: r.generated_at, rows: z.array(z.unknown()).parse(JSON.parse(r.rows)), ratings: r.ratings === null ? null : z.array(z.unknown()).parse(JSON.parse(r.ratings)) }));
}

export interface DepartmentRatings {
  /** '' for ratings that named no department. */
  departmentId: string;
  count: number;
  /** Mean stars, one decimal. */
  average: number;
  /** How many gave 1, 2, 3, 4, 5 stars. */
  stars: [number, number, number, number, number];
}

const RatingPayload = z.looseObject({ stars: z.number().int().min(1).max(5), at: z.string().optional(), departmentId: z.string().optional() });

/**
 * Ratings (好差评) by department for one hall day, from the `rating`
 * records the kiosks' feedback flow (electron/host/guide) sends the platform
 * directly, each with the department of the service rated. (The kiosks also
 * report them to their hall service, whose day reports carry its own ratings
 * by department: `StoredHallFigures.ratings`.) Day = the rating's `at` (else
 * when it was queued) in hall time.
 */
export function ratingsByDepartment(ratings: ReadonlyArray<{ payload: unknown; createdAt: string }>, day: string): DepartmentRatings[] {
  const groups = new Map<string, DepartmentRatings>();
  for (const rating of ratings) {
    const parsed = RatingPayload.safeParse(rating.payload);
    if (!parsed.success) continue;
    if (serviceDay(new Date(parsed.data.at ?? rating.createdAt)) !== day) continue;
    const departmentId = parsed.data.departmentId ?? '';
    let group = groups.get(departmentId);
    if (group === undefined) {
      group = { departmentId, count: 0, average: 0, stars: [0, 0, 0, 0, 0] };
      groups.set(departmentId, group);
    }
    group.count++;
    group.stars[parsed.data.stars - 1]! += 1;
  }
  return [...groups.values()]
    .map((g) => ({ ...g, average: Math.round((g.stars.reduce((sum, n, i) => sum + n * (i + 1), 0) / g.count) * 10) / 10 }))
    .sort((a, b) => (a.departmentId < b.departmentId ? -1 : a.departmentId > b.departmentId ? 1 : 0));
}

/** The `rating` records as stored (payload without sealed personal fields: stars, at and department are open). */
export async function ratingRecords(db: Queryable): Promise<Array<{ payload: unknown; createdAt: string }>> {
  const rows = await db.all<{ payload: string; created_at: string }>("SELECT payload, created_at FROM records WHERE kind = 'rating'");
  return rows.map((r) => ({ payload: JSON.parse(r.payload) as unknown, createdAt: r.created_at }));
}
