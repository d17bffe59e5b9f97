import type { CreatedReceiptPrinter } from '../../devices/printer/index.js';
import type { SaneScanner } from '../../devices/scanner/index.js';
import type { ContentPackage } from './content/schema.js';
import type { ResolvedConfig } from './config/load.js';
import type { DeviceRegistry } from './devices.js';
import type { Logger } from './logging/logger.js';
import type { Redactor } from './logging/redact.js';
import type { EventBus, Handlers } from './rpc/server.js';
import type { DataKey } from './storage/crypto.js';
import type { Database } from './storage/database.js';
import type { Outbox } from './storage/outbox.js';

/**
 * What the host gives each capability module (session, queue, robot, cases,
 * sync…): shared services, nothing global. Modules are listed in index.ts,
 * the only place that wires them together.
 */
export interface HostContext {
  config: ResolvedConfig;
  /** The content package in force. It changes only between citizen sessions (see switchContent). */
  content: () => ContentPackage;
  /** Puts a validated package in force and tells every subscriber; callers make sure no session is running. */
  switchContent: (next: ContentPackage) => void;
  /** Modules that derive state from content (the robot's model, the queue's categories) refresh here. */
  onContentChanged: (listener: (next: ContentPackage) => void) => () => void;
  db: Database;
  outbox: Outbox;
  key: DataKey;
  logger: Logger;
  redactor: Redactor;
  bus: EventBus;
  devices: DeviceRegistry;
  now: () => Date;
  /** The receipt printer (tickets, receipts), shared by every module that prints; undefined when configured `none`. */
  printer: CreatedReceiptPrinter | undefined;
  /** The document scanner; undefined when configured `none`. */
  scanner: SaneScanner | undefined;
}

export interface HostModule {
  readonly name: string;
  readonly handlers: Partial<Handlers>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
