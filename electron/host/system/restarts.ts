import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RestartLog } from '../../contract/index.js';
import type { Logger } from '../logging/logger.js';
import type { HostModule } from '../module.js';
import type { RestartHistory } from '../operations/restarts.js';

/**
 * The supervisor's restart record as the host sees it. The supervisor (a
 * separate process, electron/supervisor) writes `<dataDir>/run/restarts.json`
 * after every restart; the host reads it on request, so staff (and the
 * heartbeat) see what died and why in either shell without another channel.
 */
export function runDir(dataDir: string): string {
  return join(dataDir, 'run');
}

export function restartLogFile(dataDir: string): string {
  return join(runDir(dataDir), 'restarts.json');
}

/** Creates `<dataDir>/run` readable by the kiosk user only (it also holds the page's bootstrap). */
export function ensureRunDir(dataDir: string): string {
  const dir = runDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Writes the record atomically (temp file + rename), 0600. */
export function writeRestartLog(dataDir: string, log: RestartLog): void {
  ensureRunDir(dataDir);
  const file = restartLogFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(log), { mode: 0o600 });
  renameSync(temp, file);
}

const NO_SUPERVISOR: RestartLog = { supervisorStartedAt: null, restarts: [] };

/** The record, or an empty one when there is no supervisor; an unreadable or invalid file is logged and read as empty. */
export function readRestartLog(dataDir: string, logger: Logger): RestartLog {
  let text: string;
  try {
    text = readFileSync(restartLogFile(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ err }, 'cannot read the restart record');
    return NO_SUPERVISOR;
  }
  try {
    const parsed = RestartLog.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    logger.warn({ issue: parsed.error.issues[0]?.message }, 'the restart record is not valid; reading it as empty');
  } catch (err) {
    logger.warn({ err }, 'the restart record is not JSON; reading it as empty');
  }
  return NO_SUPERVISOR;
}

/** `system.restarts` for staff. */
export function restartsModule(dataDir: string, logger: Logger, options: { requireStaff: () => void }): HostModule {
  return {
    name: 'restarts',
    handlers: {
      'system.restarts': () => {
        options.requireStaff();
        return readRestartLog(dataDir, logger);
      },
    },
  };
}

/**
 * The supervisor's record as the heartbeat's RestartHistory: every restart
 * since the supervisor started (it starts at boot under systemd), read fresh
 * each time so a restart just made shows in the next heartbeat.
 */
export function supervisorRestartHistory(dataDir: string, logger: Logger): RestartHistory {
  return {
    sinceBoot: () =>
      readRestartLog(dataDir, logger).restarts.map((restart) => ({
        at: restart.at,
        what: `${restart.part} ${restart.action}`.slice(0, 64),
        reason: restart.reason,
      })),
  };
}
