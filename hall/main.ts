/**
 * The standalone hall queue service: one per hall, serving several kiosks and
 * the counter/display pages over HTTP + WebSocket. See electron/host/queue/README.md.
 *
 *   npx tsx hall/main.ts --port 8790 --secret S --data-dir D [--content content/hall] [--static DIR]
 *                           [--counters counters.json] [--host 0.0.0.0] [--calendar calendar.json] [--clock-start ISO]
 *                           [--manager manager.json]   # {"pinHash": "scrypt$…"}: opens the statistics page /stats/
 *   npx tsx hall/main.ts hash-pin 1234      # prints a PIN hash for counters.json
 *   npx tsx hall/main.ts page-urls --secret S [--url http://hall-server:8790]
 *                                              # the counter and display page links, with their page keys
 *   (page-urls also takes --secret-file FILE, e.g. an embedded kiosk's <dataDir>/keys/hall.secret)
 *
 * Static files (the counter and display pages) default to dist/renderer when it is built.
 * counters.json: [{ "staffId": "s1", "pinHash": "scrypt$…", "windows": ["3", "4"] }]
 * The secret may also come from the LIULIU_HALL_SECRET environment variable.
 *
 * Kiosk credentials (one key per kiosk, kept 0600 in <data-dir>/kiosks.json; a running service picks changes up):
 *   npx tsx hall/main.ts kiosk-add k1 --data-dir D     # prints k1's key: the kiosk's queue.secret
 *   npx tsx hall/main.ts kiosk-revoke k1 --data-dir D
 *   npx tsx hall/main.ts kiosk-list --data-dir D
 * TLS: --tls-cert hall.crt --tls-key hall.key serves https:// and wss:// (README "TLS").
 *
 * Sync to the central platform (the same worker and contract as a kiosk, under the service's own terminal id):
 *   --platform-url https://platform.example --terminal-id hall-01 --platform-secret-file /etc/liuliu/hall-01.secret
 *   [--sync-interval-seconds 30] [--sync-batch-size 200]   (the secret may also come from LIULIU_HALL_PLATFORM_SECRET)
 *   Appointments (预约) are pulled from the platform every minute; the check-in window around a slot's start:
 *   [--appointment-early-minutes 30] [--appointment-late-minutes 15]
 * Behind a reverse proxy every client shares the proxy's address: raise --max-sockets-per-address (default 64) to the hall's
 * kiosks + counters + boards, and note that failed authentications then cool the proxy's address off (README "Security and privacy").
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Hall } from '../electron/host/content/schema.js';
import { createLogger } from '../electron/host/logging/logger.js';
import { appRoot, rendererDist } from '../electron/host/paths.js';
import { DataKey } from '../electron/host/storage/crypto.js';
import { Database } from '../electron/host/storage/database.js';
import { Outbox, outboxMigrations } from '../electron/host/storage/outbox.js';
import { hashPin } from '../electron/host/staff/credentials.js';
import { pageKey, startHallServer } from './server.js';
import { HallQueueService } from './service.js';
import { startHallSync, type HallSync } from './sync.js';
import { startAppointmentUpkeep } from './appointment-pull.js';
import { KioskRegistry } from './handshake.js';
import { startFiguresReport } from './figures-report.js';

const CounterAccounts = z.array(z.object({ staffId: z.string().min(1), pinHash: z.string().startsWith('scrypt$'), windows: z.array(z.string()).optional() }));
/** manager.json: the hall manager's PIN as a scrypt hash (`hash-pin`), never the PIN. */
const ManagerConfig = z.object({ pinHash: z.string().startsWith('scrypt$') });
const Calendar = z.object({ holidays: z.array(z.string()).optional(), workdays: z.array(z.string()).optional() });

const APP_VERSION = z.object({ version: z.string().min(1).max(64) }).safeParse(readJson(join(appRoot(), 'package.json'))).data?.version ?? '0.0.0';

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '8790' },
      host: { type: 'string', default: '0.0.0.0' },
      secret: { type: 'string' },
      'data-dir': { type: 'string' },
      content: { type: 'string', default: 'content/hall' },
      static: { type: 'string' },
      counters: { type: 'string' },
      manager: { type: 'string' },
      calendar: { type: 'string' },
      'clock-start': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      url: { type: 'string', default: 'http://127.0.0.1:8790' },
      'secret-file': { type: 'string' },
      'platform-url': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'terminal-id': { type: 'string', default: 'hall-service' },
      'platform-secret-file': { type: 'string' },
      'sync-interval-seconds': { type: 'string', default: '30' },
      'sync-batch-size': { type: 'string', default: '200' },
      'appointment-early-minutes': { type: 'string', default: '30' },
      'appointment-late-minutes': { type: 'string', default: '15' },
      'max-sockets-per-address': { type: 'string', default: '64' },
    },
  });
  if (positionals[0] === 'hash-pin') {
    const pin = positionals[1];
    if (pin === undefined || !/^\d{4,12}$/.test(pin)) throw new Error('usage: hash-pin <4–12 digit PIN>');
    process.stdout.write(`${hashPin(pin)}\n`);
    return;
  }
  if (positionals[0] === 'kiosk-add' || positionals[0] === 'kiosk-revoke' || positionals[0] === 'kiosk-list') {
    if (values['data-dir'] === undefined) throw new Error(`${positionals[0]} needs --data-dir`);
    const registry = new KioskRegistry(join(values['data-dir'], 'kiosks.json'));
    const kioskId = positionals[1];
    if (positionals[0] === 'kiosk-list') process.stdout.write(`${JSON.stringify(registry.list(), null, 2)}\n`);
    else if (kioskId === undefined || !/^[\w.-]{1,100}$/.test(kioskId)) throw new Error(`usage: ${positionals[0]} <kiosk id> --data-dir D`);
    else if (positionals[0] === 'kiosk-add') process.stdout.write(`${registry.add(kioskId)}\n`);
    else if (!registry.revoke(kioskId)) throw new Error(`no kiosk ${kioskId} in ${registry.file}`);
    return;
  }
  const secret = values.secret ?? (values['secret-file'] === undefined ? process.env.LIULIU_HALL_SECRET : readFileSync(values['secret-file'], 'utf8').trim());
  if (positionals[0] === 'page-urls') {
    if (secret === undefined || secret.length < 8) throw new Error('page-urls needs --secret, --secret-file or LIULIU_HALL_SECRET');
    const base = values.url.replace(/\/$/, '');
    process.stdout.write(`counter: ${base}/counter/#key=${pageKey(secret, 'counter')}\ndisplay: ${base}/display/#key=${pageKey(secret, 'display')}\nstats: ${base}/stats/#key=${pageKey(secret, 'stats')}\n`);
    return;
  }
  if (secret === undefined || secret.length < 8) throw new Error('--secret (or LIULIU_HALL_SECRET) of at least 8 characters is required');
  const dataDir = values['data-dir'];
  if (dataDir === undefined) throw new Error('--data-dir is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${values.port}`);

  const hall = Hall.safeParse(readJson(join(values.content, 'hall.json')));
  if (!hall.success) throw new Error(`hall.json is invalid: ${hall.error.message}`);
  const counters = values.counters === undefined ? [] : CounterAccounts.parse(readJson(values.counters));
  const calendar = values.calendar === undefined ? {} : Calendar.parse(readJson(values.calendar));
  const managerPinHash = values.manager === undefined ? undefined : ManagerConfig.parse(readJson(values.manager)).pinHash;
  // --clock-start runs the service's clock from a given instant (demos and benches outside opening hours).
  const offset = values['clock-start'] === undefined ? 0 : Date.parse(values['clock-start']) - Date.now();
  if (Number.isNaN(offset)) throw new Error(`bad --clock-start ${values['clock-start']}`);
  const now = (): Date => new Date(Date.now() + offset);

  const { logger } = createLogger({ level: values['log-level'] as 'info', stderr: true });
  mkdirSync(dataDir, { recursive: true });
  const db = await Database.open(join(dataDir, 'hall-queue.db'));
  await db.migrate('outbox', outboxMigrations);
  const outbox = new Outbox(DataKey.loadOrCreate(join(dataDir, 'keys', 'data.key')));
  const appointmentWindow = { earlyMinutes: Number(values['appointment-early-minutes']), lateMinutes: Number(values['appointment-late-minutes']) };
  if (!Object.values(appointmentWindow).every((m) => Number.isInteger(m) && m >= 0 && m <= 240)) throw new Error('--appointment-early-minutes and --appointment-late-minutes take 0–240');
  const service = await HallQueueService.open({ hall: hall.data, db, outbox, logger, now, kioskId: values['terminal-id'], counters, calendar, appointmentWindow, ...(managerPinHash === undefined ? {} : { managerPinHash }) });
  const builtPages = rendererDist();
  const staticDir = values.static !== undefined ? resolve(values.static) : existsSync(join(builtPages, 'counter', 'index.html')) ? builtPages : undefined;
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new Error('--tls-cert and --tls-key go together');
  const tls = values['tls-cert'] === undefined ? undefined : { cert: readFileSync(values['tls-cert'], 'utf8'), key: readFileSync(values['tls-key']!, 'utf8') };
  const kiosks = new KioskRegistry(join(dataDir, 'kiosks.json'));
  if (!kiosks.enforced) logger.warn('hall: no kiosk registered (kiosk-add): kiosks prove the hall secret; register each kiosk so one can be revoked alone');
  const maxSocketsPerPeer = Number(values['max-sockets-per-address']);
  if (!Number.isInteger(maxSocketsPerPeer) || maxSocketsPerPeer < 1 || maxSocketsPerPeer > 100_000) throw new Error('--max-sockets-per-address takes a whole number from 1');
  const server = await startHallServer({
    service,
    secret,
    kiosks,
    maxSocketsPerPeer,
    ...(tls === undefined ? {} : { tls }),
    port,
    host: values.host,
    logger,
    ...(staticDir === undefined ? {} : { staticDir }),
  });
  const sync = values['platform-url'] === undefined ? undefined : await startSync(values, { db, outbox, logger, now, service, health: () => healthOf(server.connections()) });
  // Without a platform there is nothing to pull, but appointments already held still turn into no-shows on time.
  const upkeep = sync === undefined ? startAppointmentUpkeep({ book: service.appointments, logger, now }) : undefined;
  // The hall's figures (per day and finished hour) go to the platform through the same outbox.
  const figures = await startFiguresReport({ service, db, outbox, now, logger });
  // One line on stdout for whoever started us (tests, scripts): where we listen.
  process.stdout.write(`${JSON.stringify({ listening: server.port, wsUrl: server.wsUrl, httpUrl: server.httpUrl })}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    upkeep?.stop();
    figures.stop();
    Promise.resolve(sync?.stop())
      .then(() => server.close())
      .then(() => db.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The service's health in its heartbeat: what is connected to it. */
function healthOf(connections: Record<'kiosk' | 'counter' | 'display', number>): Record<string, { state: 'ok' | 'degraded'; reason: string }> {
  return {
    'hall-queue': { state: 'ok', reason: `kiosks ${connections.kiosk}, counters ${connections.counter}, displays ${connections.display}` },
  };
}

async function startSync(
  values: { 'platform-url'?: string; 'terminal-id': string; 'platform-secret-file'?: string; 'sync-interval-seconds': string; 'sync-batch-size': string },
  parts: Omit<Parameters<typeof startHallSync>[0], 'config' | 'appVersion'>,
): Promise<HallSync> {
  const secret = values['platform-secret-file'] === undefined ? process.env.LIULIU_HALL_PLATFORM_SECRET : readFileSync(values['platform-secret-file'], 'utf8').trim();
  if (secret === undefined || secret.length < 16) throw new Error('--platform-url needs --platform-secret-file (or LIULIU_HALL_PLATFORM_SECRET) of at least 16 characters');
  const intervalSeconds = Number(values['sync-interval-seconds']);
  const batchSize = Number(values['sync-batch-size']);
  if (!(intervalSeconds > 0) || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500) throw new Error('bad --sync-interval-seconds or --sync-batch-size');
  return startHallSync({
    ...parts,
    appVersion: APP_VERSION,
    config: { baseUrl: values['platform-url']!, terminalId: values['terminal-id'], secret, batchSize, intervalMs: intervalSeconds * 1000, retentionDays: 7 },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`hall: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
