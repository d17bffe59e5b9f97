/**
 * Issue throughput of the standalone hall queue service: starts hall/main.ts
 * as a child process, connects 8 kiosk clients (RemoteHallQueue) over loopback
 * WebSocket, and issues a fixed number of tickets across all categories,
 * with the service's sync on: it drains its ticket events to a reference
 * platform (in this process) while issuing. Target ≥ 500 tickets/s with 0
 * duplicate numbers, and every event on the platform once afterwards.
 * Last line: one JSON object.
 *
 *   npx tsx scripts/bench-queue-hall.ts [--tickets 4000] [--kiosks 8]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Hall } from '../electron/host/content/schema.js';
import { silentLogger } from '../electron/host/logging/logger.js';
import { Database } from '../electron/host/storage/database.js';
import { RemoteHallQueue } from '../electron/host/queue/remote.js';
import { startLoopbackPlatform } from '../platform/testing.js';

const SECRET = 'bench-hall-secret';
const PLATFORM_SECRET = 'bench-hall-platform-secret-0123';
// A Wednesday morning in the hall, so every category issues.
const CLOCK_START = '2026-11-25T09:00:00+08:00';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tickets: { type: 'string', default: '4000' }, kiosks: { type: 'string', default: '8' } } });
  const total = Number(values.tickets);
  const kioskCount = Number(values.kiosks);
  const hall = Hall.parse(JSON.parse(readFileSync('content/hall/hall.json', 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-bench-queue-'));
  const offset = Date.parse(CLOCK_START) - Date.now();
  const platform = await startLoopbackPlatform({ terminals: [{ id: 'bench-hall', secret: PLATFORM_SECRET }], now: () => new Date(Date.now() + offset) });
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_HALL_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ...['--import', 'tsx', 'hall/main.ts', '--port', '0', '--host', '127.0.0.1', '--secret', SECRET, '--data-dir', join(dir, 'hall'), '--clock-start', CLOCK_START, '--log-level', 'warn'],
      ...['--platform-url', platform.url, '--terminal-id', 'bench-hall', '--sync-interval-seconds', '1'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LIULIU_HALL_PLATFORM_SECRET: PLATFORM_SECRET } },
  );
  const clients: RemoteHallQueue[] = [];
  const dbs: Database[] = [];
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`hall service exited with ${code}`)));
    });
    const { wsUrl } = JSON.parse(line) as { wsUrl: string };
    for (let k = 0; k < kioskCount; k++) {
      const db = await Database.open(join(dir, `kiosk-${k}.db`));
      dbs.push(db);
      const client = await RemoteHallQueue.open({ url: wsUrl, secret: SECRET, kioskId: `bench-${k}`, hall, db, logger: silentLogger(), now: () => new Date(Date.now() + offset), callTimeoutMs: 30_000 });
      clients.push(client);
    }
    // One display wall listens to the event stream, as in a hall.
    const displayDb = await Database.open(join(dir, 'display.db'));
    dbs.push(displayDb);
    const display = await RemoteHallQueue.open({ url: wsUrl, secret: SECRET, kioskId: 'display-1', role: 'display', hall, db: displayDb, logger: silentLogger() });
    clients.push(display);
    let eventsHeard = 0;
    display.subscribe(() => eventsHeard++);
    for (const client of clients) if (!(await client.whenConnected(20_000))) throw new Error('a client could not connect');
    await Promise.all(clients.map((c) => c.sync()));

    const categories = hall.queueCategories.map((c) => c.id);
    const numbers: string[] = [];
    const latencies: number[] = [];
    let errors = 0;
    let offline = 0;
    const perKiosk = Math.ceil(total / kioskCount);
    const started = performance.now();
    const kiosks = clients.slice(0, kioskCount);
    await Promise.all(
      kiosks.map(async (client, k) => {
        for (let i = 0; i < perKiosk && k * perKiosk + i < total; i++) {
          const t0 = performance.now();
          const result = await client.issue({ requestId: `bench-${k}-${i}-${started}`, categoryId: categories[(k + i) % categories.length]!, kioskId: `bench-${k}` });
          latencies.push(performance.now() - t0);
          if (!result.ok) errors++;
          else {
            numbers.push(result.value.ticket.displayNo);
            if (result.value.offline) offline++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // Let the display catch up before counting what it heard.
    for (let i = 0; i < 100 && eventsHeard < numbers.length; i++) await new Promise((r) => setTimeout(r, 50));
    const duplicates = numbers.length - new Set(numbers).size;
    // The sync ran during the issuing; now wait for the rest to reach the platform.
    const syncStarted = performance.now();
    let platformEvents = 0;
    while (performance.now() - syncStarted < 120_000) {
      platformEvents = (await platform.admin.stats()).perKind['queue.ticket-event'] ?? 0;
      if (platformEvents >= numbers.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainSeconds = Math.round(performance.now() - syncStarted) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number): number => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 100) / 100;
    const figures = {
      bench: 'queue-hall',
      kiosks: kioskCount,
      tickets: numbers.length,
      errors,
      offline,
      seconds: Math.round(seconds * 1000) / 1000,
      ticketsPerSecond: Math.round(numbers.length / seconds),
      p50Ms: pct(0.5),
      p95Ms: pct(0.95),
      p99Ms: pct(0.99),
      duplicates,
      displayEventsHeard: eventsHeard,
      sync: 'on',
      platformEvents,
      drainAfterIssueSeconds: drainSeconds,
      targetTicketsPerSecond: 500,
      // Context: the figure depends on what else the machine is doing.
      cpus: cpus().length,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      pass: numbers.length / seconds >= 500 && duplicates === 0 && errors === 0 && platformEvents === numbers.length,
    };
    console.log('queue hall service: issue throughput over loopback WebSocket');
    console.log('metric                 value');
    for (const [key, value] of Object.entries(figures)) if (key !== 'bench') console.log(`${key.padEnd(22)} ${String(value)}`);
    console.log(JSON.stringify(figures));
  } finally {
    for (const client of clients) await client.close();
    for (const db of dbs) await db.close();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
