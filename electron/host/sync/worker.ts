import { MAX_BATCH_RECORDS, casePageHashes, contentEtag, type CaseStatusChange, type Heartbeat, type HeartbeatResponse, type LogUpload, type LogUploadResponse, type Reply, type SyncRecord } from '../../../platform-contract/contract.js';
import type { Logger } from '../logging/logger.js';
import type { Database, Migration } from '../storage/database.js';
import { outboxMigrations, type DeadLetter, type Outbox } from '../storage/outbox.js';
import { uploadBlob, type BlobSource } from './blobs.js';
import { PlatformClient, describeError, type CallError, type CallResult } from './client.js';
import { ContentRefused, validateContentDir, type ContentStore, type ContentValidator, type StagedContent } from './content.js';
import { DEFAULT_BACKOFF, planAnswer, planBatch, retrySchedule, sameStatus, type BackoffPolicy, type SyncStatus } from './state.js';

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
  /** Bytes per page-upload chunk (default and maximum: the contract's 256 KiB). */
  blobChunkBytes?: number;
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
   * The pages `case` records name (the cases store): uploaded before the
   * record, released `retentionDays` after the platform held them. Without
   * it case records go alone, and the platform rejects those naming pages.
   */
  blobs?: BlobSource;
  /** Stores staff answers to this terminal's consultations and complaints (idempotent per reply); the cursor advances only after it resolves. */
  applyReplies?: (replies: Reply[]) => void | Promise<void>;
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
  { version: 2, name: 'pages the platform holds', up: 'CREATE TABLE blob_uploads (sha256 TEXT PRIMARY KEY, uploaded_at TEXT NOT NULL, released_at TEXT)' },
];

const CASE_CURSOR = 'case-status-cursor';
const REPLIES_CURSOR = 'replies-cursor';
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
      if (this.options.applyReplies) await step('replies', () => this.pullReplies());
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
      // One batch's worth of rows first: each row read is also decrypted, and while a backlog drains every row is due.
      // Only when rows of a held kind (waiting for their retry) kept the batch short, look further down the queue.
      let rows = await outbox.queued(db, limits.maxRecords);
      let plan = planBatch(rows, now(), limits);
      if (plan.nextDueAt !== null && rows.length === limits.maxRecords && plan.records.length < limits.maxRecords) {
        rows = await outbox.queued(db, limits.maxRecords * 4);
        plan = planBatch(rows, now(), limits);
      }
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
      const fail = async (error: CallError, what: string): Promise<string> => {
        const message = describeError(error);
        const schedule = retrySchedule(sent, now(), this.backoff, this.random);
        await db.transaction((tx) => outbox.recordAttempt(tx, schedule, message));
        this.nextDueAt = earliest(schedule.map((row) => row.nextAttemptAt));
        this.markOffline(error);
        logger.warn({ error: message, records: sent.length }, `${what} failed; will retry`);
        return message;
      };
      // Pages first: the platform accepts a case only when it holds every page the case names.
      const pagesFailed = await this.uploadPages(plan.records);
      if (pagesFailed !== null) return fail(pagesFailed, 'page upload');
      const result = await this.client.pushBatch(plan.records);
      if (!result.ok) return fail(result.error, 'sync batch');
      const outcome = planAnswer(sent, result.value.acks, now(), this.backoff, this.random);
      await db.transaction(async (tx) => {
        await outbox.markSynced(tx, outcome.synced, now());
        await outbox.markDead(tx, outcome.rejected, now());
        await outbox.recordAttempt(tx, outcome.backOff, 'not acknowledged by the platform');
      });
      this.latest = { ...this.latest, online: true };
      for (const dead of outcome.rejected) logger.warn({ id: dead.id, reason: dead.reason }, 'platform rejected a record; dead-lettered');
      if (outcome.strays.length > 0) logger.warn({ strays: outcome.strays.length }, 'platform acknowledged records that were not sent; ignored');
      if (outcome.resendNow.length > 0) logger.debug({ records: outcome.resendNow.length }, 'partial acknowledgement; resending the rest at once');
      if (outcome.backOff.length > 0) {
        this.nextDueAt = earliest(outcome.backOff.map((row) => row.nextAttemptAt));
        problem = `${outcome.backOff.length} records not acknowledged; retrying`;
      }
    }
  }

  private async purge(): Promise<string | null> {
    const { db, outbox, config, logger, now, blobs } = this.options;
    const before = new Date(now().getTime() - config.retentionDays * DAY_MS);
    const purged = await outbox.purgeSynced(db, before);
    if (purged > 0) logger.info({ purged, retentionDays: config.retentionDays }, 'purged synced outbox rows past retention');
    if (blobs) {
      const due = await db.all<{ sha256: string }>('SELECT sha256 FROM blob_uploads WHERE released_at IS NULL AND uploaded_at < ?', [before.toISOString()]);
      if (due.length > 0) {
        const hashes = due.map((row) => row.sha256);
        await blobs.release(hashes);
        const at = now().toISOString();
        await db.transaction(async (tx) => {
          for (const sha256 of hashes) await tx.run('UPDATE blob_uploads SET released_at = ? WHERE sha256 = ?', [at, sha256]);
        });
        logger.info({ pages: hashes.length, retentionDays: config.retentionDays }, 'released page images the platform holds, past retention');
      }
    }
    return null;
  }

  /** Uploads every page the records name that the platform is not known to hold; the error that stopped it, or null. */
  private async uploadPages(records: readonly SyncRecord[]): Promise<CallError | null> {
    const { blobs, db, logger, now, config } = this.options;
    if (!blobs) return null;
    for (const record of records) {
      for (const sha256 of casePageHashes(record)) {
        if (await db.get('SELECT sha256 FROM blob_uploads WHERE sha256 = ?', [sha256])) continue;
        const bytes = await blobs.read(sha256);
        if (bytes === undefined) {
          // Nothing to send: the platform decides (it rejects a case naming a page it does not hold).
          logger.warn({ id: record.id, sha256 }, 'a case names a page this terminal does not hold');
          continue;
        }
        const outcome = await uploadBlob(this.client, sha256, bytes, logger, config.blobChunkBytes);
        if (outcome.kind === 'failed') return outcome.error;
        if (outcome.kind === 'held') await db.run('INSERT OR IGNORE INTO blob_uploads (sha256, uploaded_at) VALUES (?, ?)', [sha256, now().toISOString()]);
      }
    }
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
    const { applyCaseStatus, config } = this.options;
    if (!applyCaseStatus) return null;
    return this.pullPaged(
      CASE_CURSOR,
      (cursor) => this.client.caseStatusChanges(cursor, config.caseStatusPageSize ?? 100),
      (page) => page.changes,
      applyCaseStatus,
    );
  }

  private async pullReplies(): Promise<string | null> {
    const { applyReplies } = this.options;
    if (!applyReplies) return null;
    return this.pullPaged(
      REPLIES_CURSOR,
      (cursor) => this.client.replies(cursor, 100),
      (page) => page.replies,
      applyReplies,
    );
  }

  /**
   * Pulls pages after a persisted cursor and hands each page's items to
   * `apply`; the cursor is saved only after it resolves, so a failure or a
   * crash re-delivers the same items (`apply` must be idempotent).
   */
  private async pullPaged<P extends { cursor: string; more: boolean }, T>(
    cursorKey: string,
    fetchPage: (cursor: string | null) => Promise<CallResult<P>>,
    items: (page: P) => T[],
    apply: (items: T[]) => void | Promise<void>,
  ): Promise<string | null> {
    const { db } = this.options;
    let cursor = (await db.get<{ value: string }>('SELECT value FROM sync_state WHERE key = ?', [cursorKey]))?.value ?? null;
    for (let page = 0; page < MAX_CASE_PAGES_PER_CYCLE; page += 1) {
      const result = await fetchPage(cursor);
      const failed = this.outcome(result);
      if (failed !== null || !result.ok) return failed;
      const pulled = items(result.value);
      if (pulled.length > 0) await apply(pulled);
      // Only after the host has applied them: a crash before this line re-fetches them.
      if (result.value.cursor !== cursor) {
        cursor = result.value.cursor;
        await db.run('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [cursorKey, cursor]);
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
