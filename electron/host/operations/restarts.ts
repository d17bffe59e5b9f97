import type { RestartRecord } from '../../../platform-contract/contract.js';
import type { Logger } from '../logging/logger.js';

/**
 * The host's two links to whatever supervises it (electron/host does not
 * know who that is): where the record of restarts comes from, and how to ask
 * for a restart. The supervisor feeds the first and honours the second; until
 * one does, the history is empty and a restart request stops the host and
 * exits with RESTART_EXIT_CODE, which a supervisor (or systemd with
 * `RestartForceExitStatus=75`) answers by starting the kiosk again.
 */
export type { RestartRecord };

export interface RestartHistory {
  /** Restarts since the machine booted, oldest first. */
  sinceBoot(): readonly RestartRecord[];
}

export const NO_RESTARTS: RestartHistory = { sinceBoot: () => [] };

/** Asks for a restart of the kiosk; returns once the request is handed over (the restart itself follows). */
export type RestartRequest = (reason: string) => void;

/** EX_TEMPFAIL: "exit to be restarted", distinct from a crash (1) and a clean stop (0). */
export const RESTART_EXIT_CODE = 75;

/** The default RestartRequest: stop the host cleanly, then exit with RESTART_EXIT_CODE. */
export function exitForRestart(stopHost: () => Promise<void>, logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): RestartRequest {
  let requested = false;
  return (reason) => {
    if (requested) return;
    requested = true;
    logger.warn({ reason, exitCode: RESTART_EXIT_CODE }, 'restart requested: stopping the host for the supervisor to start it again');
    // After the answer to the caller has gone out.
    setTimeout(() => {
      stopHost()
        .catch((err: unknown) => logger.error({ err }, 'host did not stop cleanly before the restart'))
        .finally(() => exit(RESTART_EXIT_CODE));
    }, 100);
  };
}

/** The last restart and the count, for the heartbeat and the staff screen. */
export function restartSummary(history: RestartHistory): { restartsSinceBoot: number; lastRestart: RestartRecord | null; newestFirst: RestartRecord[] } {
  const records = [...history.sinceBoot()];
  return { restartsSinceBoot: records.length, lastRestart: records.at(-1) ?? null, newestFirst: records.reverse() };
}
