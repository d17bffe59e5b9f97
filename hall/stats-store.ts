import type { Queryable } from '../electron/host/storage/database.js';
import type { StatsEvent } from './stats.js';

/**
 * The store query that feeds `hallFigures`: the ticket events of the days
 * `from`–`to` in the order they happened. Reads the queue module's own
 * tables; the figures add no table of their own.
 */
export async function statsEvents(db: Queryable, from: string, to: string): Promise<StatsEvent[]> {
  const rows = await db.all<{ ticket_id: string; kind: string; at: string; category_id: string; window_no: string | null; from_category: string | null }>(
    `SELECT ticket_id, kind, at, category_id, window_no,
            CASE WHEN kind = 'transferred' THEN json_extract(detail, '$.fromCategoryId') END AS from_category
       FROM queue_ticket_events WHERE day >= ? AND day <= ? ORDER BY seq`,
    [from, to],
  );
  return rows.map((r) => ({ ticketId: r.ticket_id, kind: r.kind, at: r.at, categoryId: r.category_id, windowNo: r.window_no, fromCategoryId: r.from_category }));
}
