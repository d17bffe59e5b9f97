/**
 * Issue throughput of the standalone hall queue service: starts hall/main.ts
 * as a child process, connects 8 kiosk clients (RemoteHallQueue) over loopback
 * WebSocket, and issues a fixed number of tickets across all categories.
 * Target ≥ 500 tickets/s with 0 duplicate numbers. Last line: one JSON object.
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

const SECRET = 'bench-hall-secret';
// A Wednesday morning in the hall, so every category issues.
const CLOCK_START = '2026-11-25T09:00:00+08:00';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tickets: { type: 'string', default: '4000' }, kiosks: { type: 'string', default: '8' } } });
  const total = Number(values.tickets);
  const kioskCount = Number(values.kiosks);
  const hall = Hall.parse(JSON.parse(readFileSync('content/hall/hall.json', 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-bench-queue-'));
  const child = spawn(process.execPath, [...(process.env.BENCH_HALL_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', 'hall/main.ts', '--port', '0', '--host', '127.0.0.1', '--secret', SECRET, '--data-dir', join(dir, 'hall'), '--clock-start', CLOCK_START, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const clients: RemoteHallQueue[] = [];
  const dbs: Database[] = [];
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`hall service exited with ${code}`)));
    });
    const { wsUrl } = JSON.parse(line) as { wsUrl: string };
    const offset = Date.parse(CLOCK_START) - Date.now();
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
      targetTicketsPerSecond: 500,
      // Context: the figure depends on what else the machine is doing.
      cpus: cpus().length,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      pass: numbers.length / seconds >= 500 && duplicates === 0 && errors === 0,
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
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
