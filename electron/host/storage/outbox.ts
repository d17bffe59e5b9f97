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

  private decode(row: RawOutboxRow): OutboxRow {
    return {
      seq: row.seq,
      id: row.id,
      kind: row.kind,
      schemaVersion: row.schema_version,
      payload: this.key.openJson(row.payload),
      createdAt: row.created_at,
      state: row.state,
      attempts: row.attempts,
      lastError: row.last_error,
    };
  }
}
