import type { BlobSource } from './blobs.js';
import { readFileSync } from 'node:fs';
import type { CaseStatusChange, Heartbeat, HeartbeatResponse, LogUpload, Reply } from '../../../platform-contract/contract.js';
import { deviceReason, deviceReasonText, type DeviceReason } from '../../common/device-reasons.js';
import { ApiError, type SyncStatusView } from '../../contract/index.js';
import type { ResolvedConfig } from '../config/load.js';
import { loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import type { Logger } from '../logging/logger.js';
import type { HostContext, HostModule } from '../module.js';
import type { SessionManager } from '../session/manager.js';
import { ContentStore, type StagedContent } from './content.js';
import { platformHealth, type SyncStatus } from './state.js';
import { SyncWorker, type HeartbeatInfo, type SyncConfig } from './worker.js';
import { describeError } from './client.js';
import { materialLookup, type MaterialLookup } from './materials.js';

/**
 * The sync capability in the host: runs the SyncWorker against the configured
 * platform, reports it as device `platform`, puts downloaded content packages
 * in force between citizen sessions (never during one), hands pulled case
 * status changes to the cases capability, and serves the staff controls
 * (behind the host's staff PIN guard).
 */

/** Where pulled case status changes go (the cases capability). Must be idempotent per `seq`: a crash re-delivers. */
export type CaseStatusSink = (changes: CaseStatusChange[]) => void | Promise<void>;

export interface SyncModuleOptions {
  appVersion: string;
  /** The host's staff PIN guard (electron/host/staff): sync controls and dead letters are for staff. */
  requireStaff: () => void;
  applyCaseStatus?: CaseStatusSink;
  /** The pages case records name (the cases module's `pageBlobs`): uploaded before each case, released after retention. */
  blobs?: BlobSource;
  /** Staff answers to consultations (the guide module's `applyReplies`). */
  applyReplies?: (replies: Reply[]) => Promise<void>;
  /** How long requestSync waits for more records before syncing (default 2 s). */
  requestDelayMs?: number;
  /** More heartbeat fields (electron/host/operations): health figures, maintenance, command results. */
  heartbeatExtras?: () => Promise<Omit<HeartbeatInfo, 'appVersion' | 'devices'>>;
  /** The platform's answer to a heartbeat: its commands go to electron/host/operations. */
  onHeartbeatAnswer?: (answer: HeartbeatResponse, sent: Heartbeat) => void | Promise<void>;
}

/** What other host modules may do with the platform link. */
export interface PlatformLink {
  /** A platform is configured and its secret readable. */
  readonly configured: boolean;
  uploadLogs(upload: LogUpload): Promise<{ ok: true; bytes: number } | { ok: false; message: string }>;
  /** Runs a sync cycle now (records queued just before are sent). */
  syncNow(): Promise<void>;
}

export interface SyncHostModule extends HostModule, PlatformLink {
  /** Asks for a sync soon (debounced): modules call it after queueing records. Does nothing when no platform is configured. */
  requestSync(): void;
  /** The staged package waiting for the current session to end, if any. */
  pendingContent(): StagedContent | null;
  /** 一号: a citizen's earlier materials, asked by the keyed hash of her ID number (electron/host/sync/materials.ts); `off` without a platform or citizen-key secret. */
  reusableMaterials: MaterialLookup;
}

/** What the config says about the platform: off (no baseUrl), unusable (the secret cannot be read: why, in English for logs, and as the device reason), or ready. */
export type PlatformSettings = { kind: 'off' } | { kind: 'unusable'; reason: string; health: DeviceReason } | { kind: 'ready'; sync: SyncConfig };

const MIN_SECRET_LENGTH = 16;

export function platformSettings(config: ResolvedConfig, readSecretFile: (file: string) => string = (file) => readFileSync(file, 'utf8')): PlatformSettings {
  const { platform } = config;
  if (platform.baseUrl === undefined) return { kind: 'off' };
  let secret = platform.secret;
  if (secret === undefined && platform.secretFile !== undefined) {
    try {
      secret = readSecretFile(platform.secretFile).trim();
    } catch (err) {
      const detail = (err as NodeJS.ErrnoException).code ?? String(err);
      return { kind: 'unusable', reason: `platform secret file unreadable (${detail})`, health: deviceReason('device.platformSecretUnreadable', { detail }) };
    }
  }
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    return { kind: 'unusable', reason: `platform secret missing or shorter than ${MIN_SECRET_LENGTH} characters`, health: deviceReason('device.platformSecretShort', { min: MIN_SECRET_LENGTH }) };
  }
  return {
    kind: 'ready',
    sync: {
      baseUrl: platform.baseUrl,
      terminalId: config.terminalId,
      secret,
      batchSize: platform.batchSize,
      intervalMs: platform.intervalSeconds * 1000,
      retentionDays: platform.retentionDays,
    },
  };
}

/**
 * The content package the host starts with: the one downloaded from the
 * platform and activated last (`<dataDir>/content/current`) when a platform is
 * configured and that package still loads, else the configured/shipped one.
 * Called by startHost before anything else is opened.
 */
export function startupContent(config: ResolvedConfig, logger: Logger): ContentPackage {
  if (config.platform.baseUrl !== undefined) {
    const downloaded = new ContentStore(config.dataDir).current();
    if (downloaded !== null) {
      try {
        const content = loadContent(downloaded.dir);
        logger.info({ version: downloaded.version, dir: downloaded.dir }, 'starting with the content package downloaded from the platform');
        return content;
      } catch (err) {
        logger.error({ err, version: downloaded.version }, 'downloaded content package no longer loads; starting with the shipped one');
      }
    }
  }
  return loadContent(config.contentDir);
}

function truncate(text: string | undefined, max: number): string | undefined {
  return text === undefined || text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function syncModule(ctx: HostContext, sessions: SessionManager, options: SyncModuleOptions): SyncHostModule {
  const settings = platformSettings(ctx.config);
  const logger = ctx.logger.child({ module: 'sync' });
  const store = settings.kind === 'ready' ? new ContentStore(ctx.config.dataDir) : null;
  let pending: StagedContent | null = null;
  let requestTimer: NodeJS.Timeout | null = null;

  const { requireStaff } = options;
  /** Validates a staged package and puts it in force; a package that does not load is refused and the current one stays. */
  const switchTo = (staged: StagedContent): void => {
    if (store === null) return;
    let next: ContentPackage;
    try {
      next = loadContent(staged.dir);
    } catch (err) {
      logger.error({ err, version: staged.version }, 'content package refused; keeping the current one');
      return;
    }
    store.activate(staged.version);
    ctx.switchContent(next);
  };

  const onContentReady = (staged: StagedContent): void => {
    if (sessions.current() === null) {
      pending = null;
      switchTo(staged);
      return;
    }
    // A citizen is in the middle of a visit: the hall must not change under them.
    pending = staged;
    logger.info({ version: staged.version }, 'content package ready; it goes in force when the current session ends');
  };

  const worker =
    settings.kind === 'ready' && store !== null
      ? new SyncWorker({
          db: ctx.db,
          outbox: ctx.outbox,
          logger,
          now: ctx.now,
          config: settings.sync,
          content: { store, validate: (dir) => void loadContent(dir), onContentReady },
          ...(options.applyCaseStatus === undefined ? {} : { applyCaseStatus: options.applyCaseStatus }),
          ...(options.blobs === undefined ? {} : { blobs: options.blobs }),
          ...(options.applyReplies === undefined ? {} : { applyReplies: options.applyReplies }),
          heartbeat: async () => ({
            ...(await options.heartbeatExtras?.()),
            appVersion: options.appVersion,
            devices: Object.fromEntries(
              ctx.devices.list().map((status) => [status.device, { state: status.state, ...(status.reason === undefined ? {} : { reason: truncate(deviceReasonText(status.reason), 500) }) }]),
            ),
          }),
          ...(options.onHeartbeatAnswer === undefined ? {} : { onHeartbeatAnswer: options.onHeartbeatAnswer }),
        })
      : null;

  // Counts are read fresh: records queued since the last cycle show in the backlog at once.
  const view = async (status: SyncStatus | null): Promise<SyncStatusView> => {
    const counts = await ctx.outbox.counts(ctx.db);
    if (status !== null) return { configured: true, ...status, backlog: counts.pending, deadLetters: counts.dead };
    return { configured: false, online: false, backlog: counts.pending, deadLetters: counts.dead, lastSyncAt: null, lastError: settings.kind === 'unusable' ? settings.reason : null };
  };

  let unsubscribe: (() => void) | undefined;
  const requestSync = (): void => {
    if (worker === null || requestTimer !== null) return;
    requestTimer = setTimeout(() => {
      requestTimer = null;
      worker.syncNow().catch((err: unknown) => logger.error({ err }, 'requested sync failed'));
    }, options.requestDelayMs ?? 2_000);
    requestTimer.unref();
  };

  return {
    name: 'sync',
    handlers: {
      'sync.status': () => view(worker?.status() ?? null),
      'sync.now': async () => {
        requireStaff();
        // English for the log (the staff screen shows the platform device's reason in its own words).
        if (worker === null) throw new ApiError('unavailable', settings.kind === 'unusable' ? 'platform settings unusable (see the platform device status)' : 'no central platform configured');
        return view(await worker.syncNow());
      },
      'sync.deadLetters': () => {
        requireStaff();
        return ctx.outbox.deadLetters(ctx.db);
      },
    },
    async start() {
      sessions.onEnd(() => {
        if (pending === null) return;
        const staged = pending;
        pending = null;
        switchTo(staged);
      });
      if (worker === null) {
        ctx.devices.report('platform', settings.kind === 'unusable' ? { state: 'error', reason: settings.health } : { state: 'degraded', reason: deviceReason('device.platformNotConfigured', {}) });
        return;
      }
      ctx.devices.report('platform', { state: 'starting', reason: deviceReason('device.platformConnecting', {}), endpoint: settings.kind === 'ready' ? settings.sync.baseUrl : undefined });
      worker.onStatus((status) => {
        ctx.devices.report('platform', platformHealth(status));
        ctx.bus.publish('sync.status', { configured: true, ...status });
      });
      await worker.start();
      // A visit begins or ends: push what it queued, and pull what came for the citizen (status changes, replies) while she is here.
      unsubscribe = ctx.bus.subscribe((event) => {
        if (event === 'session.changed') requestSync();
      });
    },
    async stop() {
      unsubscribe?.();
      if (requestTimer !== null) clearTimeout(requestTimer);
      requestTimer = null;
      await worker?.stop();
    },
    requestSync,
    pendingContent: () => pending,
    reusableMaterials: materialLookup({ settings, config: ctx.config, logger, now: ctx.now }),
    configured: worker !== null,
    async uploadLogs(upload) {
      if (worker === null) return { ok: false, message: settings.kind === 'unusable' ? 'platform settings unusable (see the platform device status)' : 'no central platform configured' };
      const result = await worker.uploadLogs(upload);
      return result.ok ? { ok: true, bytes: result.value.bytes } : { ok: false, message: describeError(result.error) };
    },
    async syncNow() {
      await worker?.syncNow();
    },
  };
}
