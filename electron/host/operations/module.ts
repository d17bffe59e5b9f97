import { randomUUID } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CommandResult, MAX_LOG_UPLOAD_BYTES, TerminalCommand, type Heartbeat, type HeartbeatResponse } from '../../../platform-contract/contract.js';
import { ApiError, type LogExportResult, type MaintenanceView, type OperationsView } from '../../contract/index.js';
import type { HostContext, HostModule } from '../module.js';
import { countPendingKioskOffline } from '../queue/offline-store.js';
import type { SessionManager } from '../session/manager.js';
import type { PlatformLink } from '../sync/module.js';
import type { HeartbeatInfo } from '../sync/worker.js';
import { buildLogUpload, exportLogsTo, logTargets } from './logs.js';
import { IN_SERVICE, defaultDesk, enter, parseState, view, type MaintenanceState } from './maintenance.js';
import { modelVersion, paperState } from './facts.js';
import { NO_RESTARTS, restartSummary, type RestartHistory, type RestartRequest } from './restarts.js';

/**
 * Running the terminal, from the staff screen or from the platform:
 * out of service with a notice and back, restart (through the supervisor's
 * RestartRequest), log export (to a directory or the platform), and the
 * heartbeat's health figures. Every action is logged and queued as a
 * `terminal.operation` record. A platform command that would disturb a
 * citizen (out of service, back, restart) waits until the visit ends.
 */
export interface OperationsOptions {
  requireStaff: () => void;
  restartHistory?: RestartHistory;
  requestRestart: RestartRequest;
  /** When the host started (uptime). */
  startedAt: Date;
}

export interface OperationsHostModule extends HostModule {
  /** The platform link (sync), known once the sync module exists. */
  connectPlatform(link: PlatformLink): void;
  heartbeatExtras(): Promise<Omit<HeartbeatInfo, 'appVersion' | 'devices'>>;
  onHeartbeatAnswer(answer: HeartbeatResponse, sent: Heartbeat): Promise<void>;
  maintenance(): MaintenanceView;
}

type Action = 'maintenance.enter' | 'maintenance.exit' | 'restart' | 'logs.export' | 'logs.upload';
type Actor = { by: 'staff' } | { by: 'platform'; commandId: string };

export const operationsMigrations = [
  { version: 1, name: 'create operations state', up: 'CREATE TABLE operations_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)' },
] as const;

const MAINTENANCE_KEY = 'maintenance';
const RESULTS_KEY = 'command-results';
const DONE_KEY = 'commands-done';
const DONE_KEPT = 200;
const RESTART_SYNC_WAIT_MS = 3_000;

export function operationsModule(ctx: HostContext, sessions: SessionManager, options: OperationsOptions): OperationsHostModule {
  const logger = ctx.logger.child({ module: 'operations' });
  const history = options.restartHistory ?? NO_RESTARTS;
  const logDir = join(ctx.config.dataDir, 'logs');
  const exportDirs = [join(ctx.config.dataDir, 'exports'), ...ctx.config.operations.logExportDirs];
  let state: MaintenanceState = IN_SERVICE;
  let platform: PlatformLink | null = null;
  /** A platform command waiting for the current visit to end. */
  let deferred: TerminalCommand | null = null;
  /** Results not yet seen by the platform, and ids already acted on (a command repeats in replies until reported). */
  let results: CommandResult[] = [];
  let done: string[] = [];
  const inFlight = new Set<string>();
  let restarting = false;

  const fallbackDesk = (): string | null => defaultDesk(ctx.config.operations.desk, ctx.content().hall);
  const current = (): MaintenanceView => view(state, fallbackDesk(), deferred === null || deferred.type === 'logs.upload' ? null : deferred.type);

  const save = async (key: string, value: unknown): Promise<void> => {
    await ctx.db.run('INSERT INTO operations_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, JSON.stringify(value)]);
  };
  const parseStored = <T>(text: string | undefined, schema: z.ZodType<T>, what: string): T | undefined => {
    if (text === undefined) return undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // reported below
    }
    logger.error({ what }, 'stored operations state unreadable; starting without it');
    return undefined;
  };
  const load = async (key: string): Promise<string | undefined> => (await ctx.db.get<{ value: string }>('SELECT value FROM operations_state WHERE key = ?', [key]))?.value;

  /** Logs the action and queues it for the platform. */
  const record = async (action: Action, actor: Actor, outcome: 'done' | 'failed' | 'deferred', extra: { desk?: string | null; detail?: string } = {}): Promise<void> => {
    const payload = {
      id: randomUUID(),
      at: ctx.now().toISOString(),
      terminalId: ctx.config.terminalId,
      action,
      by: actor.by,
      outcome,
      ...(actor.by === 'platform' ? { commandId: actor.commandId } : {}),
      ...(extra.desk == null ? {} : { desk: extra.desk }),
      ...(extra.detail === undefined ? {} : { detail: extra.detail.slice(0, 500) }),
    };
    const level = outcome === 'failed' ? 'warn' : 'info';
    logger[level]({ action, by: actor.by, outcome, commandId: actor.by === 'platform' ? actor.commandId : undefined, desk: extra.desk, detail: extra.detail }, 'terminal operation');
    await ctx.db.transaction((tx) => ctx.outbox.append(tx, { id: payload.id, kind: 'terminal.operation', schemaVersion: 1, payload }, ctx.now()));
  };

  const finish = async (actor: Actor, outcome: 'done' | 'failed', message?: string): Promise<void> => {
    if (actor.by !== 'platform') return;
    results = [...results.filter((result) => result.id !== actor.commandId), { id: actor.commandId, outcome, ...(message === undefined ? {} : { message: message.slice(0, 500) }), at: ctx.now().toISOString() }].slice(-100);
    done = [...done.filter((id) => id !== actor.commandId), actor.commandId].slice(-DONE_KEPT);
    await save(RESULTS_KEY, results);
    await save(DONE_KEY, done);
  };

  const setMaintenance = async (outOfService: boolean, actor: Actor, desk?: string): Promise<MaintenanceView> => {
    const action: Action = outOfService ? 'maintenance.enter' : 'maintenance.exit';
    state = outOfService ? enter(actor.by, desk ?? fallbackDesk() ?? '', ctx.now()) : IN_SERVICE;
    if (state.outOfService && state.desk === '') state = { ...state, desk: null };
    await save(MAINTENANCE_KEY, state);
    // Staff stand at the kiosk; a visit still open (left behind) is wiped as a timeout would.
    if (outOfService && sessions.current() !== null) await sessions.end('timeout');
    await record(action, actor, 'done', { desk: state.desk });
    await finish(actor, 'done');
    const next = current();
    ctx.bus.publish('maintenance.changed', next);
    platform?.syncNow().catch((err: unknown) => logger.warn({ err }, 'sync after a maintenance change failed'));
    return next;
  };

  const restart = async (actor: Actor): Promise<void> => {
    if (restarting) return;
    restarting = true;
    await record('restart', actor, 'done');
    // Reported as done before it happens: after the restart the heartbeat tells the platform, which stops repeating it.
    await finish(actor, 'done');
    // Best effort: let the record reach the platform before the host goes away.
    if (platform !== null) await Promise.race([platform.syncNow().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, RESTART_SYNC_WAIT_MS))]);
    options.requestRestart(actor.by === 'staff' ? 'restart requested by staff' : `restart requested by the platform (command ${actor.commandId})`);
  };

  const uploadLogs = async (actor: Actor): Promise<LogExportResult> => {
    if (platform === null || !platform.configured) {
      await record('logs.upload', actor, 'failed', { detail: 'no platform configured' });
      await finish(actor, 'failed', 'no platform configured');
      throw new ApiError('unavailable', 'no central platform configured: logs cannot be uploaded');
    }
    logger.flush();
    const built = buildLogUpload(logDir, MAX_LOG_UPLOAD_BYTES, ctx.now(), actor.by === 'platform' ? actor.commandId : undefined);
    const sent = await platform.uploadLogs(built.upload);
    if (!sent.ok) {
      await record('logs.upload', actor, 'failed', { detail: sent.message });
      await finish(actor, 'failed', sent.message);
      throw new ApiError('unavailable', `log upload failed: ${sent.message}`);
    }
    const detail = `${built.upload.files.length} files, ${sent.bytes} bytes${built.truncated ? ', older lines left out' : ''}`;
    await record('logs.upload', actor, 'done', { detail });
    await finish(actor, 'done', detail);
    return { destination: 'platform', files: built.upload.files.length, bytes: sent.bytes, truncated: built.truncated };
  };

  const execute = async (command: TerminalCommand): Promise<void> => {
    const actor: Actor = { by: 'platform', commandId: command.id };
    switch (command.type) {
      case 'maintenance.enter':
        await setMaintenance(true, actor, command.desk);
        return;
      case 'maintenance.exit':
        await setMaintenance(false, actor);
        return;
      case 'restart':
        await restart(actor);
        return;
      case 'logs.upload':
        // A failure is recorded and reported by uploadLogs itself.
        await uploadLogs(actor).catch(() => undefined);
        return;
    }
  };

  const onCommand = async (raw: unknown): Promise<void> => {
    const parsed = TerminalCommand.safeParse(raw);
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
    if (id === null || done.includes(id) || inFlight.has(id) || deferred?.id === id) return;
    if (!parsed.success) {
      logger.warn({ commandId: id, issues: parsed.error.issues.slice(0, 3) }, 'platform command not understood; reported as failed');
      await finish({ by: 'platform', commandId: id }, 'failed', 'command not understood by this terminal');
      return;
    }
    const command = parsed.data;
    if (command.type !== 'logs.upload' && sessions.current() !== null) {
      // Never in the middle of a citizen's visit: it runs when the visit ends.
      deferred = command;
      await record(command.type, { by: 'platform', commandId: command.id }, 'deferred', { detail: 'waits for the current visit to end' });
      ctx.bus.publish('maintenance.changed', current());
      return;
    }
    inFlight.add(command.id);
    try {
      await execute(command);
    } catch (err) {
      logger.error({ err, commandId: command.id }, 'platform command failed');
      await finish({ by: 'platform', commandId: command.id }, 'failed', err instanceof Error ? err.message : String(err));
    } finally {
      inFlight.delete(command.id);
    }
  };

  return {
    name: 'operations',
    maintenance: current,
    connectPlatform(link) {
      platform = link;
    },
    async heartbeatExtras() {
      const summary = restartSummary(history);
      const disk = (() => {
        try {
          const stats = statfsSync(ctx.config.dataDir);
          return { dataDirFreeBytes: stats.bavail * stats.bsize, dataDirTotalBytes: stats.blocks * stats.bsize };
        } catch {
          return {};
        }
      })();
      const oldest = await ctx.outbox.oldestPendingAt(ctx.db);
      // An embedded-queue kiosk never issues offline (it is the hall's queue), so it has no such table: none waiting.
      const offline = await countPendingKioskOffline(ctx.db).catch(() => 0);
      const printer = ctx.devices.list().find((status) => status.device === 'printer');
      const content = ctx.content();
      return {
        uptimeSeconds: Math.max(0, Math.round((ctx.now().getTime() - options.startedAt.getTime()) / 1000)),
        restartsSinceBoot: summary.restartsSinceBoot,
        lastRestart: summary.lastRestart,
        ...disk,
        hostRssBytes: process.memoryUsage.rss(),
        systemFreeMemoryBytes: freemem(),
        systemTotalMemoryBytes: totalmem(),
        oldestPendingSeconds: oldest === null ? null : Math.max(0, Math.round((ctx.now().getTime() - oldest.getTime()) / 1000)),
        ...(offline === undefined ? {} : { offlineTicketsWaiting: offline }),
        printerPaper: paperState(printer, ctx.printer !== undefined),
        contentHash: content.hash.slice(0, 12),
        modelVersion: modelVersion(content),
        maintenance: { outOfService: state.outOfService, desk: state.outOfService ? (state.desk ?? fallbackDesk()) : null, since: state.since },
        ...(results.length > 0 ? { commandResults: results } : {}),
      };
    },
    async onHeartbeatAnswer(answer, sent) {
      const seen = sent.commandResults ?? [];
      if (seen.length > 0) {
        // The platform has them: stop reporting (a result that changed meanwhile is sent again).
        results = results.filter((result) => !seen.some((reported) => reported.id === result.id && reported.at === result.at));
        await save(RESULTS_KEY, results);
      }
      for (const command of answer.commands ?? []) await onCommand(command);
    },
    handlers: {
      'maintenance.status': () => current(),
      'maintenance.set': async ({ outOfService, desk }) => {
        options.requireStaff();
        return setMaintenance(outOfService, { by: 'staff' }, desk);
      },
      'ops.status': (): OperationsView => {
        options.requireStaff();
        const summary = restartSummary(history);
        return {
          maintenance: current(),
          uptimeSeconds: Math.max(0, Math.round((ctx.now().getTime() - options.startedAt.getTime()) / 1000)),
          restartsSinceBoot: summary.restartsSinceBoot,
          restarts: summary.newestFirst.slice(0, 20),
          logTargets: logTargets(exportDirs),
          canUpload: platform?.configured ?? false,
        };
      },
      'ops.restart': async () => {
        options.requireStaff();
        // Answered first; the restart follows.
        setTimeout(() => void restart({ by: 'staff' }).catch((err: unknown) => logger.error({ err }, 'restart failed')), 0);
        return { ok: true as const };
      },
      'ops.exportLogs': async ({ to }) => {
        options.requireStaff();
        if (to === 'platform') return uploadLogs({ by: 'staff' });
        const target = logTargets(exportDirs).find((candidate) => candidate.path === to.directory);
        if (target === undefined) throw new ApiError('bad_request', 'not one of the offered export directories', { field: 'to' });
        const folder = `liuliu-logs-${ctx.config.terminalId}-${ctx.now().toISOString().replace(/[:.]/g, '-')}`;
        logger.flush();
        try {
          const copied = exportLogsTo(logDir, target.path, folder);
          await record('logs.export', { by: 'staff' }, 'done', { detail: `${copied.files} files to ${copied.directory}` });
          return { destination: copied.directory, files: copied.files, bytes: copied.bytes, truncated: false };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          await record('logs.export', { by: 'staff' }, 'failed', { detail: message });
          throw new ApiError('unavailable', `log export failed: ${message}`);
        }
      },
    },
    async start() {
      await ctx.db.migrate('operations', operationsMigrations);
      const stored = parseState(await load(MAINTENANCE_KEY));
      if (stored === null) logger.error('stored maintenance state unreadable; the kiosk starts in service');
      state = stored ?? IN_SERVICE;
      const storedResults = await load(RESULTS_KEY);
      const storedDone = await load(DONE_KEY);
      results = parseStored(storedResults, z.array(CommandResult), 'command results') ?? [];
      done = parseStored(storedDone, z.array(z.string()), 'done command ids') ?? [];
      if (state.outOfService) logger.warn({ since: state.since, by: state.by, desk: state.desk }, 'kiosk starts out of service');
      sessions.closeWhile(() => state.outOfService);
      sessions.onEnd(() => {
        if (deferred === null) return;
        const command = deferred;
        deferred = null;
        // After the visit's own end hooks: the attract screen comes first, then the change.
        setTimeout(() => void onCommand(command), 0);
      });
    },
  };
}
