import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ContentPackage } from './content/schema.js';
import type { ResolvedConfig } from './config/load.js';
import { DeviceRegistry } from './devices.js';
import { createLogger, type Logger } from './logging/logger.js';
import { Redactor } from './logging/redact.js';
import type { HostContext, HostModule } from './module.js';
import { appRoot } from './paths.js';
import { EventBus, RpcServer, type Connection } from './rpc/server.js';
import { DataKey } from './storage/crypto.js';
import { Database } from './storage/database.js';
import { ensurePrivateDir, restrictUmask, tightenTree } from './storage/private-files.js';
import { checkDatabaseFile, isDiskFull, loadFinding, markDataPresent, saveFinding, type StorageFinding } from './storage/startup-check.js';
import { sweepScanTemp } from '../../devices/scanner/index.js';
import { ApiError, userMessage } from '../contract/index.js';
import { Outbox, outboxMigrations } from './storage/outbox.js';
import { SessionManager } from './session/manager.js';
import { sessionModule } from './session/module.js';
import { deviceModule, systemModule } from './system/module.js';
import { restartsModule, supervisorRestartHistory } from './system/restarts.js';
import { staffModule } from './staff/module.js';
import { speechModule } from './speech/module.js';
import { startupContent, syncModule } from './sync/module.js';
import { casesModule } from './cases/index.js';
import { guideModule } from './guide/module.js';
import { queueModule } from './queue/module.js';
import { robotModule } from './robot/module.js';
import { operationsModule } from './operations/module.js';
import { exitForRestart, type RestartHistory, type RestartRequest } from './operations/restarts.js';
import { createReceiptPrinter } from '../../devices/printer/index.js';
import { createScanner } from '../../devices/scanner/index.js';
import { createIdCardReader, DEMO_CARDS, type IdCardReaderHandle, type SimCard } from '../../devices/idcard/index.js';
import type { DeviceHealth } from '../../devices/device.js';
import { deviceReason } from '../common/device-reasons.js';
import { maskName } from '../common/pii.js';

/**
 * The kiosk host: a plain Node module (no Electron import) that owns all
 * state and I/O. Both shells start it the same way and attach their
 * transport's connections to it.
 */
export interface KioskHost {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly bootMs: number;
  readonly context: HostContext;
  readonly sessions: SessionManager;
  attach(connection: Connection): void;
  /** Handles one message without a transport (tests, tools). */
  handle(text: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface StartHostOptions {
  logger?: Logger;
  now?: () => Date;
  /** Log to stderr as well as the rotating file. */
  logToStderr?: boolean;
  /** The supervisor's record of restarts (electron/host/operations/restarts.ts); default: none known. */
  restartHistory?: RestartHistory;
  /** How to ask for a restart; default: stop the host and exit with RESTART_EXIT_CODE (75). */
  requestRestart?: RestartRequest;
}

/** Demo cards for the developer panel, labelled with masked names so the panel itself shows no full name. */
function demoCardsForPanel(): Record<string, { label: string; card: SimCard }> {
  return Object.fromEntries(
    Object.entries(DEMO_CARDS).map(([id, card]) => [id, { label: `${maskName(card.fields.name)} · ${card.fields.birthDate.slice(0, 4)} · ${id}`, card }]),
  );
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** What the staff screen and the heartbeat show about the database (device kind `storage`). */
function storageHealth(finding: StorageFinding | null, diskFull: boolean): DeviceHealth {
  if (diskFull) return { state: 'error', reason: deviceReason('device.storageFull', {}) };
  if (finding) return { state: 'degraded', reason: deviceReason('device.storageRecovered', { problem: finding.problem, detail: finding.detail, movedTo: finding.movedTo, at: finding.at }) };
  return { state: 'ok' };
}

export async function startHost(config: ResolvedConfig, options: StartHostOptions = {}): Promise<KioskHost> {
  const started = performance.now();
  // Personal data lives under the data dir: every file the host (or sqlite, pino-roll, a driver) creates is 0600, every dir 0700.
  restrictUmask();
  ensurePrivateDir(config.dataDir);
  const tightened = tightenTree(config.dataDir);
  const redactor = new Redactor();
  // The log writer's failure (a full disk) is reported once the device registry exists; it never exits the host.
  let reportLogWriteError: (err: Error) => void = () => undefined;
  const logger =
    options.logger ??
    createLogger({
      level: config.logging.level,
      dir: join(config.dataDir, 'logs'),
      stderr: options.logToStderr ?? false,
      redactor,
      onWriteError: (err) => reportLogWriteError(err),
    }).logger;
  logger.info({ config: config.source, dataDir: config.dataDir, terminalId: config.terminalId }, 'host starting');

  // Content first: a bad package stops the start before anything is opened.
  // The package last downloaded from the platform when it is valid, else the shipped one.
  let content: ContentPackage = startupContent(config, logger);
  const contentListeners = new Set<(next: ContentPackage) => void>();
  if (tightened > 0) logger.warn({ entries: tightened }, 'data dir permissions tightened to 0600/0700');
  const keyFile = join(config.dataDir, 'keys', 'data.key');
  const hadData = existsSync(keyFile);
  const key = DataKey.loadOrCreate(keyFile);
  const dbFile = join(config.dataDir, 'liuliu.db');
  // Checked before opening: a corrupt or emptied database is moved aside and reported, never silently replaced.
  const finding = await checkDatabaseFile(dbFile, { hadData, now: (options.now ?? (() => new Date()))() });
  if (finding) {
    logger.error({ problem: finding.problem, detail: finding.detail, movedTo: finding.movedTo }, 'database failed its start-up check: moved aside, starting on a fresh one');
    saveFinding(config.dataDir, finding);
  }
  const db = await Database.open(dbFile);
  await db.migrate('outbox', outboxMigrations);
  markDataPresent(dbFile);
  const outbox = new Outbox(key);
  const bus = new EventBus(logger);
  const devices = new DeviceRegistry(bus, logger, options.now);
  const storageFinding = finding ?? loadFinding(config.dataDir);
  let diskFull = false;
  devices.report('storage', storageHealth(storageFinding, diskFull));
  const noteDiskFull = (): void => {
    if (diskFull) return;
    diskFull = true;
    devices.report('storage', storageHealth(storageFinding, diskFull));
  };
  reportLogWriteError = (err) => {
    if (isDiskFull(err)) noteDiskFull();
  };
  const rpc = new RpcServer(logger, bus, (err) => {
    if (!isDiskFull(err)) return undefined;
    noteDiskFull();
    return new ApiError('unavailable', userMessage('storage.full', {}), { reason: 'disk-full' });
  });
  // Pages a crash left behind in the scan temp dir are deleted before anything else can scan.
  const swept = sweepScanTemp(join(config.dataDir, 'scans'));
  if (swept > 0) logger.warn({ entries: swept }, 'scanned pages left by an earlier run deleted');
  const scannerConfig = config.devices.scanner;
  const scanner = scannerConfig.kind === 'none' ? undefined : createScanner({ ...scannerConfig, tempRoot: join(config.dataDir, 'scans') }, logger.child({ device: 'scanner' }));
  const printerConfig = config.devices.printer;
  const printer =
    printerConfig.kind === 'none'
      ? undefined
      : await createReceiptPrinter(
          printerConfig.kind === 'simulator' ? { ...printerConfig, outDir: printerConfig.outDir ?? join(config.dataDir, 'printer-jobs') } : printerConfig,
          logger.child({ device: 'printer' }),
        );

  const context: HostContext = {
    config,
    content: () => content,
    switchContent: (next) => {
      content = next;
      logger.info({ version: next.hall.version, hash: next.hash.slice(0, 12), dir: next.dir }, 'content package switched');
      for (const listener of contentListeners) listener(next);
    },
    onContentChanged: (listener) => {
      contentListeners.add(listener);
      return () => contentListeners.delete(listener);
    },
    db,
    outbox,
    key,
    logger,
    redactor,
    bus,
    devices,
    now: options.now ?? (() => new Date()),
    printer,
    scanner,
  };
  let bootMs = 0;
  const sessions = new SessionManager(context);
  const idcardConfig = config.devices.idcard;
  const reader: IdCardReaderHandle | undefined = idcardConfig.kind === 'none' ? undefined : await createIdCardReader(idcardConfig, logger);
  const { printer: documentPrinter, queryUrlBase } = config.documents;
  const staff = staffModule(context);
  const cases = casesModule(context, sessions, {
    ...(config.terminalCode !== undefined ? { terminalCode: config.terminalCode } : {}),
    ...(documentPrinter !== undefined ? { documentPrinter } : {}),
    ...(queryUrlBase !== undefined ? { queryUrlBase } : {}),
    // The sync module holds the platform link and the citizen-key secret; it is built below, and asked only once a citizen applies.
    reusableMaterials: (idNumber) => sync.reusableMaterials(idNumber),
  });
  const queue = queueModule(context, sessions);
  const guide = guideModule(context, sessions, {
    hallRatings: queue.hallRatings,
    ...(documentPrinter !== undefined ? { a4Printer: documentPrinter } : {}),
    ...(config.platform.publicUrl !== undefined ? { replyPageBase: config.platform.publicUrl } : {}),
  });
  let stopHost: () => Promise<void> = () => Promise.resolve();
  const operations = operationsModule(context, sessions, {
    requireStaff: () => staff.requireStaff(),
    requestRestart: options.requestRestart ?? exitForRestart(() => stopHost(), logger),
    startedAt: context.now(),
    restartHistory: options.restartHistory ?? supervisorRestartHistory(config.dataDir, logger),
  });
  const sync = syncModule(context, sessions, {
    appVersion: packageVersion(),
    requireStaff: () => staff.requireStaff(),
    applyCaseStatus: (changes) => cases.applyCaseStatus(changes),
    heartbeatExtras: () => operations.heartbeatExtras(),
    onHeartbeatAnswer: (answer, sent) => operations.onHeartbeatAnswer(answer, sent),
    blobs: cases.pageBlobs,
    applyReplies: (replies) => guide.applyReplies(replies),
  });
  operations.connectPlatform(sync);
  const modules: HostModule[] = [
    systemModule(context, { version: packageVersion(), bootMs: () => bootMs }),
    staff,
    sessionModule(context, sessions, reader, demoCardsForPanel()),
    deviceModule(context, 'printer', printer?.printer, () => printer?.dispose()),
    deviceModule(context, 'scanner', scanner, () => scanner?.stop()),
    guide,
    queue,
    robotModule(context, { requireStaff: () => staff.requireStaff(), locale: () => sessions.locale() }),
    speechModule(context, sessions),
    restartsModule(config.dataDir, logger, { requireStaff: () => staff.requireStaff() }),
    cases,
    operations,
    // Last: its first cycle may hand case status changes to the cases module (and commands to operations), whose tables must exist by then.
    sync,
  ];
  const startedModules: HostModule[] = [];
  try {
    for (const module of modules) {
      rpc.register(module.handlers);
      await module.start?.();
      startedModules.push(module);
    }
    const missing = rpc.unhandled();
    if (missing.length > 0) throw new Error(`contract methods without a handler: ${missing.join(', ')}`);
  } catch (err) {
    for (const module of startedModules.reverse()) await module.stop?.().catch(() => undefined);
    await db.close();
    throw err;
  }
  bootMs = Math.round(performance.now() - started);
  logger.info({ bootMs, contentHash: content.hash.slice(0, 12) }, 'host ready');

  let stopped = false;
  let renderers = 0;
  const host: KioskHost = {
    config,
    logger,
    bootMs,
    context,
    sessions,
    attach: (connection) => {
      renderers += 1;
      connection.onClose(() => {
        renderers -= 1;
        // The page crashed, hung and was reloaded, or its window died: the citizen's screen is gone,
        // so her session ends as a timeout would (wiped, nothing half-stored), not left open for the next visitor.
        if (renderers === 0 && !stopped && sessions.current() !== null) {
          logger.warn('the renderer went away during a citizen session: ending it as a timeout');
          void sessions.end('timeout');
        }
      });
      rpc.attach(connection);
    },
    handle: (text) => rpc.handle(text, 'direct'),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const module of [...modules].reverse()) {
        await module.stop?.().catch((err: unknown) => logger.error({ err, module: module.name }, 'module failed to stop'));
      }
      await db.close();
      logger.info('host stopped');
      // The log goes through a worker thread: wait until it has written everything, so that a process
      // exiting right after stop() (SIGTERM) does not lose the end of its log. Bounded: a stuck transport does not hold the stop.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        logger.flush(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
  stopHost = () => host.stop();
  return host;
}
