import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteHallQueue } from '../../electron/host/queue/remote.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import type { Database } from '../../electron/host/storage/database.js';
import type { IssueResult, Result } from '../../hall/protocol/index.js';
import { hall, killHard, openDatabase, requestId, spawnHallService, tempDir, until } from '../../hall/testing.js';
import { startLoopbackPlatform } from '../../platform/testing.js';

/**
 * The hall as it runs: the standalone service (a child process) syncing to
 * the reference platform, which fails 20 % of requests; two kiosks in remote
 * mode; tickets online, then during a kill -9 outage of the service (from
 * the kiosks' leases), then online again. Afterwards the platform holds every
 * ticket event of the hall exactly once, and every ticket id a kiosk printed
 * in a QR code answers on /t/<id>.
 */
const SECRET = 'hall-sync-test-secret';
const PLATFORM_SECRET = 'hall-01-platform-secret-0123456789';
const CLOCK_START = '2026-11-25T10:00:00+08:00';

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const child of children.splice(0)) await killHard(child);
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('the standalone hall service syncs', () => {
  it('every ticket event of every kiosk reaches the platform exactly once across a kill -9 outage and 20 % failures; every printed QR id answers', async () => {
    const offset = Date.parse(CLOCK_START) - Date.now();
    const now = (): Date => new Date(Date.now() + offset);
    const platform = await startLoopbackPlatform({ terminals: [{ id: 'hall-01', secret: PLATFORM_SECRET }], faults: { failPercent: 20 }, seed: 7, now });
    cleanups.push(() => platform.close());
    const dataDir = tempDir('liuliu-hall-sync-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const secretFile = join(dataDir, 'platform.secret');
    writeFileSync(secretFile, PLATFORM_SECRET, { mode: 0o600 });
    const start = async (port: number) => {
      const started = await spawnHallService([
        ...['--port', String(port), '--host', '127.0.0.1', '--secret', SECRET, '--data-dir', join(dataDir, 'hall'), '--clock-start', CLOCK_START, '--log-level', 'warn'],
        ...['--platform-url', platform.url, '--terminal-id', 'hall-01', '--platform-secret-file', secretFile, '--sync-interval-seconds', '0.5', '--sync-batch-size', '5'],
      ]);
      children.push(started.child);
      return started;
    };
    let service = await start(0);
    const port = service.port;

    const kiosks: RemoteHallQueue[] = [];
    for (const kioskId of ['k1', 'k2']) {
      const dir = tempDir(`liuliu-${kioskId}-`);
      const db: Database = await openDatabase(join(dir, 'kiosk.db'));
      const kiosk = await RemoteHallQueue.open({ url: `ws://127.0.0.1:${port}/ws`, secret: SECRET, kioskId, hall, db, logger: silentLogger(), now, callTimeoutMs: 2000, reconnectMinMs: 100, reconnectMaxMs: 400 });
      kiosks.push(kiosk);
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
    const printed: IssueResult[] = [];
    const issue = async (k: number, categoryId = 'qc-integrated') => {
      printed.push(value(await kiosks[k]!.issue({ requestId: requestId(), categoryId, kioskId: `k${k + 1}` })));
    };
    for (let i = 0; i < 10; i++) await issue(i % 2, i % 3 === 0 ? 'qc-household' : 'qc-integrated');
    expect(printed.every((t) => !t.offline)).toBe(true);

    // kill -9 while the service still has events to push (batches of 5, a fifth of them failing).
    await killHard(service.child);
    await until('both kiosks to notice', () => kiosks.every((k) => !k.connected));
    for (let i = 0; i < 8; i++) await issue(i % 2);
    expect(printed.slice(10).every((t) => t.offline)).toBe(true);

    service = await start(port);
    await until('reconciliation', async () => kiosks.every((k) => k.connected) && (await kiosks[0]!.pendingUploads()) === 0 && (await kiosks[1]!.pendingUploads()) === 0);
    for (let i = 0; i < 4; i++) await issue(i % 2);

    // Every printed QR id answers, offline ones included: the id on paper is the id for good.
    for (const ticket of printed) {
      const page = await fetch(`${service.httpUrl}/t/${ticket.ticket.id}`);
      expect(page.status, `${ticket.ticket.displayNo} (${ticket.offline ? 'offline' : 'online'})`).toBe(200);
      expect(await page.text()).toContain(ticket.ticket.displayNo);
    }

    // The platform ends with exactly the service's events, each once.
    await killHard(service.child);
    const hallDb = await openDatabase(join(dataDir, 'hall', 'hall-queue.db'));
    const eventIds = (await hallDb.all<{ id: string }>('SELECT id FROM queue_ticket_events')).map((r) => r.id);
    await hallDb.close();
    expect(eventIds.length).toBe(printed.length);
    await start(port);
    // Ticket events only: the service also reports its figures (hall.figures, hall/figures-report.ts) through the same outbox.
    const ticketEventIds = async (): Promise<string[]> => [...(await platform.admin.recordIds())].filter((id) => !id.startsWith('hall.figures:'));
    await until('the platform to hold every event', async () => (await ticketEventIds()).length >= eventIds.length, 60_000);
    const stored = await ticketEventIds();
    expect(stored.sort()).toEqual([...eventIds].sort());
    const stats = await platform.admin.stats();
    expect(stats.perKind['queue.ticket-event']).toBe(eventIds.length);
    // The 20 % failures really happened, and the heartbeat came from the service's own terminal.
    // (The draws are shared by every /v1 request in arrival order — records, heartbeats, the appointment pull that now runs at start — so which one failed varies.)
    expect(Object.entries(stats.requests).some(([key, n]) => /^(POST|GET) \/v1\/\S+ 500$/.test(key) && n > 0)).toBe(true);
    expect(Object.keys(stats.requests).some((key) => key.startsWith('POST /v1/heartbeat 200'))).toBe(true);
  }, 120_000);
});
