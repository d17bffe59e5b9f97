import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../../platform/testing.js';
import { openTerminalStorage, queueRatings } from './testing.js';

const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const childScript = fileURLToPath(new URL('./fixtures/drain-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let platform: LoopbackPlatform;
let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  platform = await startLoopbackPlatform({ terminals: [terminal] });
  dir = mkdtempSync(join(tmpdir(), 'liuliu-kill-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
});

function startHost(): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir, platform.url, terminal.id, terminal.secret, '100'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

describe('sync survives kill -9 of the host mid-batch', () => {
  it('holds every record exactly once on the platform after a restart', async () => {
    const storage = await openTerminalStorage(dir);
    const ids = await queueRatings(storage, 'k', 600);
    await storage.db.close();

    // The platform commits each batch, then waits before answering: the host is killed in that gap.
    await platform.admin.setFaults({ delayPercent: 100, delayMs: 2_000 });
    const first = startHost();
    let storedAtKill = 0;
    for (let polls = 0; polls < 2_000; polls += 1) {
      storedAtKill = (await platform.admin.stats()).stored;
      if (storedAtKill >= 100) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(storedAtKill).toBeGreaterThanOrEqual(100);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const afterKill = await openTerminalStorage(dir);
    const counts = await afterKill.outbox.counts(afterKill.db);
    await afterKill.db.close();
    // The platform holds records the host never saw acknowledged: they are still pending.
    expect(counts.synced).toBeLessThan(storedAtKill);
    expect(counts.pending + counts.synced).toBe(600);

    await platform.admin.setFaults({ delayPercent: 0 });
    const second = startHost();
    const result = await second.exited;
    expect(result.code, result.stderr).toBe(0);

    const held = await platform.admin.recordIds();
    expect(held.length).toBe(600);
    expect(new Set(held)).toEqual(new Set(ids));
    const stats = await platform.admin.stats();
    expect(stats.stored).toBe(600);
    expect(stats.duplicatesSeen).toBe(storedAtKill - counts.synced);

    const final = await openTerminalStorage(dir);
    expect(await final.outbox.counts(final.db)).toEqual({ pending: 0, synced: 600, dead: 0 });
    await final.db.close();
  }, 90_000);
});
