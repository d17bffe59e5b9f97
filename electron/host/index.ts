import { readFileSync } from 'node:fs';
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
import { Outbox, outboxMigrations } from './storage/outbox.js';
import { SessionManager } from './session/manager.js';
import { sessionModule } from './session/module.js';
import { deviceModule, systemModule } from './system/module.js';
import { staffModule } from './staff/module.js';
import { speechModule } from './speech/module.js';
import { startupContent, syncModule } from './sync/module.js';
import { casesModule } from './cases/index.js';
import { guideModule } from './guide/module.js';
import { queueModule } from './queue/module.js';
import { robotModule } from './robot/module.js';
import { createReceiptPrinter } from '../../devices/printer/index.js';
import { createScanner } from '../../devices/scanner/index.js';
import { createIdCardReader, DEMO_CARDS, type IdCardReaderHandle, type SimCard } from '../../devices/idcard/index.js';
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

export async function startHost(config: ResolvedConfig, options: StartHostOptions = {}): Promise<KioskHost> {
  const started = performance.now();
  const redactor = new Redactor();
  const logger =
    options.logger ?? createLogger({ level: config.logging.level, dir: join(config.dataDir, 'logs'), stderr: options.logToStderr ?? false, redactor }).logger;
  logger.info({ config: config.source, dataDir: config.dataDir, terminalId: config.terminalId }, 'host starting');

  // Content first: a bad package stops the start before anything is opened.
  // The package last downloaded from the platform when it is valid, else the shipped one.
  let content: ContentPackage = startupContent(config, logger);
  const contentListeners = new Set<(next: ContentPackage) => void>();
  const key = DataKey.loadOrCreate(join(config.dataDir, 'keys', 'data.key'));
  const db = await Database.open(join(config.dataDir, 'liuliu.db'));
  await db.migrate('outbox', outboxMigrations);
  const outbox = new Outbox(key);
  const bus = new EventBus(logger);
  const devices = new DeviceRegistry(bus, logger, options.now);
  const rpc = new RpcServer(logger, bus);
  const scannerConfig = config.devices.scanner;
  const scanner = scannerConfig.kind === 'none' ? undefined : createScanner(scannerConfig, logger.child({ device: 'scanner' }));
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
  });
  const modules: HostModule[] = [
    systemModule(context, { version: packageVersion(), bootMs: () => bootMs }),
    staff,
    sessionModule(context, sessions, reader, demoCardsForPanel()),
    deviceModule(context, 'printer', printer?.printer, () => printer?.dispose()),
    deviceModule(context, 'scanner', scanner, () => scanner?.stop()),
    guideModule(context, sessions, documentPrinter !== undefined ? { a4Printer: documentPrinter } : {}),
    queueModule(context, sessions),
    robotModule(context, { requireStaff: () => staff.requireStaff(), locale: () => sessions.locale() }),
    speechModule(context, sessions),
    cases,
    // Last: its first cycle may hand case status changes to the cases module, whose tables must exist by then.
    syncModule(context, sessions, {
      appVersion: packageVersion(),
      requireStaff: () => staff.requireStaff(),
      applyCaseStatus: (changes) => cases.applyCaseStatus(changes),
    }),
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
  return {
    config,
    logger,
    bootMs,
    context,
    sessions,
    attach: (connection) => rpc.attach(connection),
    handle: (text) => rpc.handle(text, 'direct'),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const module of [...modules].reverse()) {
        await module.stop?.().catch((err: unknown) => logger.error({ err, module: module.name }, 'module failed to stop'));
      }
      await db.close();
      logger.info('host stopped');
      logger.flush();
    },
  };
}
