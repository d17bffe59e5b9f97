import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import type { Database } from '../storage/database.js';
import { RemoteHallQueue } from './remote.js';
import { hall, killHard, openDatabase, requestId, spawnHallService, tempDir, until } from '../../../hall/testing.js';
import type { IssueResult, Result } from '../../../hall/protocol/index.js';

/**
 * Two kiosks against the real standalone service (hall/main.ts, a child
 * process) over loopback WebSocket; the service is killed (SIGKILL) and
 * restarted on the same port and data directory.
 */
const SECRET = 'offline-test-secret';
const CLOCK_START = '2026-11-25T10:00:00+08:00';

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHall(dataDir: string, port: number): Promise<{ child: ChildProcess; port: number }> {
  const started = await spawnHallService(['--port', String(port), '--host', '127.0.0.1', '--secret', SECRET, '--data-dir', dataDir, '--clock-start', CLOCK_START, '--log-level', 'warn']);
  children.push(started.child);
  return started;
}

const killed = killHard;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('offline fallback with a standalone hall service', () => {
  it('two kiosks keep issuing while the service is down; no duplicate numbers; everything reconciles', async () => {
    const dataDir = tempDir('liuliu-hall-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const offset = Date.parse(CLOCK_START) - Date.now();
    const now = (): Date => new Date(Date.now() + offset);
    let hallProcess = await startHall(dataDir, 0);
    const port = hallProcess.port;

    const kiosks: RemoteHallQueue[] = [];
    const kioskDbs: Database[] = [];
    for (const kioskId of ['k1', 'k2']) {
      const dir = tempDir(`liuliu-${kioskId}-`);
      const db = await openDatabase(join(dir, 'kiosk.db'));
      const kiosk = await RemoteHallQueue.open({
        url: `ws://127.0.0.1:${port}/ws`,
        secret: SECRET,
        kioskId,
        hall,
        db,
        logger: silentLogger(),
        now,
        callTimeoutMs: 2000,
        reconnectMinMs: 100,
        reconnectMaxMs: 400,
        leaseMinFree: 5,
      });
      kiosks.push(kiosk);
      kioskDbs.push(db);
      cleanups.push(async () => {
        await kiosk.close();
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      });
    }
    for (const kiosk of kiosks) {
      expect(await kiosk.whenConnected(20_000)).toBe(true);
      await kiosk.sync();
    }
    const leased = await kioskDbs[0]!.all<{ start: number; end: number }>("SELECT start, end FROM queue_kiosk_leases WHERE prefix = 'A' AND day = '2026-11-25'");
    // The lease is sized by the service (floor 30 in a quiet hall), in blocks of 10; the other kiosk's blocks follow.
    expect(leased).toEqual([
      { start: 900, end: 909 },
      { start: 910, end: 919 },
      { start: 920, end: 929 },
    ]);

    const issueAt = async (k: number, categoryId: string, id = requestId()): Promise<IssueResult> => value(await kiosks[k]!.issue({ requestId: id, categoryId, kioskId: `k${k + 1}` }));
    const all: IssueResult[] = [];
    for (let i = 0; i < 3; i++) for (const k of [0, 1]) all.push(await issueAt(k, 'qc-integrated'));
    expect(all.map((r) => r.ticket.displayNo)).toEqual(['A001', 'A002', 'A003', 'A004', 'A005', 'A006']);
    expect(all.every((r) => !r.offline)).toBe(true);

    // The service dies.
    await killed(hallProcess.child);
    await until('both kiosks to notice', () => kiosks.every((k) => !k.connected));
    const offline: IssueResult[] = [];
    const repeatedId = requestId();
    for (let i = 0; i < 4; i++) for (const k of [0, 1]) offline.push(await issueAt(k, 'qc-integrated', k === 0 && i === 0 ? repeatedId : undefined));
    offline.push(await issueAt(0, 'qc-household'));
    offline.push(await issueAt(1, 'qc-household'));
    expect(offline.every((r) => r.offline && r.peopleAhead === null)).toBe(true);
    const offlineNumbers = offline.map((r) => r.ticket.displayNo);
    expect(new Set(offlineNumbers).size).toBe(offlineNumbers.length);
    expect(offlineNumbers.slice(0, 2)).toEqual(['A900', 'A930']);
    // Repeating a request while offline returns the same ticket.
    expect((await issueAt(0, 'qc-integrated', repeatedId)).ticket.displayNo).toBe('A900');
    // Kiosk 1's eleventh A ticket of the outage still issues (the old 10-number reserve refused it).
    for (let i = 0; i < 7; i++) offline.push(await issueAt(0, 'qc-integrated'));
    expect(offline.at(-1)!.ticket.displayNo).toBe('A910');
    expect(await kiosks[0]!.pendingUploads()).toBe(12);
    const allOffline = offline.map((r) => r.ticket.displayNo);
    expect(new Set(allOffline).size).toBe(allOffline.length);

    // The service comes back on the same port and data.
    hallProcess = await startHall(dataDir, port);
    await until('reconciliation', async () => kiosks.every((k) => k.connected) && (await kiosks[0]!.pendingUploads()) === 0 && (await kiosks[1]!.pendingUploads()) === 0);
    const after = await issueAt(1, 'qc-integrated');
    expect(after.offline).toBe(false);
    expect(after.ticket.displayNo).toBe('A007');

    const snapshot = value(await kiosks[0]!.snapshot());
    const integrated = snapshot.categories.find((c) => c.id === 'qc-integrated')!;
    expect(integrated.waiting).toBe(6 + 15 + 1);
    expect(snapshot.categories.find((c) => c.id === 'qc-household')!.waiting).toBe(2);
    // Offline tickets joined the line at their issue time: before A007, which came later.
    expect(value(await kiosks[0]!.ticket({ displayNo: 'A900' })).peopleAhead).toBeLessThan(value(await kiosks[0]!.ticket({ displayNo: 'A007' })).peopleAhead!);
    // The leases were topped up after the offline numbers were used.
    await kiosks[0]!.sync();
    const topped = await kioskDbs[0]!.all<{ start: number }>("SELECT start FROM queue_kiosk_leases WHERE prefix = 'A' AND day = '2026-11-25' ORDER BY start");
    expect(topped.length).toBeGreaterThan(1);

    // Stop the service and check its database: every number once, one outbox row per event.
    await killed(hallProcess.child);
    const hallDb = await openDatabase(join(dataDir, 'hall-queue.db'));
    try {
      const tickets = await hallDb.all<{ display_no: string; source: string }>("SELECT display_no, source FROM queue_tickets WHERE day = '2026-11-25'");
      expect(tickets.length).toBe(6 + 17 + 1);
      expect(new Set(tickets.map((t) => t.display_no)).size).toBe(tickets.length);
      expect(tickets.filter((t) => t.source === 'offline').map((t) => t.display_no).sort()).toEqual([...allOffline].sort());
      const events = await hallDb.get<{ n: number }>('SELECT COUNT(*) AS n FROM queue_ticket_events');
      const outbox = await hallDb.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'queue.ticket-event'");
      expect(outbox?.n).toBe(events?.n);
      expect(events?.n).toBe(tickets.length);
    } finally {
      await hallDb.close();
    }
  }, 90_000);
});
