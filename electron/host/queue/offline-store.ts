import type { Migration, Queryable } from '../storage/database.js';
import type { NumberRange } from '../../../hall/rules.js';
import type { HallRating } from '../../../hall/protocol/index.js';

/**
 * The kiosk client's own tables: the number blocks leased to this kiosk and
 * the tickets it issued from them while the hall service was unreachable
 * (kept until the service accepts them). The hall service's tables are in
 * hall/store.ts. Before the hall service had its own folder, these tables
 * came with the `queue` module's first migration: `IF NOT EXISTS` keeps
 * those databases as they are.
 */
export const kioskQueueMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'kiosk offline leases and tickets',
    up: `
    CREATE TABLE IF NOT EXISTS queue_kiosk_leases (
      day TEXT NOT NULL,
      prefix TEXT NOT NULL,
      start INTEGER NOT NULL,
      end INTEGER NOT NULL,
      PRIMARY KEY (day, prefix, start)
    );
    CREATE TABLE IF NOT EXISTS queue_kiosk_offline (
      request_id TEXT PRIMARY KEY,
      day TEXT NOT NULL,
      prefix TEXT NOT NULL,
      number INTEGER NOT NULL,
      ticket TEXT NOT NULL,
      uploaded_at TEXT,
      UNIQUE (day, prefix, number)
    );`,
  },
  {
    version: 2,
    name: 'ratings kept for the hall service',
    // The ratings citizens left here (hall/protocol/ratings.ts: no personal data), until the hall service has them.
    up: `CREATE TABLE queue_kiosk_ratings (
      id TEXT PRIMARY KEY,
      rating TEXT NOT NULL,
      queued_at TEXT NOT NULL,
      sent_at TEXT,
      refused TEXT
    );
    CREATE INDEX queue_kiosk_ratings_pending ON queue_kiosk_ratings (sent_at, refused);`,
  },
];


export interface KioskOfflineRow {
  request_id: string;
  day: string;
  prefix: string;
  number: number;
  ticket: string;
  uploaded_at: string | null;
}

export async function saveKioskLeases(db: Queryable, day: string, prefix: string, blocks: readonly NumberRange[]): Promise<void> {
  for (const block of blocks) {
    await db.run('INSERT OR IGNORE INTO queue_kiosk_leases (day, prefix, start, end) VALUES (?, ?, ?, ?)', [day, prefix, block.start, block.end]);
  }
}

export async function forgetKioskLeasesBefore(db: Queryable, day: string): Promise<void> {
  await db.run('DELETE FROM queue_kiosk_leases WHERE day < ?', [day]);
}

/** The first leased number of (day, prefix) that no offline ticket of this kiosk has used, or null. */
export async function firstFreeLeasedNumber(db: Queryable, day: string, prefix: string): Promise<number | null> {
  const blocks = await db.all<NumberRange>('SELECT start, end FROM queue_kiosk_leases WHERE day = ? AND prefix = ? ORDER BY start', [day, prefix]);
  const used = new Set((await db.all<{ number: number }>('SELECT number FROM queue_kiosk_offline WHERE day = ? AND prefix = ?', [day, prefix])).map((r) => r.number));
  for (const block of blocks) for (let n = block.start; n <= block.end; n++) if (!used.has(n)) return n;
  return null;
}

export async function kioskOfflineByRequest(db: Queryable, requestId: string): Promise<KioskOfflineRow | undefined> {
  return db.get<KioskOfflineRow>('SELECT * FROM queue_kiosk_offline WHERE request_id = ?', [requestId]);
}

export async function insertKioskOffline(db: Queryable, row: Omit<KioskOfflineRow, 'uploaded_at'>): Promise<void> {
  await db.run('INSERT INTO queue_kiosk_offline (request_id, day, prefix, number, ticket) VALUES (?, ?, ?, ?, ?)', [row.request_id, row.day, row.prefix, row.number, row.ticket]);
}

export async function pendingKioskOffline(db: Queryable, limit: number): Promise<KioskOfflineRow[]> {
  return db.all<KioskOfflineRow>('SELECT * FROM queue_kiosk_offline WHERE uploaded_at IS NULL ORDER BY rowid LIMIT ?', [limit]);
}

export async function countPendingKioskOffline(db: Queryable): Promise<number> {
  return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM queue_kiosk_offline WHERE uploaded_at IS NULL'))?.n ?? 0;
}

export async function markKioskOfflineUploaded(db: Queryable, requestId: string, at: string): Promise<void> {
  await db.run('UPDATE queue_kiosk_offline SET uploaded_at = ? WHERE request_id = ?', [at, requestId]);
}

export interface KioskRatingRow {
  id: string;
  rating: string;
}

/** Keeps a rating for the hall service (once per id), in the caller's transaction. */
export async function insertKioskRating(db: Queryable, rating: HallRating, at: Date): Promise<void> {
  await db.run('INSERT OR IGNORE INTO queue_kiosk_ratings (id, rating, queued_at) VALUES (?, ?, ?)', [rating.id, JSON.stringify(rating), at.toISOString()]);
}

/** Ratings the hall service has neither taken nor refused, oldest first. */
export async function pendingKioskRatings(db: Queryable, limit: number): Promise<KioskRatingRow[]> {
  return db.all<KioskRatingRow>('SELECT id, rating FROM queue_kiosk_ratings WHERE sent_at IS NULL AND refused IS NULL ORDER BY rowid LIMIT ?', [limit]);
}

export async function countPendingKioskRatings(db: Queryable): Promise<number> {
  return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM queue_kiosk_ratings WHERE sent_at IS NULL AND refused IS NULL'))?.n ?? 0;
}

export async function markKioskRatingSent(db: Queryable, id: string, at: string): Promise<void> {
  await db.run('UPDATE queue_kiosk_ratings SET sent_at = ? WHERE id = ?', [at, id]);
}

/** Kept (not retried): the hall service said why it will never take it. */
export async function markKioskRatingRefused(db: Queryable, id: string, reason: string): Promise<void> {
  await db.run('UPDATE queue_kiosk_ratings SET refused = ? WHERE id = ?', [reason.slice(0, 500), id]);
}

/** Forgets ratings the hall service took before `before` (ISO): the kiosk's copy was only kept until then. */
export async function forgetSentKioskRatings(db: Queryable, before: string): Promise<void> {
  await db.run('DELETE FROM queue_kiosk_ratings WHERE sent_at IS NOT NULL AND sent_at < ?', [before]);
}
