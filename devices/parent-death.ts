import { existsSync } from 'node:fs';

/**
 * Children that must die with the process that started them, whatever kills
 * it. An exit hook never runs on SIGKILL (a kill -9, the OOM killer), so the
 * kernel does it: the child is started under `setpriv --pdeathsig KILL`
 * (util-linux, in every Debian), which sets PR_SET_PDEATHSIG and execs the
 * command — the child's pid is the command's own, and the kernel SIGKILLs it
 * the moment its parent dies. Without setpriv (not Linux) the command runs bare.
 */
const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv'];
let setprivPath: string | null | undefined;

export function parentDeathWrapper(): string | null {
  if (setprivPath === undefined) setprivPath = process.platform === 'linux' ? (SETPRIV_PATHS.find((path) => existsSync(path)) ?? null) : null;
  return setprivPath;
}

/** The command line that runs `command args` so that it dies with this process. */
export function dieWithParent(command: string, args: readonly string[]): { command: string; args: string[]; wrapped: boolean } {
  const wrapper = parentDeathWrapper();
  return wrapper === null ? { command, args: [...args], wrapped: false } : { command: wrapper, args: ['--pdeathsig', 'KILL', '--', command, ...args], wrapped: true };
}

/** setpriv's exit status when it could not exec the command (it prints "failed to execute <cmd>"). */
export function wrapperExecFailure(exitCode: number | null, stderr: string): 'ENOENT' | 'EACCES' | undefined {
  if (!stderr.includes('failed to execute')) return undefined;
  if (exitCode === 127) return 'ENOENT';
  if (exitCode === 126) return 'EACCES';
  return undefined;
}
