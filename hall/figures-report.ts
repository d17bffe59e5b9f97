import { createHash } from 'node:crypto';
import { addDays, hallLocalTime } from '../electron/common/hall-time.js';
import type { Logger } from '../electron/host/logging/logger.js';
import type { Database, Migration } from '../electron/host/storage/database.js';
import type { Outbox } from '../electron/host/storage/outbox.js';
import type { RatingRow } from './protocol/ratings.js';
import type { FigureRow, HallStats } from './protocol/stats.js';
import type { HallQueueService } from './service.js';

/**
 * The hall's figures to the central platform (record kind `hall.figures`,
 * platform-contract/kinds.ts), through the service's own outbox and sync: one
 * record per hall day and per finished hour of it, for today and yesterday
 * (late changes: a no-show that came back, an offline upload). Each record's
 * `figuresKey` is `<day>/<hour|day>`; its id adds a digest of the figures, so
 * an unchanged report is never queued twice, and a changed one is a new
 * record that the platform stores over the old one (newest `generatedAt`
 * per hall and key). A day's record also carries that day's ratings by
 * department (`ratings`). Module `stats` holds what was last queued per key.
 */
export const statsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'hall figures queued for the platform',
    up: `CREATE TABLE stats_figures_sent (figures_key TEXT PRIMARY KEY, digest TEXT NOT NULL, record_id TEXT NOT NULL, queued_at TEXT NOT NULL);`,
  },
];

export const FIGURES_KIND = 'hall.figures';

export interface FiguresPayload {
  figuresKey: string;
  day: string;
  hour: number | null;
  generatedAt: string;
  rows: FigureRow[];
  /** Day reports only: that day's ratings by department (hall/stats.ts `ratingFigures`; none rated: empty). */
  ratings?: RatingRow[];
}

/**
 * Pure: the reports in a range's figures — each day, and each hour already
 * over at `now` (the running hour is reported once it ends).
 */
export function figuresPayloads(stats: HallStats, now: Date): FiguresPayload[] {
  const local = hallLocalTime(now);
  const currentHour = Math.floor(local.minuteOfDay / 60);
  const groups = new Map<string, FiguresPayload>();
  for (const row of stats.rows) {
    if (row.hour !== null && row.day === local.day && row.hour >= currentHour) continue;
    if (row.day > local.day) continue;
    const figuresKey = `${row.day}/${row.hour ?? 'day'}`;
    let group = groups.get(figuresKey);
    if (group === undefined) {
      group = { figuresKey, day: row.day, hour: row.hour, generatedAt: stats.generatedAt, rows: [], ...(row.hour === null ? { ratings: stats.ratings.filter((r) => r.day === row.day) } : {}) };
      groups.set(figuresKey, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()];
}

/** What identifies a report's figures. Without ratings it is the digest of the rows alone, as before ratings were reported, so an unrated day is not queued again after an upgrade. */
export function figuresDigest(rows: readonly FigureRow[], ratings: readonly RatingRow[] = []): string {
  return createHash('sha256')
    .update(JSON.stringify(ratings.length === 0 ? rows : { rows, ratings }))
    .digest('hex')
    .slice(0, 16);
}

/** Queues the reports whose figures changed since they were last queued; returns how many. */
export async function queueFigures(parts: { service: HallQueueService; db: Database; outbox: Outbox; now: () => Date }): Promise<number> {
  const now = parts.now();
  const today = hallLocalTime(now).day;
  const stats = await parts.service.figures(addDays(today, -1), today);
  let queued = 0;
  for (const payload of figuresPayloads(stats, now)) {
    const digest = figuresDigest(payload.rows, payload.ratings);
    const recordId = `hall.figures:${payload.day}:${payload.hour ?? 'day'}:${digest}`;
    const added = await parts.db.transaction(async (tx) => {
      const sent = await tx.get<{ digest: string }>('SELECT digest FROM stats_figures_sent WHERE figures_key = ?', [payload.figuresKey]);
      if (sent?.digest === digest) return false;
      await parts.outbox.append(tx, { id: recordId, kind: FIGURES_KIND, schemaVersion: 1, payload }, now);
      await tx.run(
        `INSERT INTO stats_figures_sent (figures_key, digest, record_id, queued_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (figures_key) DO UPDATE SET digest = excluded.digest, record_id = excluded.record_id, queued_at = excluded.queued_at`,
        [payload.figuresKey, digest, recordId, now.toISOString()],
      );
      return true;
    });
    if (added) queued++;
  }
  return queued;
}

export interface FiguresReport {
  /** Queue now (also run every `intervalMs`). */
  runNow(): Promise<number>;
  stop(): void;
}

/** Queues the figures at start and every `intervalMs` (default 5 min); the service's sync worker sends them. */
export async function startFiguresReport(parts: { service: HallQueueService; db: Database; outbox: Outbox; now: () => Date; logger: Logger; intervalMs?: number }): Promise<FiguresReport> {
  await parts.db.migrate('stats', statsMigrations);
  const log = parts.logger.child({ module: 'hall-figures' });
  let running: Promise<number> | null = null;
  const runNow = (): Promise<number> => {
    running ??= queueFigures(parts)
      .then((n) => {
        if (n > 0) log.info({ queued: n }, 'hall figures: queued for the platform');
        return n;
      })
      .catch((err: unknown) => {
        log.error({ err }, 'hall figures: could not queue the figures');
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  await runNow();
  const timer = setInterval(() => void runNow(), parts.intervalMs ?? 5 * 60_000);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
