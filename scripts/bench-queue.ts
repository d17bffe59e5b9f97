/**
 * Queue tickets, two figures:
 * 1. Tap to printed: a real kiosk host (startHost, SQLite, the embedded hall
 *    queue) with the printer simulator on loopback TCP in the same process;
 *    from the renderer's `queue.issue` call (over the host's RPC, in-memory
 *    pipe) to the moment the simulator decoded the ticket's cut (its last
 *    byte, `job.cutAt`). Median and p95 over 500 tickets, target median ≤ 100 ms.
 * 2. The standalone hall service's issue throughput with 8 kiosk clients:
 *    scripts/bench-queue-hall.ts run as is (target ≥ 500 tickets/s, 0 duplicates).
 * Last line: one JSON object with both.
 *
 *   npx tsx scripts/bench-queue.ts [--tickets 500] [--hall-tickets 4000] [--kiosks 8]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../electron/host/config/load.js';
import { startHost } from '../electron/host/index.js';
import { silentLogger } from '../electron/host/logging/logger.js';
import { memoryPipe } from '../electron/host/rpc/memory-transport.js';
import { createApiClient } from '../renderer/src/api/client.js';

// A Wednesday morning in the hall, so every category issues whatever the hour of the run.
const CLOCK_START = '2026-11-25T09:00:00+08:00';

function percentile(sorted: readonly number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 100) / 100;
}

async function tapToPrinted(count: number): Promise<{ tickets: number; notPrinted: number; medianMs: number; p95Ms: number; maxMs: number; pass: boolean }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-bench-ticket-'));
  const config = parseConfig(
    {
      devices: { idcard: { kind: 'none' }, printer: { kind: 'simulator' }, scanner: { kind: 'none' } },
      queue: { secret: 'bench-queue-secret', listen: { port: 0 } },
      logging: { level: 'silent' },
    },
    'bench',
    { LIULIU_DATA_DIR: dataDir },
  );
  const offset = Date.parse(CLOCK_START) - Date.now();
  const host = await startHost(config, { logger: silentLogger(), now: () => new Date(Date.now() + offset) });
  try {
    const simulator = host.context.printer?.simulator;
    if (!simulator) throw new Error('the printer simulator did not start');
    const pipe = memoryPipe();
    host.attach(pipe.host);
    const client = createApiClient(pipe.renderer);
    const categories = host.context.content().hall.queueCategories.map((c) => c.id);
    const latencies: number[] = [];
    let notPrinted = 0;
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const result = await client.call('queue.issue', { requestId: `bench-tap-${i}-${Date.now()}`, categoryId: categories[i % categories.length]! });
      if (!result.ok) throw new Error(`issue failed: ${result.error.code} ${result.error.message}`);
      if (!result.value.printed.ok) {
        notPrinted++;
        continue;
      }
      const number = result.value.number;
      const job = await simulator.waitForJob((j) => j.cutAt !== undefined && j.text.includes(`] ${number}`));
      latencies.push((job.cutAt ?? job.endedAt) - t0);
      // Keep the simulator's memory flat over long runs.
      if (i % 50 === 49) simulator.reset();
    }
    latencies.sort((a, b) => a - b);
    const medianMs = percentile(latencies, 0.5);
    return { tickets: latencies.length, notPrinted, medianMs, p95Ms: percentile(latencies, 0.95), maxMs: percentile(latencies, 1), pass: medianMs <= 100 && notPrinted === 0 };
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** scripts/bench-queue-hall.ts in a child process; its last line is its JSON. */
function hallThroughput(tickets: number, kiosks: number): Record<string, unknown> {
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench-queue-hall.ts', '--tickets', String(tickets), '--kiosks', String(kiosks)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  const last = output.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tickets: { type: 'string', default: '500' }, 'hall-tickets': { type: 'string', default: '4000' }, kiosks: { type: 'string', default: '8' } } });
  const tap = await tapToPrinted(Number(values.tickets));
  const hall = hallThroughput(Number(values['hall-tickets']), Number(values.kiosks));
  const figures = {
    bench: 'queue',
    tapToPrinted: { ...tap, targetMedianMs: 100 },
    hall: {
      kiosks: hall['kiosks'],
      tickets: hall['tickets'],
      ticketsPerSecond: hall['ticketsPerSecond'],
      duplicates: hall['duplicates'],
      errors: hall['errors'],
      p95Ms: hall['p95Ms'],
      targetTicketsPerSecond: 500,
      pass: hall['pass'],
    },
    cpus: cpus().length,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    pass: tap.pass && hall['pass'] === true,
  };
  console.log('queue tickets');
  console.log('metric                              value');
  console.log(`tap→printed tickets                 ${tap.tickets}`);
  console.log(`tap→printed median ms (≤ 100)       ${tap.medianMs}`);
  console.log(`tap→printed p95 ms                  ${tap.p95Ms}`);
  console.log(`tap→printed max ms                  ${tap.maxMs}`);
  console.log(`hall service tickets/s (≥ 500)      ${String(hall['ticketsPerSecond'])} with ${String(hall['kiosks'])} kiosks`);
  console.log(`hall service duplicates             ${String(hall['duplicates'])}`);
  console.log(JSON.stringify(figures));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
