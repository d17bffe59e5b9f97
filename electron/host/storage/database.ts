import sqlite3 from 'sqlite3';

/**
 * A small promise API over one sqlite3 connection. Every statement runs
 * through one queue, and a transaction holds the queue for its whole body, so
 * statements from other callers can never land inside someone else's
 * transaction (sqlite3 shares one connection across all async callers).
 */
export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = readonly SqlValue[] | Record<string, SqlValue>;

export interface RunResult {
  changes: number;
  lastId: number;
}

/** The statements available inside a transaction (and outside one). */
export interface Queryable {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export interface Migration {
  /** 1, 2, 3…: applied in order, each once, each in its own transaction. */
  version: number;
  name: string;
  up: string | ((tx: Queryable) => Promise<void>);
}

class Connection implements Queryable {
  constructor(private readonly db: sqlite3.Database) {}

  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function onRun(this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastId: this.lastID });
      });
    });
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(err) : resolve(row)));
    });
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (err: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}

export class Database implements Queryable {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly connection: Connection;

  private constructor(
    private readonly raw: sqlite3.Database,
    readonly file: string,
  ) {
    this.connection = new Connection(raw);
  }

  /** Opens (creating if needed) a database file in WAL mode. `:memory:` works for tests. */
  static async open(file: string): Promise<Database> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(db)));
    });
    const database = new Database(raw, file);
    raw.configure('busyTimeout', 5000);
    // secure_delete: deleted or overwritten personal data is zeroed in the file, not left in free pages.
    await database.connection.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;');
    await database.connection.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version))',
    );
    return database;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.enqueue(() => this.connection.run(sql, params));
  }

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.enqueue(() => this.connection.get<T>(sql, params));
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.enqueue(() => this.connection.all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.enqueue(() => this.connection.exec(sql));
  }

  /** Runs `body` in one IMMEDIATE transaction: all of it commits, or none of it. */
  transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.connection.exec('BEGIN IMMEDIATE');
      try {
        const value = await body(this.connection);
        await this.connection.exec('COMMIT');
        return value;
      } catch (err) {
        await this.connection.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * Applies a module's pending migrations. Each module (core, session, queue,
   * cases, sync…) versions its own tables, so features add migrations without
   * renumbering anyone else's.
   */
  async migrate(module: string, migrations: readonly Migration[]): Promise<number[]> {
    const sorted = [...migrations].sort((a, b) => a.version - b.version);
    sorted.forEach((m, index) => {
      if (m.version !== index + 1) throw new Error(`migrations of ${module} must be numbered 1..n without gaps (found ${m.version} at position ${index + 1})`);
    });
    const applied: number[] = [];
    for (const migration of sorted) {
      const done = await this.transaction(async (tx) => {
        const row = await tx.get<{ version: number }>('SELECT version FROM schema_migrations WHERE module = ? AND version = ?', [module, migration.version]);
        if (row) return false;
        if (typeof migration.up === 'string') await tx.exec(migration.up);
        else await migration.up(tx);
        await tx.run('INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)', [module, migration.version, migration.name, new Date().toISOString()]);
        return true;
      });
      if (done) applied.push(migration.version);
    }
    return applied;
  }

  close(): Promise<void> {
    return this.enqueue(() => new Promise<void>((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve()))));
  }
}
