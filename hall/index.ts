/**
 * The hall service's public entry: what the kiosk host (embedded mode, which
 * starts the service in-process and then talks to it over its own socket like
 * a remote kiosk), the standalone `hall/main.ts`, tests and benches use.
 * Everything else in this folder is internal.
 */
export { HallQueueService, DEFAULT_RULES, type CounterAccount, type QueueRules, type HallQueueServiceOptions } from './service.js';
export { startHallServer, pageKey, PAGE_METHODS, type HallServer, type HallServerOptions } from './server.js';
export { isIssuingOpen, findCategory, nextServiceDay, type HallCalendar, type IssuingStatus } from './hours.js';
export { hashPin } from '../electron/host/staff/credentials.js';
export * from './protocol/index.js';
