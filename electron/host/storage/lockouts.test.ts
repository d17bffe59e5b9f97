import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttemptLimiter } from '../../common/attempt-limit.js';
import { recordingLogger, silentLogger } from '../logging/logger.js';
import { Database } from './database.js';
import { LockoutStore } from './lockouts.js';

const MIN = 60_000;
const POLICY = { perKey: { max: 3, windowMs: 10 * MIN, lockMs: 15 * MIN } };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-lockouts-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}

describe('LockoutStore', () => {
  it('keeps a lockout across a restart of the process that holds it (a new database connection, a new limiter)', async () => {
    const file = dbFile();
    const now = () => new Date(2 * MIN);
    const first = await Database.open(file);
    const store = await LockoutStore.open(first, silentLogger());
    const limiter = new AttemptLimiter(POLICY);
    await store.keep('pins', limiter, now);
    for (let i = 0; i < 3; i++) limiter.fail('s1', 2 * MIN);
    await store.flushed();
    await first.close();

    const second = await Database.open(file);
    const restarted = new AttemptLimiter(POLICY);
    await (await LockoutStore.open(second, silentLogger())).keep('pins', restarted, () => new Date(3 * MIN));
    expect(restarted.check('s1', 3 * MIN)).toEqual({ allowed: false, scope: 'key', retryAt: 17 * MIN });
    // Another name starts from nothing.
    const other = new AttemptLimiter(POLICY);
    await (await LockoutStore.open(second, silentLogger())).keep('codes', other, () => new Date(3 * MIN));
    expect(other.check('s1', 3 * MIN)).toEqual({ allowed: true });
    await second.close();
  });

  it('logs a damaged saved state and starts from none, without failing', async () => {
    const db = await Database.open(dbFile());
    const lines: Array<Record<string, unknown>> = [];
    const store = await LockoutStore.open(db, recordingLogger(lines));
    await db.run("INSERT INTO attempt_lockouts (name, state, saved_at) VALUES ('pins', '{not json', 'x'), ('codes', '{\"v\":9}', 'x')");
    for (const name of ['pins', 'codes']) {
      const limiter = new AttemptLimiter(POLICY);
      await store.keep(name, limiter, () => new Date(0));
      expect(limiter.check('s1', 0)).toEqual({ allowed: true });
    }
    expect(lines.filter((l) => String(l.msg).includes('lockout state'))).toHaveLength(2);
    await db.close();
  });
});
