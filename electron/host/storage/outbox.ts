import { randomUUID } from 'node:crypto';
import type { DataKey } from './crypto.js';
import type { Migration, Queryable } from './database.js';

/**
 * The outbox: every record that must reach the central platform gets a row
 * here, written in the same transaction as the record itself, so a record is
 * never stored without being queued for sync nor queued without being stored.
 * Payloads are sealed with the terminal's data key: they may carry personal
 * data until they are synced and purged.
 */
export const outboxMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create outbox',
    up: `CREATE TABLE outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      payload BLOB NOT NULL,
      created_at TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'synced', 'dead')),
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      next_attempt_at TEXT,
      synced_at TEXT
    );
    CREATE INDEX outbox_pending ON outbox (state, kind, seq);`,
  },
  {
    version: 2,
    name: 'sync bookkeeping: dead-letter time, indexes for draining and purging',
    up: `ALTER TABLE outbox ADD COLUMN dead_at TEXT;
    CREATE INDEX outbox_state_seq ON outbox (state, seq);
    CREATE INDEX outbox_state_synced_at ON outbox (state, synced_at);`,
  },
];

export interface OutboxEntry {
  /** Client-generated id: the idempotency key on the platform. Defaults to a UUID. */
  id?: string;
  /** What the record is, e.g. `ticket.event`, `case`, `rating`. */
  kind: string;
  schemaVersion: number;
  payload: unknown;
}

export interface OutboxRow {
  seq: number;
  id: string;
  kind: string;
  schemaVersion: number;
  payload: unknown;
  createdAt: string;
  state: 'pending' | 'synced' | 'dead';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

/** A pending row as the sync worker sees it: `unreadable` says why the payload could not be opened (then payload is null). */
export interface QueuedRow extends OutboxRow {
  unreadable: string | null;
}

/** A record the platform refused for good (or that cannot be sent): shown to staff, never retried. No payload: it may be personal. */
export interface DeadLetter {
  id: string;
  kind: string;
  schemaVersion: number;
  createdAt: string;
  attempts: number;
  reason: string;
  deadAt: string | null;
}

/** SQLite's default limit on bound parameters is far above this; chunks keep statements small. */
const ID_CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface RawOutboxRow {
  seq: number;
  id: string;
  kind: string;
  schema_version: number;
  payload: Buffer;
  created_at: string;
  state: 'pending' | 'synced' | 'dead';
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
}

export class Outbox {
  constructor(private readonly key: DataKey) {}

  /** Queues a record. Call it inside the transaction that stores the record. */
  async append(tx: Queryable, entry: OutboxEntry, now = new Date()): Promise<string> {
    const id = entry.id ?? randomUUID();
    await tx.run('INSERT INTO outbox (id, kind, schema_version, payload, created_at) VALUES (?, ?, ?, ?, ?)', [
      id,
      entry.kind,
      entry.schemaVersion,
      this.key.sealJson(entry.payload),
      now.toISOString(),
    ]);
    return id;
  }

  async pending(db: Queryable, limit: number, now = new Date()): Promise<OutboxRow[]> {
    const rows = await db.all<RawOutboxRow>(
      "SELECT * FROM outbox WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?",
      [now.toISOString(), limit],
    );
    return rows.map((row) => this.decode(row));
  }

  async counts(db: Queryable): Promise<Record<'pending' | 'synced' | 'dead', number>> {
    const rows = await db.all<{ state: 'pending' | 'synced' | 'dead'; n: number }>('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state');
    const counts = { pending: 0, synced: 0, dead: 0 };
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  /** When the oldest record still waiting was queued; null when none waits. */
  async oldestPendingAt(db: Queryable): Promise<Date | null> {
    const row = await db.get<{ at: string | null }>("SELECT MIN(created_at) AS at FROM outbox WHERE state = 'pending'");
    return row?.at == null ? null : new Date(row.at);
  }

  /**
   * Pending rows in queue order, due or not (the sync planner decides what a
   * not-yet-due row holds back). A payload that cannot be opened is reported,
   * not thrown, so one bad row cannot stop the queue.
   */
  async queued(db: Queryable, limit: number): Promise<QueuedRow[]> {
    const rows = await db.all<RawOutboxRow>("SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?", [limit]);
    return rows.map((row) => {
      try {
        return { ...this.decode(row), unreadable: null };
      } catch (err) {
        return { ...this.decode(row, false), unreadable: `payload cannot be opened: ${(err as Error).message}` };
      }
    });
  }

  /** Marks rows acknowledged by the platform; only pending rows change. */
  async markSynced(tx: Queryable, ids: readonly string[], now: Date): Promise<void> {
    for (const part of chunks(ids, ID_CHUNK)) {
      await tx.run(
        `UPDATE outbox SET state = 'synced', synced_at = ?, next_attempt_at = NULL, last_error = NULL WHERE state = 'pending' AND id IN (${part.map(() => '?').join(',')})`,
        [now.toISOString(), ...part],
      );
    }
  }

  /** Moves rows to the dead-letter list with the reason staff will see. */
  async markDead(tx: Queryable, rows: readonly { id: string; reason: string }[], now: Date): Promise<void> {
    for (const row of rows) {
      await tx.run("UPDATE outbox SET state = 'dead', last_error = ?, dead_at = ?, next_attempt_at = NULL WHERE state = 'pending' AND id = ?", [row.reason, now.toISOString(), row.id]);
    }
  }

  /** Counts a failed attempt and holds each row until its next attempt time. */
  async recordAttempt(tx: Queryable, rows: readonly { id: string; nextAttemptAt: Date }[], error: string): Promise<void> {
    for (const row of rows) {
      await tx.run("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE state = 'pending' AND id = ?", [error, row.nextAttemptAt.toISOString(), row.id]);
    }
  }

  async deadLetters(db: Queryable): Promise<DeadLetter[]> {
    const rows = await db.all<{ id: string; kind: string; schema_version: number; created_at: string; attempts: number; last_error: string | null; dead_at: string | null }>(
      "SELECT id, kind, schema_version, created_at, attempts, last_error, dead_at FROM outbox WHERE state = 'dead' ORDER BY seq",
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      schemaVersion: row.schema_version,
      createdAt: row.created_at,
      attempts: row.attempts,
      reason: row.last_error ?? 'unknown',
      deadAt: row.dead_at,
    }));
  }

  /** Deletes synced rows (and so their sealed personal payloads) synced before `before`; returns how many. */
  async purgeSynced(db: Queryable, before: Date): Promise<number> {
    const result = await db.run("DELETE FROM outbox WHERE state = 'synced' AND synced_at < ?", [before.toISOString()]);
    return result.changes;
  }

  private decode(row: RawOutboxRow, open = true): OutboxRow {
    return {
      seq: row.seq,
      id: row.id,
      kind: row.kind,
      schemaVersion: row.schema_version,
      payload: open ? this.key.openJson(row.payload) : null,
      createdAt: row.created_at,
      state: row.state,
      attempts: row.attempts,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at,
    };
  }
}
