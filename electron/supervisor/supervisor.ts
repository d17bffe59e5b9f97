import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { FromSupervised, type RestartLog, type RestartRecord, type SupervisedPart } from '../contract/index.js';
import type { Logger } from '../host/logging/logger.js';
import { ensureRunDir, writeRestartLog } from '../host/system/restarts.js';
import { SupervisedChild, type SupervisedChildOptions } from './child.js';
import { appendRestart, mayFeedWatchdog, type SupervisorPolicy } from './policy.js';
import { SystemdNotifier } from './sd-notify.js';

/**
 * What both shells' supervisors share: the restart record (written for the
 * host to read: staff screen, heartbeat), the state file naming the
 * supervised processes, the systemd notifications (ready, watchdog,
 * stopping), and a clean stop on SIGTERM / SIGINT.
 */
export interface SupervisorBase {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly policy: SupervisorPolicy;
  readonly random: () => number;
  readonly notifier: SystemdNotifier;
  record(entry: Omit<RestartRecord, 'at'>): void;
  /** A child spec with the shared policy, logger, random and record filled in. */
  child(options: Omit<SupervisedChildOptions, 'policy' | 'logger' | 'random' | 'record'>): SupervisedChild;
  /** Parses a message from a supervised process; anything malformed is logged and dropped. */
  parseMessage(part: SupervisedPart, raw: unknown): FromSupervised | undefined;
  /** Writes `<dataDir>/run/supervisor.json` (pids of the supervisor and its parts) for technicians and tests. */
  writeState(parts: Record<string, ChildProcess | undefined>): void;
  /** Feeds the systemd watchdog while the parts are not stuck failing; stops all parts on SIGTERM/SIGINT, then exits. */
  run(parts: SupervisedChild[], stopParts: () => Promise<void>): void;
}

export function supervisorBase(options: { dataDir: string; logger: Logger; policy: SupervisorPolicy; random?: () => number; env?: NodeJS.ProcessEnv }): SupervisorBase {
  const { dataDir, logger, policy } = options;
  const random = options.random ?? Math.random;
  ensureRunDir(dataDir);
  let log: RestartLog = { supervisorStartedAt: new Date().toISOString(), restarts: [] };
  writeRestartLog(dataDir, log);
  const notifier = new SystemdNotifier(options.env ?? process.env, logger);

  const record = (entry: Omit<RestartRecord, 'at'>): void => {
    log = appendRestart(log, { at: new Date().toISOString(), ...entry }, policy);
    try {
      writeRestartLog(dataDir, log);
    } catch (err) {
      logger.error({ err }, 'supervisor: cannot write the restart record');
    }
    notifier.status(`${entry.part} ${entry.action} (${entry.reason}); ${log.restarts.length} restart(s) since start`);
  };

  return {
    dataDir,
    logger,
    policy,
    random,
    notifier,
    record,
    child: (spec) => new SupervisedChild({ ...spec, policy, logger, random, record }),
    parseMessage(part, raw) {
      const parsed = FromSupervised.safeParse(raw);
      if (parsed.success) return parsed.data;
      logger.warn({ part }, 'supervisor: dropped a malformed message');
      return undefined;
    },
    writeState(parts) {
      const file = join(ensureRunDir(dataDir), 'supervisor.json');
      const pids = Object.fromEntries(Object.entries(parts).map(([name, child]) => [name, child?.pid ?? null]));
      try {
        writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, parts: pids }), { mode: 0o600 });
        renameSync(`${file}.tmp`, file);
      } catch (err) {
        logger.warn({ err }, 'supervisor: cannot write its state file');
      }
    },
    run(parts, stopParts) {
      const watchdogMs = notifier.watchdogIntervalMs();
      if (watchdogMs !== undefined) {
        setInterval(() => {
          if (mayFeedWatchdog(parts.map((part) => part.partHistory), Date.now(), policy)) notifier.watchdog();
          else logger.error('supervisor: a part keeps failing; no longer feeding the systemd watchdog so systemd restarts the unit');
        }, watchdogMs).unref();
      }
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'supervisor: stopping');
        notifier.stopping();
        void stopParts().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'supervisor: stop failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
  };
}
