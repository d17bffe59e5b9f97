import type { DataKey } from '../electron/host/storage/crypto.js';
import type { Database, Migration } from '../electron/host/storage/database.js';
import { joinPersonal, openPersonal, personalMigrations, sealPersonal, splitPersonal } from './personal.js';
import { SyncRecord, type CaseStatusChange, type ContentBundle, type ContentCurrent, type Heartbeat, type RecordAck } from '../platform-contract/contract.js';
import { rejectionReason } from '../platform-contract/kinds.js';
import { hallFiguresMigrations, hallFiguresOfDay, ratingRecords, ratingsByDepartment, upsertHallFigures, type DepartmentRatings, type StoredHallFigures } from './hall-figures.js';

/**
 * The reference platform's own SQLite store: records (one row per idempotency
 * key, so a resent record can never be stored twice), terminals, content
 * packages, case status changes and heartbeats.
 */
export const platformMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create platform tables',
    up: `CREATE TABLE terminals (id TEXT PRIMARY KEY, secret TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
    CREATE TABLE records (
      id TEXT PRIMARY KEY,
      terminal_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      payload TEXT NOT NULL,
      created_at TEXT NOT NULL,
      received_at TEXT NOT NULL
    );
    CREATE INDEX records_kind ON records (kind);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE content_packages (version TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, bundle TEXT NOT NULL, published_at TEXT NOT NULL);
    CREATE TABLE content_current (one INTEGER PRIMARY KEY CHECK (one = 1), version TEXT NOT NULL REFERENCES content_packages (version));
    CREATE TABLE case_status_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, status TEXT NOT NULL, note TEXT, changed_at TEXT NOT NULL);
    CREATE TABLE heartbeats (terminal_id TEXT PRIMARY KEY, body TEXT NOT NULL, received_at TEXT NOT NULL);`,
  },
];

export interface PlatformStats {
  /** Records held, each id once. */
  stored: number;
  /** Resends of an id already held (answered `duplicate`, not stored again). */
  duplicatesSeen: number;
  rejected: number;
  perKind: Record<string, number>;
}

export interface TerminalRow {
  id: string;
  secret: string;
  revoked: boolean;
}

export class PlatformStore {
  private constructor(
    private readonly db: Database,
    private readonly key: DataKey,
  ) {}

  /** `key` seals the records' personal fields at rest (platform/personal.ts). */
  static async open(db: Database, key: DataKey): Promise<PlatformStore> {
    await db.migrate('platform', platformMigrations);
    await db.migrate('platform-personal', personalMigrations);
    await db.migrate('hall-figures', hallFiguresMigrations);
    return new PlatformStore(db, key);
  }

  /**
   * Stores a batch in one transaction and acknowledges each record: a record
   * that fails the contract or its kind's schema, or that `refused` names
   * (a case whose pages are missing), is rejected for good, an id
   * already held is a duplicate, anything else is accepted.
   */
  async storeBatch(terminalId: string, records: readonly unknown[], now: Date, refused: ReadonlyMap<string, string> = new Map()): Promise<RecordAck[]> {
    return this.db.transaction(async (tx) => {
      const acks: RecordAck[] = [];
      let duplicates = 0;
      let rejected = 0;
      for (const raw of records) {
        const parsed = SyncRecord.safeParse(raw);
        if (!parsed.success) {
          rejected += 1;
          const rawId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : '';
          const issue = parsed.error.issues[0];
          acks.push({ id: rawId, status: 'rejected', reason: `record is malformed: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}` });
          continue;
        }
        const record = parsed.data;
        const reason = rejectionReason(record) ?? refused.get(record.id) ?? null;
        if (reason !== null) {
          rejected += 1;
          acks.push({ id: record.id, status: 'rejected', reason });
          continue;
        }
        const { open, personal } = splitPersonal(record.payload);
        const result = await tx.run(
          'INSERT OR IGNORE INTO records (id, terminal_id, kind, schema_version, payload, created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [record.id, terminalId, record.kind, record.schemaVersion, JSON.stringify(open), record.createdAt, now.toISOString()],
        );
        if (result.changes === 1 && personal !== null) await tx.run('INSERT INTO record_personal (id, sealed) VALUES (?, ?)', [record.id, sealPersonal(this.key, personal)]);
        if (result.changes === 1 && record.kind === 'hall.figures') await upsertHallFigures(tx, terminalId, record.payload);
        if (result.changes === 1) acks.push({ id: record.id, status: 'accepted' });
        else {
          duplicates += 1;
          acks.push({ id: record.id, status: 'duplicate' });
        }
      }
      const bump = 'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value';
      if (duplicates > 0) await tx.run(bump, ['duplicates', duplicates]);
      if (rejected > 0) await tx.run(bump, ['rejected', rejected]);
      return acks;
    });
  }

  async stats(): Promise<PlatformStats> {
    const kinds = await this.db.all<{ kind: string; n: number }>('SELECT kind, COUNT(*) AS n FROM records GROUP BY kind ORDER BY kind');
    const counters = await this.db.all<{ name: string; value: number }>('SELECT name, value FROM counters');
    const counter = (name: string): number => counters.find((row) => row.name === name)?.value ?? 0;
    const perKind: Record<string, number> = {};
    for (const row of kinds) perKind[row.kind] = row.n;
    return { stored: kinds.reduce((sum, row) => sum + row.n, 0), duplicatesSeen: counter('duplicates'), rejected: counter('rejected'), perKind };
  }

  async recordIds(): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>('SELECT id FROM records ORDER BY rowid');
    return rows.map((row) => row.id);
  }

  async record(id: string): Promise<{ id: string; kind: string; schemaVersion: number; payload: unknown; terminalId: string } | undefined> {
    const row = await this.db.get<{ id: string; kind: string; schema_version: number; payload: string; terminal_id: string; sealed: Buffer | null }>(
      'SELECT r.*, p.sealed FROM records r LEFT JOIN record_personal p ON p.id = r.id WHERE r.id = ?',
      [id],
    );
    if (!row) return undefined;
    const payload = joinPersonal(JSON.parse(row.payload) as unknown, row.sealed === null ? null : openPersonal(this.key, row.sealed));
    return { id: row.id, kind: row.kind, schemaVersion: row.schema_version, payload, terminalId: row.terminal_id };
  }

  /** The hall services' figures of a day, newest report per hall and hour (`hall.figures`). */
  hallFigures(day: string, terminalId?: string): Promise<StoredHallFigures[]> {
    return hallFiguresOfDay(this.db, day, terminalId);
  }

  /** Ratings of a hall day by department (from the kiosks' `rating` records). */
  async ratingsByDepartment(day: string): Promise<DepartmentRatings[]> {
    return ratingsByDepartment(await ratingRecords(this.db), day);
  }

  /** Every record of a kind, oldest first (the reviewer's case list). */
  async recordsOfKind(kind: string): Promise<{ id: string; terminalId: string; payload: unknown; receivedAt: string }[]> {
    // Personal fields live sealed in record_personal: the reviewer sees them joined back, opened here only.
    const rows = await this.db.all<{ id: string; terminal_id: string; payload: string; received_at: string; sealed: Buffer | null }>(
      'SELECT r.id, r.terminal_id, r.payload, r.received_at, p.sealed FROM records r LEFT JOIN record_personal p ON p.id = r.id WHERE r.kind = ? ORDER BY r.rowid',
      [kind],
    );
    return rows.map((row) => ({
      id: row.id,
      terminalId: row.terminal_id,
      payload: joinPersonal(JSON.parse(row.payload) as unknown, row.sealed === null ? null : openPersonal(this.key, row.sealed)),
      receivedAt: row.received_at,
    }));
  }

  /** The status changes posted for a case (by id or number), oldest first. */
  async caseStatusHistory(caseIds: readonly string[]): Promise<CaseStatusChange[]> {
    if (caseIds.length === 0) return [];
    const rows = await this.db.all<{ seq: number; case_id: string; status: string; note: string | null; changed_at: string }>(
      `SELECT * FROM case_status_changes WHERE case_id IN (${caseIds.map(() => '?').join(', ')}) ORDER BY seq`,
      [...caseIds],
    );
    return rows.map((row) => ({ seq: row.seq, caseId: row.case_id, status: row.status, ...(row.note === null ? {} : { note: row.note }), changedAt: row.changed_at }));
  }

  async terminals(): Promise<TerminalRow[]> {
    const rows = await this.db.all<{ id: string; secret: string; revoked: number }>('SELECT id, secret, revoked FROM terminals');
    return rows.map((row) => ({ id: row.id, secret: row.secret, revoked: row.revoked === 1 }));
  }

  /** Adds a terminal or replaces its secret (and un-revokes it). */
  async putTerminal(id: string, secret: string, now: Date): Promise<void> {
    await this.db.run('INSERT INTO terminals (id, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, revoked = 0', [id, secret, now.toISOString()]);
  }

  async revokeTerminal(id: string): Promise<boolean> {
    const result = await this.db.run('UPDATE terminals SET revoked = 1 WHERE id = ?', [id]);
    return result.changes === 1;
  }

  /** Publishes a package and makes it current. */
  async publishContent(bundle: ContentBundle): Promise<ContentCurrent> {
    const text = JSON.stringify(bundle);
    const size = Buffer.byteLength(text);
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO content_packages (version, sha256, size, bundle, published_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, bundle = excluded.bundle, published_at = excluded.published_at', [
        bundle.version,
        bundle.sha256,
        size,
        text,
        bundle.publishedAt,
      ]);
      await tx.run('INSERT INTO content_current (one, version) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET version = excluded.version', [bundle.version]);
    });
    return { version: bundle.version, sha256: bundle.sha256, size, publishedAt: bundle.publishedAt };
  }

  async currentContent(): Promise<ContentCurrent | undefined> {
    const row = await this.db.get<{ version: string; sha256: string; size: number; published_at: string }>(
      'SELECT p.version, p.sha256, p.size, p.published_at FROM content_current c JOIN content_packages p ON p.version = c.version',
    );
    return row && { version: row.version, sha256: row.sha256, size: row.size, publishedAt: row.published_at };
  }

  /** The stored bundle text, served as is. */
  async contentBundleText(version: string): Promise<{ text: string; sha256: string } | undefined> {
    const row = await this.db.get<{ bundle: string; sha256: string }>('SELECT bundle, sha256 FROM content_packages WHERE version = ?', [version]);
    return row && { text: row.bundle, sha256: row.sha256 };
  }

  async addCaseStatus(change: { caseId: string; status: string; note?: string | undefined }, now: Date): Promise<CaseStatusChange> {
    const changedAt = now.toISOString();
    const result = await this.db.run('INSERT INTO case_status_changes (case_id, status, note, changed_at) VALUES (?, ?, ?, ?)', [change.caseId, change.status, change.note ?? null, changedAt]);
    return { seq: result.lastId, caseId: change.caseId, status: change.status, ...(change.note === undefined ? {} : { note: change.note }), changedAt };
  }

  async caseStatusChanges(afterSeq: number, limit: number): Promise<{ changes: CaseStatusChange[]; more: boolean }> {
    const rows = await this.db.all<{ seq: number; case_id: string; status: string; note: string | null; changed_at: string }>(
      'SELECT * FROM case_status_changes WHERE seq > ? ORDER BY seq LIMIT ?',
      [afterSeq, limit + 1],
    );
    const changes = rows.slice(0, limit).map((row) => ({
      seq: row.seq,
      caseId: row.case_id,
      status: row.status,
      ...(row.note === null ? {} : { note: row.note }),
      changedAt: row.changed_at,
    }));
    return { changes, more: rows.length > limit };
  }

  async recordHeartbeat(terminalId: string, heartbeat: Heartbeat, now: Date): Promise<void> {
    await this.db.run('INSERT INTO heartbeats (terminal_id, body, received_at) VALUES (?, ?, ?) ON CONFLICT (terminal_id) DO UPDATE SET body = excluded.body, received_at = excluded.received_at', [
      terminalId,
      JSON.stringify(heartbeat),
      now.toISOString(),
    ]);
  }

  async heartbeat(terminalId: string): Promise<Heartbeat | undefined> {
    const row = await this.db.get<{ body: string }>('SELECT body FROM heartbeats WHERE terminal_id = ?', [terminalId]);
    return row && (JSON.parse(row.body) as Heartbeat);
  }
}
