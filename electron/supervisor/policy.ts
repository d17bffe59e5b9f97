import { backoffDelay, type BackoffPolicy } from '../common/backoff.js';
import type { RestartLog, RestartRecord } from '../contract/index.js';

/**
 * The supervisor's decisions as plain functions over numbers (milliseconds
 * since the epoch): when to restart a part that died, when a silent part
 * counts as hung, when reloading the page is no longer enough, whether the
 * systemd watchdog may still be fed. runtime.ts does the I/O.
 */
export interface SupervisorPolicy {
  /** Crash-loop backoff between restarts of the same part (the first restart after a healthy run is immediate). */
  backoff: BackoffPolicy;
  /** A part that ran this long counts as healthy again: its failure count starts over. */
  stableAfterMs: number;
  /** A host silent this long (no heartbeat over its IPC channel) is hung and is killed and restarted. */
  hostTimeoutMs: number;
  /** A page silent this long (no heartbeat over its socket) while its host is up is reloaded. */
  pageTimeoutMs: number;
  /** A part just started gets this long before its silence counts (boot, first paint). */
  startupGraceMs: number;
  /** After this many reloads without the page coming back, the window is relaunched instead. */
  reloadsBeforeRelaunch: number;
  /** A part down (failing to come back) this long stops the systemd watchdog feed, so systemd restarts the whole unit. */
  maxDownMs: number;
  /** The restart record keeps this many newest entries. */
  recordCap: number;
  /**
   * Browser shell: keep a second host process with its code loaded, waiting, so a dead host is replaced
   * without loading the code again (measured here: 12 s of a 18 s recovery on a loaded machine). Costs one idle Node process.
   */
  warmStandbyHost: boolean;
}

export const DEFAULT_POLICY: SupervisorPolicy = {
  backoff: { baseMs: 1_000, maxMs: 60_000 },
  stableAfterMs: 60_000,
  hostTimeoutMs: 10_000,
  pageTimeoutMs: 10_000,
  startupGraceMs: 15_000,
  reloadsBeforeRelaunch: 2,
  maxDownMs: 5 * 60_000,
  recordCap: 200,
  warmStandbyHost: true,
};

/** One supervised part's crash history. */
export interface PartHistory {
  /** Failures since the part last ran for `stableAfterMs`. */
  failures: number;
  /** When the current (or last) run of the part started. */
  startedAt: number | undefined;
  /** Since when the part has been down and not yet healthy again; undefined while it is up. */
  downSince: number | undefined;
}

export const FRESH_PART: PartHistory = { failures: 0, startedAt: undefined, downSince: undefined };

/**
 * After a failure at `now`: the new history and how long to wait before the
 * restart. The first failure after a stable run restarts at once (a citizen
 * may be waiting); a crash loop backs off exponentially, with jitter.
 */
export function afterFailure(history: PartHistory, now: number, policy: SupervisorPolicy, random: () => number): { history: PartHistory; delayMs: number } {
  const ranStably = history.startedAt !== undefined && now - history.startedAt >= policy.stableAfterMs;
  const failures = ranStably ? 1 : history.failures + 1;
  const delayMs = failures <= 1 ? 0 : backoffDelay(failures - 1, policy.backoff, random);
  return { history: { failures, startedAt: history.startedAt, downSince: history.downSince ?? now }, delayMs };
}

/** The part was started again at `now`. */
export function afterStart(history: PartHistory, now: number): PartHistory {
  return { ...history, startedAt: now };
}

/** The part proved itself alive (a heartbeat, a ready message): it is no longer down. */
export function afterAlive(history: PartHistory): PartHistory {
  return history.downSince === undefined ? history : { ...history, downSince: undefined };
}

/**
 * Whether a part that should beat is hung: silent for longer than its
 * timeout, counting from its start (plus the startup grace) when it has not
 * beaten yet in this run.
 */
export function isSilent(lastBeatAt: number | undefined, startedAt: number, now: number, timeoutMs: number, graceMs: number): boolean {
  if (lastBeatAt === undefined || lastBeatAt < startedAt) return now - startedAt > graceMs + timeoutMs;
  return now - lastBeatAt > timeoutMs;
}

/** What to do about a page that crashed or went silent: reload it, unless reloading has already failed often enough. */
export function pageRemedy(reloadsWithoutRecovery: number, policy: SupervisorPolicy): 'reload' | 'relaunch' {
  return reloadsWithoutRecovery >= policy.reloadsBeforeRelaunch ? 'relaunch' : 'reload';
}

/** Feed the systemd watchdog only while no part has been failing to come back for too long. */
export function mayFeedWatchdog(parts: readonly PartHistory[], now: number, policy: SupervisorPolicy): boolean {
  return parts.every((part) => part.downSince === undefined || now - part.downSince < policy.maxDownMs);
}

/** The record with one more entry, capped to the newest `recordCap`. */
export function appendRestart(log: RestartLog, record: RestartRecord, policy: SupervisorPolicy): RestartLog {
  const restarts = [...log.restarts, record];
  return { ...log, restarts: restarts.slice(Math.max(0, restarts.length - policy.recordCap)) };
}

/** How a child's end reads for staff: `exited with code 1`, `killed by SIGKILL`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `killed by ${signal}`;
  return `exited with code ${code ?? 'unknown'}`;
}

/**
 * The host's environment. glibc gives each thread that mallocs its own arena
 * (up to 8 × cores); the host's native threads (sqlite3's libuv pool, the log
 * writer) spread a day's allocations over them and the freed pages are not
 * returned: `bench:soak` saw RSS after GC +262 MB over 4,000 tickets with the
 * default and +14 MB with two arenas (heap and external flat in both). A hall's
 * own setting wins.
 */
export function hostEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, MALLOC_ARENA_MAX: env['MALLOC_ARENA_MAX'] ?? '2' };
}
