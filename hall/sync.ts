import type { Heartbeat } from '../platform-contract/contract.js';
import type { Logger } from '../electron/host/logging/logger.js';
import type { Database } from '../electron/host/storage/database.js';
import type { Outbox } from '../electron/host/storage/outbox.js';
import { platformHealth, type SyncStatus } from '../electron/host/sync/state.js';
import { SyncWorker, type SyncConfig } from '../electron/host/sync/worker.js';
import { PlatformClient } from '../electron/host/sync/client.js';
import { startAppointmentUpkeep } from './appointment-pull.js';
import type { HallQueueService } from './service.js';

/**
 * The hall service's own sync to the central platform: the same SyncWorker,
 * contract, signing and exactly-once rules as a kiosk, under the hall
 * service's own terminal id and secret. Every ticket event the service
 * records (online, uploaded from a kiosk's offline lease, counter calls…) is
 * in its outbox in the same transaction; the worker drains it, and the
 * platform deduplicates by event id, so a kill -9 mid-batch only causes a
 * resend answered `duplicate`. The heartbeat reports the backlog, dead
 * letters and the service's health (connected kiosks, counters, displays).
 */
export interface HallSyncOptions {
  db: Database;
  outbox: Outbox;
  logger: Logger;
  now: () => Date;
  service: HallQueueService;
  config: SyncConfig;
  appVersion: string;
  /** The service's health for the heartbeat, e.g. from the server's connection counts. */
  health: () => Heartbeat['devices'];
  /** After a ticket event, sync this soon (debounced; default 2 s). */
  requestDelayMs?: number;
  /** How often appointments are pulled from the platform (default 60 s; failures back off). */
  appointmentIntervalMs?: number;
}

export interface HallSync {
  worker: SyncWorker;
  status(): SyncStatus;
  stop(): Promise<void>;
}

export async function startHallSync(options: HallSyncOptions): Promise<HallSync> {
  const { db, outbox, logger, now, service, config } = options;
  const log = logger.child({ module: 'hall-sync', terminalId: config.terminalId });
  const worker = new SyncWorker({
    db,
    outbox,
    logger: log,
    config,
    now,
    heartbeat: () => ({ appVersion: options.appVersion, devices: options.health() }),
  });
  let lastState: string | null = null;
  const unwatch = worker.onStatus((status) => {
    const health = platformHealth(status);
    if (health.state !== lastState) log.info({ state: health.state, backlog: status.backlog, lastError: status.lastError }, 'hall sync: platform status');
    lastState = health.state;
  });
  await worker.start();
  // 预约: the hall's appointments come from the platform under the same terminal id and signing.
  const appointmentClient = new PlatformClient({ baseUrl: config.baseUrl, terminalId: config.terminalId, secret: config.secret, now, logger: log });
  const appointmentIntervalMs = options.appointmentIntervalMs ?? 60_000;
  // The first pull runs at once: a hall started in the morning must not spend a minute without its appointments.
  const appointments = startAppointmentUpkeep({ book: service.appointments, source: appointmentClient, logger: log, now, intervalMs: appointmentIntervalMs });
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = service.subscribe(() => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      worker.syncNow().catch((err: unknown) => log.error({ err }, 'hall sync: cycle failed'));
    }, options.requestDelayMs ?? 2000);
    timer.unref();
  });
  return {
    worker,
    status: () => worker.status(),
    async stop() {
      unsubscribe();
      unwatch();
      appointments.stop();
      appointmentClient.close();
      clearTimeout(timer);
      await worker.stop();
    },
  };
}
