import type { Hall } from '../content/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Database } from '../storage/database.js';
import type { Outbox } from '../storage/outbox.js';
import type { HallCalendar } from './hours.js';
import { RemoteHallQueue } from './remote.js';
import { HallQueueService, type CounterAccount, type QueueRules } from './service.js';
import type { HallQueue } from './types.js';

/**
 * Entry point for the kiosk host: the queue in embedded mode (this kiosk is
 * the hall's only one) or remote mode (a standalone hall service, with
 * offline fallback). Both give the same `HallQueue`.
 */
export type HallQueueMode = { mode: 'embedded'; counters?: readonly CounterAccount[]; rules?: Partial<QueueRules> } | { mode: 'remote'; url: string; secret: string };

export interface OpenHallQueueOptions {
  hall: Hall;
  db: Database;
  outbox: Outbox;
  logger: Logger;
  now?: () => Date;
  kioskId: string;
  calendar?: HallCalendar;
}

export async function openHallQueue(options: OpenHallQueueOptions, mode: HallQueueMode): Promise<HallQueue & { close?: () => Promise<void> }> {
  const { hall, db, outbox, logger, now, kioskId, calendar } = options;
  if (mode.mode === 'embedded') {
    return HallQueueService.open({ hall, db, outbox, logger, kioskId, ...(now ? { now } : {}), ...(calendar ? { calendar } : {}), ...(mode.counters ? { counters: mode.counters } : {}), ...(mode.rules ? { rules: mode.rules } : {}) });
  }
  return RemoteHallQueue.open({ url: mode.url, secret: mode.secret, kioskId, hall, db, logger, ...(now ? { now } : {}), ...(calendar ? { calendar } : {}) });
}

export { HallQueueService, DEFAULT_RULES, type CounterAccount, type QueueRules } from './service.js';
export { RemoteHallQueue, type RemoteHallQueueOptions } from './remote.js';
export { startHallServer, type HallServer, type HallServerOptions } from './server.js';
export { isIssuingOpen, type HallCalendar, type IssuingStatus } from './hours.js';
export { hashPin } from './pin.js';
export * from './types.js';
