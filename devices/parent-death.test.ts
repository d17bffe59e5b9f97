import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from './scanner/process.js';
import { wrapperExecFailure } from './parent-death.js';
import { alive } from '../tests/support/processes.js';

// A host killed with SIGKILL (kill -9, the OOM killer) runs no exit hook: the
// simulator's socat (every host crash left one behind) and a running
// scanimage (one ran on for 14 minutes) must die with it all the same. A
// child Node process starts one, prints its pid and is SIGKILLed.
/** Runs `script` (an ES module body) in a child Node process, reads the pid it prints, SIGKILLs the child; resolves whether that pid is gone within 5 s. */
async function survivesParentSigkill(script: string): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `(async () => { ${script} })()`], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const deadline = Date.now() + 5_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const survived = alive(pid);
  if (survived) process.kill(pid, 'SIGKILL');
  return survived;
}

const printChildPid = (name: string): string => `
  const { execFileSync } = await import('node:child_process');
  process.stdout.write(execFileSync('pgrep', ['-P', String(process.pid), ${JSON.stringify(name)}], { encoding: 'utf8' }));
  setInterval(() => undefined, 1000);
`;

describe('children started through devices/parent-death', () => {
  it("the ID-card simulator's socat dies with a host killed by SIGKILL", { timeout: 60_000 }, async () => {
    const ptyModule = join(import.meta.dirname, 'idcard', 'sim', 'pty.ts');
    expect(await survivesParentSigkill(`const { PtyPair } = await import(${JSON.stringify(ptyModule)}); await PtyPair.create(); ${printChildPid('socat')}`)).toBe(false);
  });

  it('a scan process (runProcess with dieWithParent, as the SANE driver starts scanimage) dies with a host killed by SIGKILL', { timeout: 60_000 }, async () => {
    const processModule = join(import.meta.dirname, 'scanner', 'process.ts');
    const start = `const { runProcess } = await import(${JSON.stringify(processModule)}); const { spawn } = await import('node:child_process');
      runProcess({ spawn, command: 'sleep', args: ['300'], env: process.env, graceMs: 1000, dieWithParent: true });
      await new Promise((resolve) => setTimeout(resolve, 500));`;
    expect(await survivesParentSigkill(`${start} ${printChildPid('sleep')}`)).toBe(false);
  });

  it('reports a missing command as a spawn failure through the wrapper', async () => {
    const exit = await runProcess({ spawn, command: 'liuliu-no-such-scanimage', args: [], env: process.env, graceMs: 1000, dieWithParent: true }).exited;
    expect(exit.spawnError?.code).toBe('ENOENT');
  });

  it("tells setpriv's own exec failures from the command's exit status", () => {
    expect(wrapperExecFailure(127, 'setpriv: failed to execute scanimage: No such file or directory')).toBe('ENOENT');
    expect(wrapperExecFailure(126, 'setpriv: failed to execute scanimage: Permission denied')).toBe('EACCES');
    expect(wrapperExecFailure(127, 'scanimage: some other failure')).toBeUndefined();
    expect(wrapperExecFailure(1, 'setpriv: failed to execute x')).toBeUndefined();
  });
});
