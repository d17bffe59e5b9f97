import { z } from 'zod';
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
];

/** What the platform relies on; the payload was already checked against platform-contract/kinds.ts. */
const FiguresPayload = z.looseObject({ figuresKey: z.string(), day: z.string(), hour: z.number().int().nullable(), generatedAt: z.string(), rows: z.array(z.unknown()) });

/** Stores a `hall.figures` payload over an older report of the same hall and key. */
export async function upsertHallFigures(tx: Queryable, terminalId: string, payload: unknown): Promise<void> {
  const p = FiguresPayload.parse(payload);
  await tx.run(
    `INSERT INTO hall_figures (terminal_id, figures_key, day, hour, generated_at, rows) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (terminal_id, figures_key) DO UPDATE SET generated_at = excluded.generated_at, rows = excluded.rows
     WHERE excluded.generated_at >= hall_figures.generated_at`,
    [terminalId, p.figuresKey, p.day, p.hour, p.generatedAt, JSON.stringify(p.rows)],
  );
}

export interface StoredHallFigures {
  terminalId: string;
  figuresKey: string;
  day: string;
  hour: number | null;
  generatedAt: string;
  rows: unknown[];
}

/** The reports of one day (every hall, or one), the day totals first, then by hour. */
export async function hallFiguresOfDay(db: Queryable, day: string, terminalId?: string): Promise<StoredHallFigures[]> {
  const rows = await db.all<{ terminal_id: string; figures_key: string; day: string; hour: number | null; generated_at: string; rows: string }>(
    `SELECT * FROM hall_figures WHERE day = ? ${terminalId === undefined ? '' : 'AND terminal_id = ?'} ORDER BY terminal_id, hour IS NOT NULL, hour`,
    terminalId === undefined ? [day] : [day, terminalId],
  );
  return rows.map((r) => ({ terminalId: r.terminal_id, figuresKey: r.figures_key, day: r.day, hour: r.hour, generatedAt: r.generated_at, rows: z.array(z.unknown()).parse(JSON.parse(r.rows)) }));
}
