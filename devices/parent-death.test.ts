import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wrapperExecFailure } from './parent-death.js';

// The simulator's socat and scanimage must not outlive a host killed with
// SIGKILL (every host crash left a socat behind). A child Node process starts
// a PtyPair, prints socat's pid and is then SIGKILLed.
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('children started through devices/parent-death', () => {
  it("the ID-card simulator's socat dies with a host killed by SIGKILL", { timeout: 60_000 }, async () => {
    const ptyModule = join(import.meta.dirname, 'idcard', 'sim', 'pty.ts');
    const script = `
      const { PtyPair } = await import(${JSON.stringify(ptyModule)});
      await PtyPair.create();
      const { execFileSync } = await import('node:child_process');
      process.stdout.write(execFileSync('pgrep', ['-P', String(process.pid), 'socat'], { encoding: 'utf8' }));
      setInterval(() => undefined, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `(async () => { ${script} })()`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const pid = await new Promise<number>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(Number(out.trim().split('\n')[0]));
      }),
    );
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
  });

  it("tells setpriv's own exec failures from the command's exit status", () => {
    expect(wrapperExecFailure(127, 'setpriv: failed to execute scanimage: No such file or directory')).toBe('ENOENT');
    expect(wrapperExecFailure(126, 'setpriv: failed to execute scanimage: Permission denied')).toBe('EACCES');
    expect(wrapperExecFailure(127, 'scanimage: some other failure')).toBeUndefined();
    expect(wrapperExecFailure(1, 'setpriv: failed to execute x')).toBeUndefined();
  });
});
