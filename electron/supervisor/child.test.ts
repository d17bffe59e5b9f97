import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../host/logging/logger.js';
import { alive } from '../../tests/support/processes.js';
import { SupervisedChild } from './child.js';
import { DEFAULT_POLICY } from './policy.js';

/**
 * The supervisor's process handling, with real processes: a child that
 * starts a grandchild (as the host starts socat), killed -9; a child that
 * stops beating. The child prints its grandchild's pid.
 */
const CHILD = `
const { spawn } = require('node:child_process');
const grandchild = spawn('sleep', ['300'], { stdio: 'ignore' });
console.log(grandchild.pid);
setInterval(() => {}, 1000);
`;

const started: SupervisedChild[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) await child.stop(1_000);
});

function supervise(records: Array<{ reason: string; action: string; delayMs: number }>, grandchildren: number[], heartbeatTimeoutMs?: number): SupervisedChild {
  const child = new SupervisedChild({
    part: 'host',
    spawn: () => spawn(process.execPath, ['-e', CHILD], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] }),
    onStart: (process) => process.stdout?.once('data', (chunk: Buffer) => grandchildren.push(Number(chunk.toString().trim()))),
    ...(heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs } : {}),
    policy: { ...DEFAULT_POLICY, startupGraceMs: 0 },
    logger: silentLogger(),
    random: () => 0.5,
    record: (entry) => records.push(entry),
  });
  started.push(child);
  child.start();
  return child;
}

describe('a supervised child', () => {
  it('killed -9, takes what it started with it, is recorded and restarted at once', async () => {
    const records: Array<{ reason: string; action: string; delayMs: number }> = [];
    const grandchildren: number[] = [];
    const child = supervise(records, grandchildren);
    await expect.poll(() => grandchildren.length, { timeout: 10_000 }).toBe(1);
    const first = child.process?.pid as number;
    const grandchild = grandchildren[0] as number;
    expect(alive(grandchild)).toBe(true);
    process.kill(first, 'SIGKILL');
    await expect.poll(() => alive(grandchild), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => grandchildren.length, { timeout: 10_000 }).toBe(2);
    expect(child.process?.pid).not.toBe(first);
    expect(records).toEqual([{ part: 'host', reason: 'killed by SIGKILL', action: 'restart', delayMs: 0 }]);
  });

  it('silent past its heartbeat timeout, is killed and restarted with the reason recorded', async () => {
    const records: Array<{ reason: string; action: string; delayMs: number }> = [];
    const child = supervise(records, [], 1_000);
    const first = child.process?.pid;
    await expect.poll(() => records.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(records[0]?.reason).toMatch(/^hung: no heartbeat for \d+ s$/);
    await expect.poll(() => child.process?.pid !== undefined && child.process.pid !== first, { timeout: 10_000 }).toBe(true);
  });

  it('that keeps beating is left alone; stop() ends it and its group for good', async () => {
    const records: Array<{ reason: string; action: string; delayMs: number }> = [];
    const grandchildren: number[] = [];
    const child = supervise(records, grandchildren, 1_000);
    const beating = setInterval(() => child.beat(), 200);
    await expect.poll(() => grandchildren.length, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    clearInterval(beating);
    expect(records).toEqual([]);
    await child.stop(1_000);
    expect(child.process).toBeUndefined();
    await expect.poll(() => alive(grandchildren[0] as number), { timeout: 5_000 }).toBe(false);
  });
});
