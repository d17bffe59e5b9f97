import { hallLocalTime } from '../electron/common/hall-time.js';
import type { Migration, Queryable } from '../electron/host/storage/database.js';
import type { HallRating } from './protocol/ratings.js';
import type { StatsRating } from './stats.js';

/**
 * The ratings (好差评) the kiosks reported (migration module `ratings`): one
 * row per rating id, so a kiosk's re-send is recognised and counted once.
 * No personal data: stars, department, service, reason codes, when, which kiosk.
 */
export const ratingsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'ratings reported by the kiosks',
    up: `CREATE TABLE hall_ratings (
      id TEXT PRIMARY KEY,
      kiosk_id TEXT NOT NULL,
      day TEXT NOT NULL,
      at TEXT NOT NULL,
      stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
      department_id TEXT,
      service_id TEXT,
      reasons TEXT NOT NULL,
      received_at TEXT NOT NULL
    );
    CREATE INDEX hall_ratings_day ON hall_ratings (day);`,
  },
];

/** Stores one rating unless its id is already there; true when it was new. */
export async function insertRating(tx: Queryable, kioskId: string, rating: HallRating, receivedAt: Date): Promise<boolean> {
  const result = await tx.run(
    `INSERT INTO hall_ratings (id, kiosk_id, day, at, stars, department_id, service_id, reasons, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
    [rating.id, kioskId, hallLocalTime(new Date(rating.at)).day, new Date(rating.at).toISOString(), rating.stars, rating.departmentId ?? null, rating.serviceId ?? null, JSON.stringify(rating.reasons), receivedAt.toISOString()],
  );
  return result.changes === 1;
}

/** The ratings of the hall days `from`–`to`, for `ratingFigures`. */
export async function ratingsOfDays(db: Queryable, from: string, to: string): Promise<StatsRating[]> {
  const rows = await db.all<{ at: string; stars: number; department_id: string | null; reasons: string }>('SELECT at, stars, department_id, reasons FROM hall_ratings WHERE day >= ? AND day <= ? ORDER BY at, id', [from, to]);
  return rows.map((r) => {
    const reasons: unknown = JSON.parse(r.reasons);
    return { at: r.at, stars: r.stars, departmentId: r.department_id, reasons: Array.isArray(reasons) ? reasons.filter((x): x is string => typeof x === 'string') : [] };
  });
}
