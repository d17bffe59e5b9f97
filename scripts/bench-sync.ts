import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { silentLogger } from '../electron/host/logging/logger.js';
import { openTerminalStorage, queueRatings } from '../electron/host/sync/testing.js';
import { SyncWorker } from '../electron/host/sync/worker.js';
import { PlatformAdmin } from '../platform/admin.js';
import type { FaultConfig } from '../platform/faults.js';

/**
 * Sync throughput: drains 10,000 queued records to the reference platform
 * (a separate process on loopback, so the host's RSS is the host's alone),
 * first cleanly, then with injected failures, and checks the platform holds
 * every record exactly once.  npx tsx scripts/bench-sync.ts [--records N]
 */
const RECORDS = Number(parseArgs({ options: { records: { type: 'string', default: '10000' } } }).values.records);
const BATCH = 250;
const terminal = { id: 'bench-kiosk', secret: 'bench-kiosk-secret-0123456789' };
const adminToken = 'bench-admin-token';

interface RunResult {
  name: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  rssGrowthMb: number;
  cycles: number;
  missing: number;
  duplicated: number;
  duplicatesAnswered: number;
}

async function startPlatform(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./platform.ts', import.meta.url)), '--port', '0', '--data-dir', dataDir, '--terminal', `${terminal.id}:${terminal.secret}`, '--admin-token', adminToken], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { listening: string }).listening));
    child.once('exit', (code) => reject(new Error(`platform exited early (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function run(name: string, url: string, admin: PlatformAdmin, faults: Partial<FaultConfig>): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-bench-sync-'));
  const storage = await openTerminalStorage(dir);
  const prefix = name.replace(/\W+/g, '-');
  const ids = await queueRatings(storage, prefix, RECORDS);
  await admin.setFaults(faults);
  const before = await admin.stats();
  const worker = new SyncWorker({
    db: storage.db,
    outbox: storage.outbox,
    logger: silentLogger(),
    now: () => new Date(),
    config: { baseUrl: url, terminalId: terminal.id, secret: terminal.secret, batchSize: BATCH, intervalMs: 60_000, retentionDays: 30, timeoutMs: 10_000, backoff: { baseMs: 20, maxMs: 500 } },
  });

  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  let cycles = 0;
  for (;;) {
    cycles += 1;
    const status = await worker.syncNow();
    if (status.backlog === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await worker.stop();
  await storage.db.close();
  rmSync(dir, { recursive: true, force: true });
  await admin.setFaults({ failPercent: 0, dropPercent: 0 });

  const held = (await admin.recordIds()).filter((id) => id.startsWith(`${prefix}-`));
  const heldSet = new Set(held);
  const after = await admin.stats();
  return {
    name,
    records: RECORDS,
    seconds,
    recordsPerSecond: Math.round(RECORDS / seconds),
    rssGrowthMb: Math.round(((peak - baseline) / 1024 / 1024) * 10) / 10,
    cycles,
    missing: ids.filter((id) => !heldSet.has(id)).length,
    duplicated: held.length - heldSet.size,
    duplicatesAnswered: after.duplicatesSeen - before.duplicatesSeen,
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-bench-platform-'));
  const platform = await startPlatform(dataDir);
  const admin = new PlatformAdmin(platform.url, adminToken);
  try {
    const clean = await run('clean', platform.url, admin, {});
    const faulty = await run('faults', platform.url, admin, { failPercent: 15, dropPercent: 5 });
    const rows = [clean, faulty];
    const header = ['run', 'records', 'seconds', 'records/s', 'RSS growth MB', 'cycles', 'missing', 'duplicated', 'resends answered duplicate'];
    const table = rows.map((r) => [r.name, r.records, r.seconds.toFixed(2), r.recordsPerSecond, r.rssGrowthMb, r.cycles, r.missing, r.duplicated, r.duplicatesAnswered].map(String));
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]?.length ?? 0)));
    const line = (cells: string[]): string => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
    console.log(`sync bench: ${RECORDS} records, batch ${BATCH}, reference platform on loopback (separate process)`);
    console.log('faults run: 15 % of requests answered 500 before storing + 5 % cut mid-response after storing (20 % failing)');
    console.log(line(header));
    for (const row of table) console.log(line(row));
    const pass = clean.recordsPerSecond >= 1000 && clean.rssGrowthMb <= 50 && faulty.missing === 0 && faulty.duplicated === 0 && clean.missing === 0 && clean.duplicated === 0;
    console.log(`targets: ≥ 1000 records/s, RSS growth ≤ 50 MB, missing = duplicated = 0 → ${pass ? 'PASS' : 'FAIL'}`);
    console.log(
      JSON.stringify({
        bench: 'sync',
        records: RECORDS,
        batch: BATCH,
        recordsPerSecond: clean.recordsPerSecond,
        rssGrowthMb: clean.rssGrowthMb,
        faultRunRecordsPerSecond: faulty.recordsPerSecond,
        faultRunRssGrowthMb: faulty.rssGrowthMb,
        faultRunMissing: faulty.missing,
        faultRunDuplicated: faulty.duplicated,
        faultRunResendsAnsweredDuplicate: faulty.duplicatesAnswered,
        pass,
      }),
    );
    if (!pass) process.exitCode = 1;
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
