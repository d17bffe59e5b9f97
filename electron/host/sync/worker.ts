import { MAX_BATCH_RECORDS, contentEtag, type CaseStatusChange, type Heartbeat, type HeartbeatResponse, type LogUpload, type LogUploadResponse } from '../../../platform/contract.js';
import type { Logger } from '../logging/logger.js';
import type { Database, Migration } from '../storage/database.js';
import { outboxMigrations, type DeadLetter, type Outbox } from '../storage/outbox.js';
import { PlatformClient, describeError, type CallError, type CallResult } from './client.js';
import { ContentRefused, validateContentDir, type ContentStore, type ContentValidator, type StagedContent } from './content.js';
import { DEFAULT_BACKOFF, interpretAcks, planBatch, retrySchedule, sameStatus, type BackoffPolicy, type SyncStatus } from './state.js';

/**
 * The sync worker: drains the outbox to the platform, pulls content packages
 * and case status changes, and sends heartbeats. Each record stays `pending`
 * in the outbox until the platform acknowledges it, and the platform
 * deduplicates by record id, so a crash at any point (even kill -9 mid-batch)
 * only causes a resend the platform answers with `duplicate`.
 */
export interface SyncConfig {
  baseUrl: string;
  terminalId: string;
  secret: string;
  /** Records per request (at most 500, the contract's limit). */
  batchSize: number;
  /** Time between sync cycles when nothing is backing off sooner. */
  intervalMs: number;
  /** Synced outbox rows (with their sealed personal payloads) are deleted this many days after sync. */
  retentionDays: number;
  timeoutMs?: number;
  /** Request body bound; keep it under the platform's body limit (1 MiB on the reference server). */
  maxBatchBytes?: number;
  maxResponseBytes?: number;
  backoff?: BackoffPolicy;
  caseStatusPageSize?: number;
}

export interface ContentHooks {
  store: ContentStore;
  /** Defaults to the content schemas; the host may pass one that also checks cross-file invariants. */
  validate?: ContentValidator;
  /** A new package is staged; the host activates it (store.activate) between citizen sessions. */
  onContentReady: (staged: StagedContent) => void | Promise<void>;
}

export interface SyncWorkerOptions {
  db: Database;
  outbox: Outbox;
  logger: Logger;
  config: SyncConfig;
  now: () => Date;
  content?: ContentHooks;
  /** Applies pulled case status changes; the cursor advances only after it resolves. */
  applyCaseStatus?: (changes: CaseStatusChange[]) => void | Promise<void>;
  /**
   * What the heartbeat reports besides the sync figures. A heartbeat goes out
   * every cycle, so `online` stays true even when there is nothing to push.
   */
  heartbeat?: () => HeartbeatInfo | Promise<HeartbeatInfo>;
  /** The platform's answer to a heartbeat (commands for the terminal), with the heartbeat it answers. */
  onHeartbeatAnswer?: (answer: HeartbeatResponse, sent: Heartbeat) => void | Promise<void>;
  random?: () => number;
}

/** The heartbeat without the figures the worker fills in itself. */
export type HeartbeatInfo = Omit<Heartbeat, 'at' | 'contentVersion' | 'backlog' | 'deadLetters'>;

export const syncMigrations: readonly Migration[] = [
  { version: 1, name: 'create sync state', up: 'CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)' },
];

const CASE_CURSOR = 'case-status-cursor';
const MAX_CASE_PAGES_PER_CYCLE = 20;
const DAY_MS = 86_400_000;

export class SyncWorker {
  private readonly client: PlatformClient;
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private latest: SyncStatus = { online: false, backlog: 0, deadLetters: 0, lastSyncAt: null, lastError: null };
  /** What listeners last heard, so they hear only changes. */
  private published: SyncStatus = this.latest;
  private prepared: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private followUp: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private nextDueAt: Date | null = null;
  /** Package hashes refused on this run, with the reason: not downloaded again. */
  private readonly refusedContent = new Map<string, string>();
  /** Versions handed to onContentReady on this run. */
  private readonly announcedContent = new Set<string>();

  constructor(private readonly options: SyncWorkerOptions) {
    const { config, logger, now } = options;
    this.backoff = config.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.client = new PlatformClient({
      baseUrl: config.baseUrl,
      terminalId: config.terminalId,
      secret: config.secret,
      now,
      logger,
      ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      ...(config.maxResponseBytes === undefined ? {} : { maxResponseBytes: config.maxResponseBytes }),
    });
  }

  /** Prepares the tables and starts syncing every `intervalMs` (sooner when a retry falls due). */
  async start(): Promise<void> {
    await this.prepare();
    this.started = true;
    this.schedule(0);
  }

  /** Stops the timer and waits for a cycle in progress to finish. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.followUp;
    await this.running;
    this.client.close();
  }

  /**
   * Runs one full cycle and resolves with the status after it. If a cycle is
   * already running, a fresh one follows it (callers that arrive meanwhile
   * share that one), so records queued before the call are always included.
   */
  async syncNow(): Promise<SyncStatus> {
    if (this.followUp) await this.followUp;
    else if (this.running) {
      this.followUp = this.running.then(() => {
        this.followUp = null;
        return this.runCycle();
      });
      await this.followUp;
    } else await this.runCycle();
    return this.latest;
  }

  status(): SyncStatus {
    return this.latest;
  }

  /** Called on every status change; the host forwards it as device status `platform` (see platformHealth). */
  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records the platform refused for good, for staff. */
  async deadLetters(): Promise<DeadLetter[]> {
    await this.prepare();
    return this.options.outbox.deadLetters(this.options.db);
  }

  /** Sends the terminal's log files to the platform (staff or a platform command asked). */
  uploadLogs(upload: LogUpload): Promise<CallResult<LogUploadResponse>> {
    return this.client.uploadLogs(upload);
  }

  /** The platform clock minus ours, as learned from a timestamp refusal (0 until then). */
  clockOffsetMs(): number {
    return this.client.offsetMs;
  }

  private runCycle(): Promise<void> {
    this.running = this.cycle().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await this.options.db.migrate('outbox', outboxMigrations);
      await this.options.db.migrate('sync', syncMigrations);
    })();
    return this.prepared;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.syncNow()
        .catch((err: unknown) => this.options.logger.error({ err }, 'sync cycle failed'))
        .finally(() => this.schedule(this.nextDelay()));
    }, delayMs);
    this.timer.unref();
  }

  private nextDelay(): number {
    const { intervalMs } = this.options.config;
    if (this.nextDueAt === null) return intervalMs;
    return Math.max(0, Math.min(intervalMs, this.nextDueAt.getTime() - this.options.now().getTime()));
  }

  private async cycle(): Promise<void> {
    await this.prepare();
    const errors: string[] = [];
    const step = async (name: string, work: () => Promise<string | null>): Promise<void> => {
      try {
        const error = await work();
        if (error !== null) errors.push(error);
      } catch (err) {
        // A bug or a storage failure in one step must not stop the others or the timer.
        this.options.logger.error({ err, step: name }, 'sync step failed');
        errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    await step('push', () => this.push());
    const pushed = errors.length === 0;
    await step('purge', () => this.purge());
    // When the push could not reach the platform, the other calls would only wait for the same timeout.
    if (pushed || this.latest.online) {
      await step('heartbeat', () => this.sendHeartbeat());
      if (this.options.content) await step('content', () => this.pullContent());
      if (this.options.applyCaseStatus) await step('case status', () => this.pullCaseStatus());
    }
    // "In sync" = everything due was acknowledged and the platform answered this cycle.
    const inSync = pushed && this.latest.online;
    await this.publish({ lastError: errors[0] ?? null, ...(inSync ? { lastSyncAt: this.options.now().toISOString() } : {}) });
  }

  /** Sends batches until nothing is due; returns the error that stopped it, if any. */
  private async push(): Promise<string | null> {
    const { db, outbox, config, logger, now } = this.options;
    const limits = { maxRecords: Math.min(config.batchSize, MAX_BATCH_RECORDS), maxBytes: config.maxBatchBytes ?? 900 * 1024 };
    let problem: string | null = null;
    for (;;) {
      const rows = await outbox.queued(db, limits.maxRecords * 4);
      const plan = planBatch(rows, now(), limits);
      this.nextDueAt = plan.nextDueAt;
      if (plan.unsendable.length > 0) {
        await db.transaction((tx) => outbox.markDead(tx, plan.unsendable, now()));
        for (const dead of plan.unsendable) logger.warn({ id: dead.id, reason: dead.reason }, 'outbox record cannot be sent; dead-lettered');
      }
      if (plan.records.length === 0) {
        if (plan.unsendable.length > 0) continue;
        return problem;
      }
      const attempts = new Map(rows.map((row) => [row.id, row.attempts]));
      const sent = plan.records.map((record) => ({ id: record.id, attempts: attempts.get(record.id) ?? 0 }));
      const result = await this.client.pushBatch(plan.records);
      if (!result.ok) {
        const message = describeError(result.error);
        const schedule = retrySchedule(sent, now(), this.backoff, this.random);
        await db.transaction((tx) => outbox.recordAttempt(tx, schedule, message));
        this.nextDueAt = earliest(schedule.map((row) => row.nextAttemptAt));
        this.markOffline(result.error);
        logger.warn({ error: message, records: sent.length }, 'sync batch failed; will retry');
        return message;
      }
      const outcome = interpretAcks(
        sent.map((row) => row.id),
        result.value.acks,
      );
      const unacked = new Set(outcome.unacked);
      const retry = retrySchedule(
        sent.filter((row) => unacked.has(row.id)),
        now(),
        this.backoff,
        this.random,
      );
      await db.transaction(async (tx) => {
        await outbox.markSynced(tx, outcome.synced, now());
        await outbox.markDead(tx, outcome.rejected, now());
        await outbox.recordAttempt(tx, retry, 'not acknowledged by the platform');
      });
      this.latest = { ...this.latest, online: true };
      for (const dead of outcome.rejected) logger.warn({ id: dead.id, reason: dead.reason }, 'platform rejected a record; dead-lettered');
      if (outcome.strays.length > 0) logger.warn({ strays: outcome.strays.length }, 'platform acknowledged records that were not sent; ignored');
      if (outcome.unacked.length > 0) problem = `${outcome.unacked.length} records not acknowledged; retrying`;
    }
  }

  private async purge(): Promise<string | null> {
    const { db, outbox, config, logger, now } = this.options;
    const purged = await outbox.purgeSynced(db, new Date(now().getTime() - config.retentionDays * DAY_MS));
    if (purged > 0) logger.info({ purged, retentionDays: config.retentionDays }, 'purged synced outbox rows past retention');
    return null;
  }

  private async sendHeartbeat(): Promise<string | null> {
    const { db, outbox, now, content } = this.options;
    const info = (await this.options.heartbeat?.()) ?? { appVersion: 'unknown', devices: {} };
    const counts = await outbox.counts(db);
    const heartbeat: Heartbeat = {
      ...info,
      at: now().toISOString(),
      contentVersion: content?.store.current()?.version ?? null,
      backlog: counts.pending,
      deadLetters: counts.dead,
    };
    const result = await this.client.heartbeat(heartbeat);
    if (result.ok) await this.options.onHeartbeatAnswer?.(result.value, heartbeat);
    return this.outcome(result);
  }

  private async pullContent(): Promise<string | null> {
    const hooks = this.options.content;
    if (!hooks) return null;
    const { store } = hooks;
    const { logger } = this.options;
    const held = store.current();
    const current = await this.client.contentCurrent(held === null ? null : contentEtag(held.version, held.sha256));
    const failed = this.outcome(current);
    if (failed !== null || !current.ok) return failed;
    const announced = current.value;
    if (announced === 'not-modified' || announced === 'none') return null;
    const staged = store.staged(announced.version);
    if (staged?.sha256 === announced.sha256) return this.announce(hooks, staged);
    const refusal = this.refusedContent.get(announced.sha256);
    if (refusal !== undefined) return refusal;

    const bundle = await this.client.contentPackage(announced.version);
    const downloadFailed = this.outcome(bundle);
    if (downloadFailed !== null || !bundle.ok) return downloadFailed;
    if (bundle.value.sha256 !== announced.sha256 || bundle.value.version !== announced.version) return `content ${announced.version} changed during download; will retry`;
    try {
      const fresh = store.stage(bundle.value, hooks.validate ?? validateContentDir);
      logger.info({ version: fresh.version, sha256: fresh.sha256 }, 'content package staged');
      return await this.announce(hooks, fresh);
    } catch (err) {
      if (!(err instanceof ContentRefused)) throw err;
      logger.error({ version: err.version, reason: err.reason }, 'content package refused; keeping the current one');
      this.refusedContent.set(announced.sha256, err.message);
      return err.message;
    }
  }

  private async announce(hooks: ContentHooks, staged: StagedContent): Promise<string | null> {
    if (hooks.store.current()?.version === staged.version || this.announcedContent.has(`${staged.version}:${staged.sha256}`)) return null;
    await hooks.onContentReady(staged);
    this.announcedContent.add(`${staged.version}:${staged.sha256}`);
    return null;
  }

  private async pullCaseStatus(): Promise<string | null> {
    const { db, applyCaseStatus, config } = this.options;
    if (!applyCaseStatus) return null;
    let cursor = (await db.get<{ value: string }>('SELECT value FROM sync_state WHERE key = ?', [CASE_CURSOR]))?.value ?? null;
    for (let page = 0; page < MAX_CASE_PAGES_PER_CYCLE; page += 1) {
      const result = await this.client.caseStatusChanges(cursor, config.caseStatusPageSize ?? 100);
      const failed = this.outcome(result);
      if (failed !== null || !result.ok) return failed;
      if (result.value.changes.length > 0) await applyCaseStatus(result.value.changes);
      // Only after the host has applied the changes: a crash before this line re-fetches them.
      if (result.value.cursor !== cursor) {
        cursor = result.value.cursor;
        await db.run('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [CASE_CURSOR, cursor]);
      }
      if (!result.value.more) return null;
    }
    return null;
  }

  /** Notes reachability from a call's result; returns its error text, or null. */
  private outcome(result: { ok: true } | { ok: false; error: CallError }): string | null {
    if (result.ok) {
      this.latest = { ...this.latest, online: true };
      return null;
    }
    this.markOffline(result.error);
    return describeError(result.error);
  }

  private markOffline(error: CallError): void {
    // A 4xx other than auth means the platform answered and understood us; it is a refusal, not an outage.
    if (error.kind !== 'refused') this.latest = { ...this.latest, online: false };
  }

  private async publish(change: Partial<SyncStatus>): Promise<void> {
    const counts = await this.options.outbox.counts(this.options.db);
    const next: SyncStatus = { ...this.latest, ...change, backlog: counts.pending, deadLetters: counts.dead };
    this.latest = next;
    if (sameStatus(next, this.published)) return;
    this.published = next;
    for (const listener of this.listeners) {
      try {
        listener(next);
      } catch (err) {
        this.options.logger.error({ err }, 'sync status listener failed');
      }
    }
  }
}

function earliest(dates: readonly Date[]): Date | null {
  return dates.reduce<Date | null>((min, date) => (min === null || date < min ? date : min), null);
}
