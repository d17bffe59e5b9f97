import { spawn as nodeSpawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive } from '../../tests/support/processes.js';

// A host that dies while scanimage runs must not leave it running (one ran on
// for 14 minutes after a crash): runProcess kills its live children on exit.
// A stand-in for scanimage (`sleep`) is started by a child Node process, which
// then exits as a crash would.
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

