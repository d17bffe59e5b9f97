import { spawn as nodeSpawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A host that dies while scanimage runs must not leave it running (one ran on
// for 14 minutes after a crash): runProcess kills its live children on exit.
// A stand-in for scanimage (`sleep`) is started by a child Node process, which
// then exits as a crash would.
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('scanimage children', () => {
  it('are killed when the process that started them exits', { timeout: 60_000 }, async () => {
    const processModule = join(import.meta.dirname, 'process.ts');
    const script = `
      const { runProcess } = await import(${JSON.stringify(processModule)});
      const { spawn, execFileSync } = await import('node:child_process');
      runProcess({ spawn, command: 'sleep', args: ['300'], env: process.env, graceMs: 1000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      process.stdout.write(execFileSync('pgrep', ['-P', String(process.pid), 'sleep'], { encoding: 'utf8' }));
      process.exit(1);
    `;
    const child = nodeSpawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `(async () => { ${script} })()`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise<void>((resolve) => child.once('close', () => resolve()));
    const pid = Number(out.trim().split('\n')[0]);
    expect(pid).toBeGreaterThan(0);
    await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
  });
});

describe('scanimage children under a parent killed with SIGKILL', () => {
  // An exit hook never runs on SIGKILL (the host's kill -9, an OOM kill): the
  // kernel must do it (setpriv --pdeathsig). Before, `sleep` ran on.
  it('die with it', { timeout: 60_000 }, async () => {
    const processModule = join(import.meta.dirname, 'process.ts');
    const script = `
      const { runProcess } = await import(${JSON.stringify(processModule)});
      const { spawn } = await import('node:child_process');
      const running = runProcess({ spawn, command: 'sleep', args: ['300'], env: process.env, graceMs: 1000, dieWithParent: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { execFileSync } = await import('node:child_process');
      process.stdout.write(execFileSync('pgrep', ['-P', String(process.pid), 'sleep'], { encoding: 'utf8' }));
      await running.exited;
    `;
    const child = nodeSpawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `(async () => { ${script} })()`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const pid = await new Promise<number>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(Number(out.trim().split('\n')[0]));
      }),
    );
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
  });

  it('report a missing command as a spawn failure through the wrapper', async () => {
    const { runProcess } = await import('./process.js');
    const exit = await runProcess({ spawn: nodeSpawn, command: 'liuliu-no-such-scanimage', args: [], env: process.env, graceMs: 1000, dieWithParent: true }).exited;
    expect(exit.spawnError?.code).toBe('ENOENT');
  });
});
