import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { dieWithParent, wrapperExecFailure } from '../parent-death.js';

/**
 * One scanimage child process with the stop discipline of spec §6: SIGINT
 * (scanimage catches it, cancels the scan and removes its -o file), a grace
 * period, then SIGKILL. SIGTERM is never used: this scanimage build does not
 * catch it and leaves a 0-byte output file behind.
 *
 * SIGINT is held back until the scan is under way (`markScanning`, on the
 * first progress line): delivered while scanimage is still opening the
 * device it made this build abort (SIGABRT) or hang until SIGKILL (observed
 * with the test backend). If scanning never starts, SIGINT goes out after
 * {@link SIGINT_HOLD_LIMIT_MS} anyway.
 */
export const SIGINT_HOLD_LIMIT_MS = 1_000;

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface ProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Set when the process could not be started at all (e.g. ENOENT: scanimage not installed). */
  spawnError?: NodeJS.ErrnoException;
  stoppedBecause?: StopReason;
}

/** timeout: watchdog; cancel: user/stop(); stuck: scanimage reported a failure but did not exit. */
export type StopReason = 'timeout' | 'cancel' | 'stuck';

export interface RunningProcess {
  readonly exited: Promise<ProcessExit>;
  /** SIGINT (see above), SIGKILL after the grace period; the first reason given is kept. */
  stop(reason: StopReason): void;
  /** Data is flowing: SIGINT is now safe. */
  markScanning(): void;
}

export interface RunOptions {
  spawn: SpawnFn;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  graceMs: number;
  onStderr?: (chunk: string) => void;
  /** Largest stdout kept (device lists, option lists); more is dropped. */
  maxStdoutBytes?: number;
  /**
   * Start the command under `setpriv --pdeathsig` (../parent-death.ts) so it dies with this
   * process even on SIGKILL. Only with the real `spawn` (test doubles see the
   * bare command).
   */
  dieWithParent?: boolean;
}

/**
 * Children still running. If the host exits while a scan runs (a crash, an
 * uncaught error, process.exit), they are killed on the way out: a scanimage
 * left behind keeps the device busy and writes a citizen's page to disk for
 * nobody (one ran on for 14 minutes after a host crash).
 */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLiveChildren(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
}

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killLiveChildren);
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  child.once('error', () => liveChildren.delete(child));
}

export function runProcess(options: RunOptions): RunningProcess {
  let stoppedBecause: StopReason | undefined;
  let scanning = false;
  let interruptSent = false;
  const timers: NodeJS.Timeout[] = [];
  let child: ChildProcess;
  const { command, args, wrapped } = options.dieWithParent === true ? dieWithParent(options.command, options.args) : { command: options.command, args: options.args, wrapped: false };
  try {
    child = options.spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
  } catch (error) {
    return { exited: Promise.resolve({ exitCode: null, signal: null, stdout: '', spawnError: error as NodeJS.ErrnoException }), stop: () => undefined, markScanning: () => undefined };
  }
  track(child);

  const exited = new Promise<ProcessExit>((resolve) => {
    const maxStdout = options.maxStdoutBytes ?? 1024 * 1024;
    let stdout = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (stdout.length < maxStdout) stdout += chunk;
    });
    child.stderr?.setEncoding('utf8');
    let wrapperStderr = '';
    child.stderr?.on('data', (chunk: string) => {
      if (wrapped && wrapperStderr.length < 4096) wrapperStderr += chunk;
      options.onStderr?.(chunk);
    });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    // 'close' comes after 'exit' once stdio is drained, and also after a spawn 'error'.
    child.on('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      timers.forEach(clearTimeout);
      const code = wrapped && spawnError === undefined ? wrapperExecFailure(exitCode, wrapperStderr) : undefined;
      if (code !== undefined) {
        // The command itself could not be started: report it as a spawn failure, as without the wrapper.
        spawnError = Object.assign(new Error(`spawn ${options.command} ${code}`), { code, syscall: 'spawn', path: options.command }) as NodeJS.ErrnoException;
      }
      resolve({
        exitCode,
        signal,
        stdout,
        ...(spawnError === undefined ? {} : { spawnError }),
        ...(stoppedBecause === undefined ? {} : { stoppedBecause }),
      });
    });
  });

  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const interrupt = (): void => {
    if (interruptSent || !running()) return;
    interruptSent = true;
    child.kill('SIGINT');
  };
  const stop = (reason: StopReason): void => {
    if (stoppedBecause !== undefined || !running()) return;
    stoppedBecause = reason;
    if (scanning) interrupt();
    else timers.push(setTimeout(interrupt, Math.min(SIGINT_HOLD_LIMIT_MS, options.graceMs)));
    timers.push(
      setTimeout(() => {
        if (running()) child.kill('SIGKILL');
      }, options.graceMs),
    );
  };
  const markScanning = (): void => {
    scanning = true;
    if (stoppedBecause !== undefined) interrupt();
  };

  return { exited, stop, markScanning };
}
