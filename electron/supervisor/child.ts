import type { ChildProcess } from 'node:child_process';
import type { SupervisedPart } from '../contract/index.js';
import type { Logger } from '../host/logging/logger.js';
import { FRESH_PART, afterAlive, afterFailure, afterStart, describeExit, isSilent, type PartHistory, type SupervisorPolicy } from './policy.js';

/**
 * One supervised process (the host, or the kiosk window): started in its own
 * process group, so that when it dies everything it started (the
 * simulator's socat, an interrupted scanimage, Chromium's helpers) is killed
 * with it; restarted with the crash-loop backoff; killed and restarted when
 * it stops beating. The decisions are policy.ts; this is the I/O.
 */
export interface SupervisedChildOptions {
  part: SupervisedPart;
  /** Starts the process. It must be spawned `detached: true` (a new process group led by the child). */
  spawn(): ChildProcess;
  /** After each start: wire IPC, attach to the window… */
  onStart?(child: ChildProcess): void;
  /** After each exit, before any restart. */
  onExit?(): void;
  /** Silence limit; undefined = the part is not expected to beat (its exit is still watched). */
  heartbeatTimeoutMs?: number;
  /** Watch the heartbeat only once the child has beaten in this run (a child that may have no IPC channel: Electron). */
  beatOptional?: boolean;
  policy: SupervisorPolicy;
  logger: Logger;
  random: () => number;
  /** Every restart goes in the record. */
  record(entry: { part: SupervisedPart; reason: string; action: 'restart' | 'relaunch'; delayMs: number }): void;
}

/** SIGKILL to a whole process group; a group already gone is fine. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group
  }
}

export class SupervisedChild {
  private history: PartHistory = FRESH_PART;
  private current: ChildProcess | undefined;
  private lastBeatAt: number | undefined;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  /** Why we killed it ourselves (hung, relaunch), so its exit is recorded with the real cause. */
  private killReason: { reason: string; action: 'restart' | 'relaunch' } | undefined;
  private stopping = false;

  constructor(private readonly options: SupervisedChildOptions) {}

  get process(): ChildProcess | undefined {
    return this.current;
  }

  get partHistory(): PartHistory {
    return this.history;
  }

  /** When the child last beat (epoch ms) in its current run, if it has. */
  get lastBeat(): number | undefined {
    return this.lastBeatAt;
  }

  start(): void {
    if (this.stopping || this.current) return;
    const { logger, part } = this.options;
    this.startedAt = Date.now();
    this.lastBeatAt = undefined;
    this.history = afterStart(this.history, this.startedAt);
    let child: ChildProcess;
    try {
      child = this.options.spawn();
    } catch (err) {
      logger.error({ err, part }, 'supervisor: cannot start');
      this.scheduleRestart(`cannot start: ${(err as Error).message}`, 'restart');
      return;
    }
    this.current = child;
    logger.info({ part, pid: child.pid }, 'supervisor: started');
    child.once('error', (err) => logger.error({ err, part }, 'supervisor: child process error'));
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    this.options.onStart?.(child);
    if (this.options.heartbeatTimeoutMs !== undefined && !this.watchTimer) {
      this.watchTimer = setInterval(() => this.checkBeat(), 500);
      this.watchTimer.unref();
    }
  }

  /** The child proved it is alive. */
  beat(): void {
    this.lastBeatAt = Date.now();
    this.history = afterAlive(this.history);
  }

  /** Kills the whole group now; the exit is recorded with `reason` and followed by a restart. */
  kill(reason: string, action: 'restart' | 'relaunch' = 'restart'): void {
    if (!this.current) return;
    this.killReason ??= { reason, action };
    killGroup(this.current.pid);
  }

  /** Stops for good: SIGTERM to the child, then SIGKILL to its group after `graceMs`. Resolves when it has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.watchTimer);
    const child = this.current;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => killGroup(child.pid), graceMs);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private checkBeat(): void {
    const timeout = this.options.heartbeatTimeoutMs;
    if (timeout === undefined || !this.current || this.killReason) return;
    if (this.options.beatOptional === true && this.lastBeatAt === undefined) return;
    if (isSilent(this.lastBeatAt, this.startedAt, Date.now(), timeout, this.options.policy.startupGraceMs)) {
      const silentFor = Math.round((Date.now() - (this.lastBeatAt ?? this.startedAt)) / 1000);
      this.options.logger.error({ part: this.options.part, silentFor }, 'supervisor: no heartbeat; killing it');
      this.kill(`hung: no heartbeat for ${silentFor} s`);
    }
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    // Whatever the child started dies with it: its process group goes too.
    killGroup(child.pid);
    if (this.current === child) this.current = undefined;
    this.options.onExit?.();
    const killed = this.killReason;
    this.killReason = undefined;
    if (this.stopping) return;
    const reason = killed?.reason ?? describeExit(code, signal);
    this.options.logger.error({ part: this.options.part, code, signal, reason }, 'supervisor: process ended');
    this.scheduleRestart(reason, killed?.action ?? 'restart');
  }

  private scheduleRestart(reason: string, action: 'restart' | 'relaunch'): void {
    const { history, delayMs } = afterFailure(this.history, Date.now(), this.options.policy, this.options.random);
    this.history = history;
    this.options.record({ part: this.options.part, reason, action, delayMs });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => this.start(), delayMs);
  }
}
