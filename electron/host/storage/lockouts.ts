import type { AttemptLimiter } from '../../common/attempt-limit.js';
import type { Logger } from '../logging/logger.js';
import type { Database, Migration } from './database.js';

/**
 * Failed-attempt limiters kept in the process's own database, so a lockout
 * (a staff PIN guessed five times, appointment codes tried at a kiosk)
 * outlives a restart, a crash or a kill -9 of the process that keeps it.
 * One row per named limiter, its state as JSON (no PIN, no code: staff ids,
 * kiosk ids and times only). Saving is asynchronous and serialised; a failed
 * save (a full disk) is logged and the limiter goes on in memory.
 */
export const lockoutMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'failed-attempt limiters',
    up: `CREATE TABLE attempt_lockouts (
      name TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      saved_at TEXT NOT NULL
    );`,
  },
];

export class LockoutStore {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  static async open(db: Database, logger: Logger): Promise<LockoutStore> {
    await db.migrate('lockouts', lockoutMigrations);
    return new LockoutStore(db, logger);
  }

  /**
   * Restores `limiter` from its saved state (a missing, unreadable or
   * invalid row is logged and ignored) and saves it from now on after every
   * change.
   */
  async keep(name: string, limiter: AttemptLimiter, now: () => Date): Promise<void> {
    try {
      const row = await this.db.get<{ state: string }>('SELECT state FROM attempt_lockouts WHERE name = ?', [name]);
      if (row !== undefined && !limiter.restore(JSON.parse(row.state), now().getTime())) {
        this.logger.warn({ limiter: name }, 'a saved lockout state is not valid; starting from none');
      }
    } catch (err) {
      this.logger.warn({ err, limiter: name }, 'cannot read a saved lockout state; starting from none');
    }
    limiter.onChange(() => this.save(name, limiter, now));
  }

  /** Resolves once every save asked for so far has been written (or failed and been logged). */
  flushed(): Promise<void> {
    return this.saving;
  }

  private save(name: string, limiter: AttemptLimiter, now: () => Date): void {
    const at = now();
    this.saving = this.saving.then(async () => {
      try {
        await this.db.run(
          'INSERT INTO attempt_lockouts (name, state, saved_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at',
          [name, JSON.stringify(limiter.snapshot(at.getTime())), at.toISOString()],
        );
      } catch (err) {
        this.logger.error({ err, limiter: name }, 'cannot save a lockout state; it holds in memory until the next restart');
      }
    });
  }
}
