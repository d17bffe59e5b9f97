import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Hall } from '../content/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Database, Queryable } from '../storage/database.js';
import { serviceDay } from '../../common/hall-time.js';
import { findCategory, isIssuingOpen, nextServiceDay, type HallCalendar } from '../../../hall/hours.js';
import { HallRating, MAX_RATINGS_PER_REPORT, ServerMessage, checkReply, type CallFailure, type ClientMessage, type MethodName, type MethodParams, type MethodReply, type OfflineTicket } from '../../../hall/protocol/index.js';
import { helloProof } from '../../../hall/handshake.js';
import { decidePriority, formatTicketNumber } from '../../../hall/rules.js';
import * as store from './offline-store.js';
import {
  IssueRequest,
  Ticket,
  TicketEvent,
  fail,
  ok,
  parseInput,
  type CallNextResult,
  type CheckInRequest,
  type CheckInResult,
  type CounterLoginRequest,
  type CounterRequest,
  type CounterSession,
  type HallQueue,
  type IssueResult,
  type QueueSnapshot,
  type RequeueRequest,
  type Result,
  type TicketInfo,
  type TicketQuery,
  type TransferRequest,
} from '../../../hall/protocol/index.js';

/**
 * The kiosk's (or a counter tool's) view of a standalone hall service, with
 * the same `HallQueue` interface as the embedded service. When the service
 * cannot be reached, `issue` falls back to the kiosk's leased offline numbers
 * (kept in the kiosk's own SQLite), and on reconnect the offline tickets are
 * uploaded, idempotently, and the leases topped up. README "Offline fallback".
 */
export interface RemoteHallQueueOptions {
  /** `ws://host:port/ws` or `wss://…` of the hall service. */
  url: string;
  /**
   * The key this client proves on every connection (hall/handshake.ts): a
   * kiosk's own key (`npm run hall -- kiosk-add <id>`), or the hall secret for
   * staff tools and halls without registered kiosks. It never crosses the wire.
   */
  secret: string;
  /** PEM of the hall's certificate (or its CA) to trust for `wss://`, when it is not signed by a public CA. */
  tlsCa?: string;
  kioskId: string;
  /** The same hall content the service uses (opening hours and windows for offline tickets). */
  hall: Hall;
  /** The kiosk's own database: leases and offline tickets survive a restart. */
  db: Database;
  logger: Logger;
  now?: () => Date;
  calendar?: HallCalendar;
  role?: 'kiosk' | 'counter' | 'display';
  /**
   * Receive ticket events. Default: yes for counter and display clients, no for
   * kiosks (a kiosk does not need every citizen's ticket, masked name included).
   */
  events?: boolean;
  /** A call unanswered after this long counts as "service unreachable" (ms). */
  callTimeoutMs?: number;
  /** Reconnect backoff bounds (ms). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Keep at least this many unused offline numbers per category and day. */
  leaseMinFree?: number;
  /** While connected: upload pending offline tickets and top up leases this often (ms). */
  syncIntervalMs?: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface PendingCall {
  /** Takes the raw reply (checked against the method's schema) or LOST. */
  settle: (reply: unknown) => void;
  timer: NodeJS.Timeout;
}
/** The connection went before the reply came. */
const LOST = Symbol('lost');

const UNREACHABLE = '无法连接叫号服务';

export class RemoteHallQueue implements HallQueue {
  private socket: WebSocket | null = null;
  private isConnected = false;
  private closed = false;
  private nextId = 1;
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private ratingsRun: Promise<void> | null = null;
  private readonly pending = new Map<number, PendingCall>();
  private readonly listeners = new Set<(event: TicketEvent) => void>();
  private readonly connectionWaiters = new Set<() => void>();
  /** Session tokens of the counters logged in through this client, by window. */
  private readonly tokens = new Map<string, string>();
  private readonly now: () => Date;
  private readonly options: Required<Omit<RemoteHallQueueOptions, 'now' | 'calendar' | 'tlsCa'>> & { calendar: HallCalendar; tlsCa?: string };

  private constructor(options: RemoteHallQueueOptions) {
    this.now = options.now ?? (() => new Date());
    this.options = {
      role: 'kiosk',
      events: options.role !== undefined && options.role !== 'kiosk',
      callTimeoutMs: 3000,
      reconnectMinMs: 250,
      reconnectMaxMs: 10_000,
      leaseMinFree: 10,
      syncIntervalMs: 60_000,
      calendar: {},
      ...options,
    };
  }

  /** Prepares the kiosk's tables and starts connecting (it does not wait for the service). */
  static async open(options: RemoteHallQueueOptions): Promise<RemoteHallQueue> {
    await options.db.migrate('queue-kiosk', store.kioskQueueMigrations);
    const client = new RemoteHallQueue(options);
    client.connect();
    return client;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Resolves true once connected (or false after `timeoutMs`). */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.isConnected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.connectionWaiters.delete(done);
        resolve(this.isConnected);
      };
      const timer = setTimeout(done, timeoutMs);
      this.connectionWaiters.add(done);
    });
  }

  /** Uploads pending offline tickets and tops up leases now (also runs on every reconnect). */
  sync(): Promise<void> {
    if (this.syncing === null) {
      this.syncing = this.runSync().finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing;
  }

  /** Offline tickets not yet accepted by the service. */
  async pendingUploads(): Promise<number> {
    return store.countPendingKioskOffline(this.options.db);
  }

  /** Ratings not yet taken (nor refused) by the service. */
  async pendingRatings(): Promise<number> {
    return store.countPendingKioskRatings(this.options.db);
  }

  /**
   * Keeps a citizen's rating for the hall service and sends it when the
   * service can be reached (now, on reconnect, or on the next sync tick).
   * With `tx`, in the caller's transaction (the guide stores the rating and
   * this in one); then call `sendRatings()` after it commits.
   */
  async reportRating(rating: HallRating, tx?: Queryable): Promise<void> {
    await store.insertKioskRating(tx ?? this.options.db, HallRating.parse(rating), this.now());
    if (tx === undefined) void this.sendRatings();
  }

  /** Sends the kept ratings now if connected (also part of every sync); one run at a time. */
  sendRatings(): Promise<void> {
    if (!this.isConnected) return Promise.resolve();
    this.ratingsRun ??= this.uploadRatings()
      .catch((err: unknown) => this.options.logger.error({ err }, 'queue: ratings upload failed'))
      .finally(() => {
        this.ratingsRun = null;
      });
    return this.ratingsRun;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    if (this.syncTimer !== null) clearInterval(this.syncTimer);
    await this.syncing?.catch(() => undefined);
    await this.ratingsRun;
    const socket = this.socket;
    this.socket = null;
    socket?.terminate();
    this.failPending();
  }

  subscribe(listener: (event: TicketEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------- the API

  async issue(input: IssueRequest): Promise<Result<IssueResult>> {
    const parsed = parseInput(IssueRequest, input);
    if (!parsed.ok) return parsed;
    const offline = await store.kioskOfflineByRequest(this.options.db, parsed.value.requestId);
    if (offline !== undefined) return this.offlineResult(Ticket.parse(JSON.parse(offline.ticket)));
    const online = await this.call('issue', parsed.value);
    if (online.ok || online.error.code !== 'unavailable') return online;
    return this.issueOffline(parsed.value);
  }

  /**
   * Appointment check-in. Never offline: the appointments live in the hall
   * service, so an unreachable service answers `unavailable` (the kiosk says
   * so and offers a normal ticket).
   */
  checkIn(request: CheckInRequest): Promise<Result<CheckInResult>> {
    return this.call('checkIn', request);
  }

  ticket(query: TicketQuery): Promise<Result<TicketInfo>> {
    return this.call('ticket', query);
  }

  snapshot(): Promise<Result<QueueSnapshot>> {
    return this.call('snapshot', {});
  }

  async counterLogin(request: CounterLoginRequest): Promise<Result<CounterSession>> {
    const result = await this.call('counterLogin', request);
    if (result.ok) this.tokens.set(result.value.windowNo, result.value.token);
    return result;
  }

  async counterLogout(request: CounterRequest): Promise<Result<{ windowNo: string }>> {
    const result = await this.counterCall(request, (token) => this.call('counterLogout', { token }));
    if (result.ok) this.tokens.delete(request.windowNo);
    return result;
  }

  callNext(request: CounterRequest): Promise<Result<CallNextResult>> {
    return this.counterCall(request, (token) => this.call('callNext', { token }));
  }

  recall(request: CounterRequest): Promise<Result<Ticket>> {
    return this.counterCall(request, (token) => this.call('recall', { token }));
  }

  skip(request: CounterRequest): Promise<Result<Ticket>> {
    return this.counterCall(request, (token) => this.call('skip', { token }));
  }

  finish(request: CounterRequest): Promise<Result<Ticket>> {
    return this.counterCall(request, (token) => this.call('finish', { token }));
  }

  requeue(request: RequeueRequest): Promise<Result<Ticket>> {
    return this.counterCall(request, (token) => this.call('requeue', { token, displayNo: request.displayNo }));
  }

  transfer(request: TransferRequest): Promise<Result<Ticket>> {
    return this.counterCall(request, (token) => this.call('transfer', { token, toCategoryId: request.toCategoryId }));
  }

  // ----------------------------------------------------------- offline

  private async issueOffline(request: IssueRequest): Promise<Result<IssueResult>> {
    const { hall, db, logger, calendar, kioskId } = this.options;
    const category = findCategory(hall, request.categoryId);
    if (category === undefined) return fail('unknown-category', `没有这个排队类别：${request.categoryId}`);
    const now = this.now();
    const day = serviceDay(now);
    const hours = isIssuingOpen(hall, category.id, now, calendar);
    if (!hours.open) return fail('closed', hours.message, { reason: hours.reason, nextOpening: hours.nextOpening?.toISOString() ?? null });
    const priority = decidePriority(request, day);
    if (!priority.ok) return fail(priority.code, priority.message);
    const ticket = await db.transaction(async (tx): Promise<Ticket | null> => {
      const existing = await store.kioskOfflineByRequest(tx, request.requestId);
      if (existing !== undefined) return Ticket.parse(JSON.parse(existing.ticket));
      const number = await store.firstFreeLeasedNumber(tx, day, category.prefix);
      if (number === null) return null;
      const issued: Ticket = {
        id: randomUUID(),
        displayNo: formatTicketNumber(category.prefix, number),
        day,
        categoryId: category.id,
        originCategoryId: category.id,
        serviceId: request.serviceId ?? null,
        priority: priority.priority,
        maskedName: request.maskedName ?? null,
        kioskId,
        source: 'offline',
        status: 'waiting',
        issuedAt: now.toISOString(),
        calledAt: null,
        windowNo: null,
        recalls: 0,
        skippedAt: null,
        finishedAt: null,
      };
      await store.insertKioskOffline(tx, { request_id: request.requestId, day, prefix: category.prefix, number, ticket: JSON.stringify(issued) });
      return issued;
    });
    if (ticket === null) {
      logger.error({ categoryId: category.id, day }, 'queue: offline and no leased numbers left');
      return fail('unavailable', `${UNREACHABLE}，且本机离线号段已用完，请到咨询台取号`);
    }
    logger.warn({ displayNo: ticket.displayNo, categoryId: category.id }, 'queue: issued offline');
    // The service may only be slow, not gone: upload as soon as it answers again.
    if (this.isConnected) void this.sync();
    return this.offlineResult(ticket);
  }

  private offlineResult(ticket: Ticket): Result<IssueResult> {
    const category = findCategory(this.options.hall, ticket.categoryId)!;
    const floor = this.options.hall.departments.find((d) => category.departmentIds.includes(d.id))?.floor ?? 1;
    return ok({ ticket, categoryName: category.name, peopleAhead: null, etaMinutes: null, windows: [...category.windows], floor, offline: true });
  }

  private async runSync(): Promise<void> {
    const { db, logger, kioskId, hall, calendar, leaseMinFree } = this.options;
    for (;;) {
      const rows = await store.pendingKioskOffline(db, 200);
      if (rows.length === 0) break;
      const tickets: OfflineTicket[] = rows.map((row) => {
        const t = Ticket.parse(JSON.parse(row.ticket));
        return {
          id: t.id,
          requestId: row.request_id,
          displayNo: t.displayNo,
          categoryId: t.categoryId,
          ...(t.serviceId === null ? {} : { serviceId: t.serviceId }),
          priority: t.priority,
          ...(t.maskedName === null ? {} : { maskedName: t.maskedName }),
          issuedAt: t.issuedAt,
        };
      });
      const result = await this.call('uploadOffline', { kioskId, tickets });
      if (!result.ok) {
        logger.warn({ code: result.error.code }, 'queue: offline upload failed; will retry');
        return;
      }
      const at = this.now().toISOString();
      let accepted = 0;
      for (const outcome of result.value) {
        if (outcome.result.ok) {
          await store.markKioskOfflineUploaded(db, outcome.requestId, at);
          accepted++;
        } else {
          logger.error({ requestId: outcome.requestId, error: outcome.result.error }, 'queue: offline ticket refused by the hall service');
        }
      }
      logger.info({ uploaded: accepted, refused: rows.length - accepted }, 'queue: offline tickets uploaded');
      if (accepted < rows.length) break;
    }
    const now = this.now();
    const today = serviceDay(now);
    const days = [...new Set([today, nextServiceDay(hall, now, calendar)])];
    const grants = await this.call('lease', { kioskId, days, minFree: leaseMinFree });
    if (grants.ok) {
      await db.transaction(async (tx) => {
        await store.forgetKioskLeasesBefore(tx, today);
        for (const grant of grants.value) {
          await store.saveKioskLeases(tx, grant.day, grant.prefix, grant.blocks);
        }
      });
    } else {
      logger.warn({ code: grants.error.code }, 'queue: lease refresh failed; will retry');
      if (grants.error.code === 'unavailable') return;
    }
    await this.sendRatings();
  }

  /**
   * Sends the kept ratings, oldest first, in reports of at most 200. Taken
   * or already there (`duplicate`: an earlier answer was lost) → sent; refused
   * → kept with the reason, logged, not sent again. Last in a sync: a hall
   * service of an earlier version does not know the method, and its silence
   * must not hold up the leases.
   */
  private async uploadRatings(): Promise<void> {
    const { db, logger, kioskId } = this.options;
    // What the service took a week ago is its own now: no need to keep the kiosk's copy.
    await store.forgetSentKioskRatings(db, new Date(this.now().getTime() - 7 * 86_400_000).toISOString());
    for (;;) {
      const rows = await store.pendingKioskRatings(db, MAX_RATINGS_PER_REPORT);
      if (rows.length === 0) return;
      const ratings: HallRating[] = [];
      for (const row of rows) {
        const parsed = HallRating.safeParse(parseJson(row.rating));
        if (parsed.success) ratings.push(parsed.data);
        else await store.markKioskRatingRefused(db, row.id, 'unreadable on this kiosk');
      }
      if (ratings.length === 0) continue;
      const result = await this.call('reportRatings', { kioskId, ratings }, { keepSocketOnTimeout: true });
      if (!result.ok) {
        logger.warn({ code: result.error.code, pending: rows.length }, 'queue: ratings not reported to the hall service; will retry');
        return;
      }
      const at = this.now().toISOString();
      const counts = { stored: 0, duplicate: 0, refused: 0 };
      const sent = new Set(ratings.map((r) => r.id));
      for (const outcome of result.value) {
        if (!sent.delete(outcome.id)) continue;
        counts[outcome.outcome]++;
        if (outcome.outcome === 'refused') {
          logger.error({ ratingId: outcome.id, reason: outcome.reason }, 'queue: rating refused by the hall service');
          await store.markKioskRatingRefused(db, outcome.id, outcome.reason ?? 'refused');
        } else {
          await store.markKioskRatingSent(db, outcome.id, at);
        }
      }
      logger.info(counts, 'queue: ratings reported to the hall service');
      // Some not answered for: they stay kept for the next sync rather than being sent round again now.
      if (sent.size > 0) return;
    }
  }

  // --------------------------------------------------------- transport

  private counterCall<T>(request: CounterRequest, run: (token: string) => Promise<Result<T>>): Promise<Result<T>> {
    const token = this.tokens.get(request.windowNo);
    if (token === undefined) return Promise.resolve(fail('not-logged-in', `${request.windowNo}号窗口未登录，请先登录`));
    return run(token);
  }

  /**
   * One RPC, its reply checked against the method's schema. Transport trouble
   * (not connected, timeout, connection lost) comes back as `unavailable`.
   */
  private call<M extends MethodName>(method: M, params: MethodParams<M>, options: { keepSocketOnTimeout?: boolean } = {}): Promise<MethodReply<M> | CallFailure> {
    const socket = this.socket;
    const unavailable = (message: string): CallFailure => ({ ok: false, error: { code: 'unavailable', message } });
    if (!this.isConnected || socket === null) return Promise.resolve(unavailable(UNREACHABLE));
    const id = this.nextId++;
    const check = checkReply[method];
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(unavailable(`${UNREACHABLE}（超时）`));
        if (options.keepSocketOnTimeout === true) return;
        // A silent peer (cable pulled, service hung) may never close the socket: drop it, so the next
        // requests go offline at once instead of each waiting out the timeout, and reconnect.
        this.options.logger.warn({ method }, 'queue: hall service did not answer; reconnecting');
        if (this.socket === socket) socket.terminate();
      }, this.options.callTimeoutMs);
      const settle = (reply: unknown): void => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (reply === LOST) return resolve(unavailable(UNREACHABLE));
        const checked = check(reply);
        if (checked.success) return resolve(checked.data);
        this.options.logger.warn({ method }, 'queue: malformed reply from the hall service');
        resolve({ ok: false, error: { code: 'internal', message: 'malformed reply from the hall service' } });
      };
      this.pending.set(id, { settle, timer });
      socket.send(JSON.stringify({ type: 'call', id, method, params } satisfies ClientMessage), (err) => {
        if (err !== undefined && err !== null) settle(LOST);
      });
    });
  }

  private connect(): void {
    if (this.closed) return;
    const { url, secret, role, kioskId, events, logger } = this.options;
    const socket = new WebSocket(url, { handshakeTimeout: this.options.callTimeoutMs, ...(this.options.tlsCa === undefined ? {} : { ca: this.options.tlsCa }) });
    this.socket = socket;
    // The service speaks first (a challenge); the hello answers it with a proof, never the key itself.
    const hello = (nonce: string): void => socket.send(JSON.stringify({ type: 'hello', role, kioskId, events, proof: helloProof(secret, nonce, role, kioskId) } satisfies ClientMessage));
    socket.on('message', (data) => this.onMessage(String(data), hello));
    socket.on('error', (err) => logger.debug({ err: err.message }, 'queue: hall service connection error'));
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      const wasConnected = this.isConnected;
      this.isConnected = false;
      this.socket = null;
      this.failPending();
      if (this.syncTimer !== null) clearInterval(this.syncTimer);
      this.syncTimer = null;
      if (wasConnected) logger.warn({ code }, 'queue: lost the hall service; issuing from offline leases');
      if (code === 4401) logger.error('queue: the hall service refused this kiosk (unknown, revoked, or the wrong key)');
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const { reconnectMinMs, reconnectMaxMs } = this.options;
    const delay = Math.min(reconnectMaxMs, reconnectMinMs * 2 ** Math.min(this.attempts, 10));
    this.attempts++;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref();
  }

  private onMessage(text: string, hello: (nonce: string) => void): void {
    let message: ServerMessage;
    try {
      const parsed = ServerMessage.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.message);
      message = parsed.data;
    } catch (err) {
      this.options.logger.warn({ err }, 'queue: bad message from the hall service');
      return;
    }
    switch (message.type) {
      case 'challenge':
        hello(message.nonce);
        return;
      case 'welcome':
        this.isConnected = true;
        this.attempts = 0;
        this.options.logger.info('queue: connected to the hall service');
        for (const waiter of [...this.connectionWaiters]) waiter();
        this.syncTimer = setInterval(() => void this.sync(), this.options.syncIntervalMs);
        this.syncTimer.unref();
        void this.sync();
        return;
      case 'result': {
        this.pending.get(message.id)?.settle(message.result);
        return;
      }
      case 'event': {
        const event = TicketEvent.safeParse(message.event);
        if (!event.success) return;
        for (const listener of this.listeners) {
          try {
            listener(event.data);
          } catch (err) {
            this.options.logger.error({ err }, 'queue: event listener failed');
          }
        }
        return;
      }
      case 'error':
        this.options.logger.warn({ code: message.code, message: message.message }, 'queue: hall service error');
        return;
    }
  }

  private failPending(): void {
    for (const call of [...this.pending.values()]) call.settle(LOST);
  }
}
