import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReceiptPrinter, type CreatedReceiptPrinter } from '../../devices/printer/index.js';
import { createApiClient, type ApiClient } from '../../renderer/src/api/client.js';
import type { EventName, EventPayload, MethodName, ParamsOf, ResultOf } from '../../electron/contract/index.js';
import { parseConfig } from '../../electron/host/config/load.js';
import { loadContent } from '../../electron/host/content/loader.js';
import type { ContentPackage } from '../../electron/host/content/schema.js';
import { DeviceRegistry } from '../../electron/host/devices.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { Redactor } from '../../electron/host/logging/redact.js';
import type { HostContext, HostModule } from '../../electron/host/module.js';
import { memoryPipe } from '../../electron/host/rpc/memory-transport.js';
import { EventBus, RpcServer } from '../../electron/host/rpc/server.js';
import { DataKey } from '../../electron/host/storage/crypto.js';
import { Database } from '../../electron/host/storage/database.js';
import { Outbox, outboxMigrations } from '../../electron/host/storage/outbox.js';

/**
 * Test support shared by host-level tests: calling the contract and waiting
 * for events through a renderer-side client, and a HostContext with real
 * storage for testing one capability module on its own RPC server.
 */

/** Calls a method and returns its value; an error reply fails the test with its code and message. */
export async function callValue<M extends MethodName>(client: ApiClient, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  const result = await client.call(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** The next `event` whose payload satisfies `predicate`. */
export function nextEvent<E extends EventName>(client: ApiClient, event: E, predicate: (payload: EventPayload<E>) => boolean = () => true, timeoutMs = 20_000): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const off = client.on(event, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Probes until `done` holds or the time is up; returns the last value either way (the caller's expect says what was wrong). */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export type Cleanups = Array<() => Promise<void> | void>;

export interface ModuleHarness {
  context: HostContext;
  dataDir: string;
  /** Puts another content package in force and tells the subscribers, as the host does between sessions. */
  switchContent(next: ContentPackage): void;
  /** Starts `module`, registers its handlers on an RPC server and returns a client on an in-memory pipe. */
  serve(module: HostModule): Promise<ApiClient>;
}

/**
 * A HostContext like the host's (temp data dir, SQLite with the outbox, a
 * data key, the shipped content), with the receipt-printer simulator when
 * asked for. Everything it opens is closed through `cleanups`.
 */
export async function moduleHarness(cleanups: Cleanups, options: { printer?: boolean } = {}): Promise<ModuleHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-module-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = parseConfig({ developerMode: true }, 'test', { LIULIU_DATA_DIR: dataDir });
  const logger = silentLogger();
  const db = await Database.open(join(dataDir, 'liuliu.db'));
  cleanups.push(() => db.close());
  await db.migrate('outbox', outboxMigrations);
  const key = DataKey.fromBytes(randomBytes(32));
  const bus = new EventBus(logger);
  let printer: CreatedReceiptPrinter | undefined;
  if (options.printer === true) {
    const created = await createReceiptPrinter({ kind: 'simulator', outDir: join(dataDir, 'printer-jobs') }, logger);
    cleanups.push(() => created.dispose());
    printer = created;
  }
  let content = loadContent(config.contentDir);
  const listeners = new Set<(next: ContentPackage) => void>();
  const switchContent = (next: ContentPackage): void => {
    content = next;
    for (const listener of listeners) listener(next);
  };
  const context: HostContext = {
    config,
    content: () => content,
    switchContent,
    onContentChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    db,
    outbox: new Outbox(key),
    key,
    logger,
    redactor: new Redactor(),
    bus,
    devices: new DeviceRegistry(bus, logger),
    now: () => new Date(),
    printer,
    scanner: undefined,
  };
  return {
    context,
    dataDir,
    switchContent,
    async serve(module) {
      await module.start?.();
      cleanups.push(async () => module.stop?.());
      const rpc = new RpcServer(logger, bus);
      rpc.register(module.handlers);
      const pipe = memoryPipe();
      rpc.attach(pipe.host);
      return createApiClient(pipe.renderer);
    },
  };
}
