import { randomUUID } from 'node:crypto';
import type { Hall, QueueCategory } from '../electron/host/content/schema.js';
import type { Logger } from '../electron/host/logging/logger.js';
import type { Database, Queryable } from '../electron/host/storage/database.js';
import type { Outbox } from '../electron/host/storage/outbox.js';
import { addDays, serviceDay } from '../electron/common/hall-time.js';
import { findCategory, isIssuingOpen, type HallCalendar, type IssuingStatus } from './hours.js';
import { StaffCredentials, hashToken, newSessionToken, type CredentialCheck, type CredentialFailure } from '../electron/host/staff/credentials.js';
import {
  chooseNext,
  decidePriority,
  etaMinutes,
  formatTicketNumber,
  leaseTarget,
  nextLeaseBlock,
  nextOnlineNumber,
  offlineLineKey,
  parseTicketNumber,
  peopleAhead,
  requeueLineKey,
  serviceMinutes,
  withinGrace,
  type NumberRange,
} from './rules.js';
import * as store from './store.js';
import { AppointmentBook, type HeldAppointment } from './appointment-book.js';
import { DEFAULT_APPOINTMENT_WINDOW, DEFAULT_CODE_GUESS_LIMIT, decideCheckIn, maskAppointmentCode, type AppointmentWindow } from './appointments.js';
import { AttemptLimiter, type AttemptLimitPolicy, type AttemptScope } from '../electron/common/attempt-limit.js';
import { MANAGER_ID, ManagerSessions } from './manager.js';
import { daysBetween, hallFigures, ratingFigures } from './stats.js';
import { statsEvents } from './stats-store.js';
import { insertRating, ratingsMigrations, ratingsOfDays } from './ratings-store.js';
import { RatingReport, type RatingOutcome } from './protocol/ratings.js';
import { HallStatsRequest, ManagerLoginRequest, MAX_STATS_DAYS, type HallStats, type ManagerSession } from './protocol/stats.js';
import { waitingTicket, type StoredTicket } from './store.js';
import { LockoutStore } from '../electron/host/storage/lockouts.js';
import {
  CheckInRequest,
  CounterLoginRequest,
  CounterRequest,
  IssueRequest,
  RequeueRequest,
  TicketQuery,
  TransferRequest,
  fail,
  ok,
  parseInput,
  type CallNextResult,
  type CheckInResult,
  type CounterSession,
  type HallQueue,
  type IssueResult,
  type Priority,
  type QueueSnapshot,
  type Result,
  type Ticket,
  type TicketEvent,
  type TicketInfo,
} from './protocol/types.js';
import { LeaseRequest, OfflineUpload, type LeaseGrant, type OfflineTicket, type UploadOutcome } from './protocol/messages.js';

type TransactionBody<T> = (tx: Queryable, events: TicketEvent[]) => Promise<Result<T>>;

interface PendingIssue {
  request: IssueRequest;
  category: QueueCategory;
  priority: Priority | null;
  hours: IssuingStatus;
  now: Date;
  /** Extra detail of the `issued` event (e.g. the appointment checked in). */
  detail?: Record<string, unknown>;
  resolve: (result: Result<IssuedTicket>) => void;
}

interface IssuedTicket {
  ticket: StoredTicket;
  estimate: Estimate;
}


/** Most issue requests committed in one transaction. */
const MAX_ISSUE_BATCH = 64;

interface Estimate {
  peopleAhead: number | null;
  etaMinutes: number | null;
}

interface LineFacts {
  streak: number;
  minutesPerService: number;
  openWindows: string[];
}

/** A counter account from config: PIN stored as a scrypt hash (see pin.ts). */
export interface CounterAccount {
  staffId: string;
  pinHash: string;
  /** Windows this staff member may log in at; omitted = any window. */
  windows?: string[];
}

export interface QueueRules {
  /** Anti-starvation: at most this many priority calls in a row while regular tickets wait. */
  maxPriorityStreak: number;
  /** Minutes a skipped ticket may re-queue; after that it is dropped. */
  graceMinutes: number;
  /** A re-queued ticket goes behind this many waiting tickets of its class (过号顺延). */
  requeueBehind: number;
  /** Finished services averaged for the estimate. */
  serviceTimeSamples: number;
  /** Below this many samples, the category's avgServiceMinutes is used. */
  minServiceTimeSamples: number;
  /** Numbers per offline lease block. */
  leaseBlockSize: number;
  /** Fewest unused offline numbers a kiosk holds per category (today); more when the last hour was busier. */
  leaseFloor: number;
  /** Most unused offline numbers a kiosk holds per category. */
  leaseCap: number;
}

export const DEFAULT_RULES: QueueRules = {
  maxPriorityStreak: 3,
  graceMinutes: 30,
  requeueBehind: 3,
  serviceTimeSamples: 10,
  minServiceTimeSamples: 3,
  leaseBlockSize: 10,
  leaseFloor: 30,
  leaseCap: 200,
};

export interface HallQueueServiceOptions {
  hall: Hall;
  db: Database;
  outbox: Outbox;
  logger: Logger;
  now?: () => Date;
  /** The kiosk this service runs in (embedded mode) or the hall server's own id; tags the logs. */
  kioskId: string;
  counters?: readonly CounterAccount[];
  calendar?: HallCalendar;
  rules?: Partial<QueueRules>;
  /** Appointment check-in window around the slot's start (default 30 min before to 15 min after). */
  appointmentWindow?: AppointmentWindow;
  /** The hall manager's PIN hash (`scrypt$…`): opens the statistics page (`managerLogin`). None: the page stays shut. */
  managerPinHash?: string;
  /** Wrong appointment codes evaluated per kiosk and hall-wide before a cooling-off (default `DEFAULT_CODE_GUESS_LIMIT`, appointments.ts). */
  codeGuessLimit?: AttemptLimitPolicy;
}

/**
 * The hall's queue: issues numbers, keeps the lines, serves the counters.
 * Every state change runs in one IMMEDIATE transaction together with its
 * ticket events and their outbox rows; listeners hear the events after commit.
 */
export class HallQueueService implements HallQueue {
  readonly rules: QueueRules;
  private readonly hall: Hall;
  private readonly db: Database;
  private readonly outbox: Outbox;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly counters: readonly CounterAccount[];
  private readonly calendar: HallCalendar;
  private readonly listeners = new Set<(event: TicketEvent) => void>();
  private readonly windowCategory = new Map<string, QueueCategory>();
  private readonly factsCache = new Map<string, LineFacts>();
  /** Bumped whenever the cache is cleared, so a read that raced a change is not cached. */
  private factsGeneration = 0;
  private readonly issueQueue: PendingIssue[] = [];
  private flushing = false;
  /** Staff PINs (counter logins, staff-confirmed priority): lockout per staff identity, hall-wide rate limit, failures kept. */
  private readonly credentials: StaffCredentials;
  /** Appointments pulled from the platform (预约): check-in and no-shows. */
  readonly appointments: AppointmentBook;
  private readonly managerSessions: ManagerSessions;
  private readonly managerConfigured: boolean;
  /** Wrong appointment codes, per kiosk and hall-wide: enumeration of codes is cut to a trickle. */
  private readonly codeGuesses: AttemptLimiter;
  /** Where the two limiters above are kept across restarts (set by `open`). */
  private lockouts: LockoutStore | undefined;

  private constructor(options: HallQueueServiceOptions, appointments: AppointmentBook) {
    this.appointments = appointments;
    this.hall = options.hall;
    this.db = options.db;
    this.outbox = options.outbox;
    this.logger = options.logger.child({ module: 'queue', kioskId: options.kioskId });
    this.now = options.now ?? (() => new Date());
    this.counters = options.counters ?? [];
    this.calendar = options.calendar ?? {};
    this.rules = { ...DEFAULT_RULES, ...options.rules };
    // The manager is one more identity in the same model: its failures count toward the same hall-wide limit.
    const accounts = options.managerPinHash === undefined ? this.counters : [...this.counters.filter((a) => a.staffId !== MANAGER_ID), { staffId: MANAGER_ID, pinHash: options.managerPinHash }];
    this.credentials = new StaffCredentials(accounts, this.now, {}, (failure) => this.logger.warn({ ...failure }, 'queue: staff credential refused'));
    this.managerSessions = new ManagerSessions(this.now);
    this.managerConfigured = options.managerPinHash !== undefined;
    this.codeGuesses = new AttemptLimiter(options.codeGuessLimit ?? DEFAULT_CODE_GUESS_LIMIT);
    for (const category of this.hall.queueCategories) for (const windowNo of category.windows) this.windowCategory.set(windowNo, category);
  }

  /** Applies the queue migrations (the outbox's must already be applied) and returns the service. */
  static async open(options: HallQueueServiceOptions): Promise<HallQueueService> {
    await options.db.migrate('queue', store.queueMigrations);
    await options.db.migrate('ratings', ratingsMigrations);
    const appointments = await AppointmentBook.open(options.db, options.outbox, options.logger, options.appointmentWindow ?? DEFAULT_APPOINTMENT_WINDOW);
    const service = new HallQueueService(options, appointments);
    // Lockouts outlive a restart of the service: a kill -9 must not hand a guesser fresh tries.
    const lockouts = await LockoutStore.open(options.db, service.logger);
    await lockouts.keep('hall-staff-pins', service.credentials.attempts, service.now);
    await lockouts.keep('appointment-codes', service.codeGuesses, service.now);
    service.lockouts = lockouts;
    return service;
  }

  /** Resolves once the lockout counts changed so far are saved (tests, and a clean stop). */
  lockoutsSaved(): Promise<void> {
    return this.lockouts?.flushed() ?? Promise.resolve();
  }

  /** The current hall service day, `YYYY-MM-DD`. */
  today(): string {
    return serviceDay(this.now());
  }

  /** Refused staff credentials (counter logins, priority confirmations), newest first, for the hall manager. */
  staffFailures(): CredentialFailure[] {
    return this.credentials.failures();
  }

  /** A refused priority claim: a clear error and a log line. */
  private refuseIssue<T>(request: IssueRequest, code: 'bad-credentials' | 'priority-needs-staff' | 'priority-needs-appointment', message: string): Result<T> {
    this.logger.warn({ code, kioskId: request.kioskId, priority: request.priority ?? null, categoryId: request.categoryId }, 'queue: priority claim refused');
    return fail(code, message);
  }

  /** The hall manager's login to the statistics page (the `manager` identity of the staff credentials). */
  managerLogin(input: ManagerLoginRequest): Promise<Result<ManagerSession>> {
    const parsed = parseInput(ManagerLoginRequest, input);
    if (!parsed.ok) return Promise.resolve(parsed);
    if (!this.managerConfigured) {
      this.logger.warn('queue: statistics login refused: no manager PIN configured');
      return Promise.resolve(fail('unauthorized', '未配置大厅管理员密码，统计页不可用'));
    }
    const check = this.credentials.verify(MANAGER_ID, parsed.value.pin, 'statistics page');
    if (!check.ok) return Promise.resolve(fail('bad-credentials', credentialMessage(check, '管理员密码不正确', this.now())));
    this.logger.info('queue: hall manager logged in to the statistics page');
    return Promise.resolve(ok(this.managerSessions.open()));
  }

  /** The hall's figures for a range of days (`hall/stats.ts`), for a logged-in manager. */
  async hallStats(input: HallStatsRequest): Promise<Result<HallStats>> {
    const parsed = parseInput(HallStatsRequest, input);
    if (!parsed.ok) return parsed;
    const { token } = parsed.value;
    const from = parsed.value.from ?? this.today();
    const to = parsed.value.to ?? from;
    if (!this.managerSessions.valid(token)) {
      this.logger.warn('queue: statistics refused: no valid manager session');
      return fail('not-logged-in', '管理员未登录或登录已过期');
    }
    if (from > to || daysBetween(from, to).length > MAX_STATS_DAYS) return fail('bad-request', `日期范围无效（最多${MAX_STATS_DAYS}天）`);
    return ok(await this.figures(from, to));
  }

  /** The figures of `from`–`to` with no session check (the service's own sync). */
  async figures(from: string, to: string): Promise<HallStats> {
    const layout = { categories: this.hall.queueCategories.map((c) => ({ id: c.id })) };
    const rows = hallFigures(await statsEvents(this.db, from, to), layout, from, to);
    const ratings = ratingFigures(await ratingsOfDays(this.db, from, to), from, to);
    return {
      from,
      to,
      generatedAt: this.now().toISOString(),
      categories: this.hall.queueCategories.map((c) => ({ id: c.id, name: c.name })),
      rows,
      departments: this.hall.departments.map((d) => ({ id: d.id, name: d.name, ...(d.nameEn === undefined ? {} : { nameEn: d.nameEn }) })),
      ratings,
    };
  }

  /**
   * Ratings (好差评) a kiosk reports (protocol/ratings.ts), stored once per
   * rating id: a re-send answers `duplicate` and counts nothing twice. A
   * rating naming a department the hall does not have is refused (and
   * logged), the others of the batch are stored; a malformed or oversize
   * report is refused whole. `asKiosk`: the kiosk the connection proved;
   * a report in another kiosk's name is refused.
   */
  async reportRatings(input: unknown, asKiosk?: string): Promise<Result<RatingOutcome[]>> {
    const parsed = parseInput(RatingReport, input);
    if (!parsed.ok) {
      this.logger.warn({ kioskId: asKiosk ?? null, problem: parsed.error.message.slice(0, 300) }, 'queue: ratings refused: bad report');
      return parsed;
    }
    const { kioskId, ratings } = parsed.value;
    if (asKiosk !== undefined && kioskId !== asKiosk) {
      this.logger.warn({ kioskId: asKiosk, claimed: kioskId }, 'queue: ratings refused: reported in another kiosk\'s name');
      return fail('unauthorized', `this connection is kiosk ${asKiosk}`);
    }
    const departments = new Set(this.hall.departments.map((d) => d.id));
    const receivedAt = this.now();
    const outcomes = await this.db.transaction(async (tx) => {
      const out: RatingOutcome[] = [];
      for (const rating of ratings) {
        if (rating.departmentId !== undefined && !departments.has(rating.departmentId)) {
          out.push({ id: rating.id, outcome: 'refused', reason: `没有这个部门：${rating.departmentId}` });
          continue;
        }
        out.push({ id: rating.id, outcome: (await insertRating(tx, kioskId, rating, receivedAt)) ? 'stored' : 'duplicate' });
      }
      return out;
    });
    const refused = outcomes.filter((o) => o.outcome === 'refused');
    for (const o of refused) this.logger.warn({ kioskId, ratingId: o.id, reason: o.reason }, 'queue: rating refused');
    this.logger.info({ kioskId, stored: outcomes.filter((o) => o.outcome === 'stored').length, duplicates: outcomes.filter((o) => o.outcome === 'duplicate').length, refused: refused.length }, 'queue: ratings reported');
    return ok(outcomes);
  }

  /** The hall's short name, for pages the hall server renders. */
  hallName(): string {
    return this.hall.name;
  }

  subscribe(listener: (event: TicketEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------------ issue

  async issue(input: IssueRequest): Promise<Result<IssueResult>> {
    const parsed = parseInput(IssueRequest, input);
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    const category = findCategory(this.hall, request.categoryId);
    if (category === undefined) return fail('unknown-category', `没有这个排队类别：${request.categoryId}`);
    const now = this.now();
    const staffVerified = request.priority === 'disabled' && request.staff !== undefined ? this.credentials.verify(request.staff.staffId, request.staff.pin, `priority at kiosk ${request.kioskId}`, (a) => a.staffId !== MANAGER_ID) : null;
    if (staffVerified !== null && !staffVerified.ok) return this.refuseIssue(request, 'bad-credentials', credentialMessage(staffVerified, '工作人员工号或密码不正确', now));
    const priority = decidePriority({ ...request, staffVerified: staffVerified?.ok === true }, serviceDay(now));
    if (!priority.ok) return this.refuseIssue(request, priority.code, priority.message);
    return this.issueWith(request, category, priority.priority, now);
  }

  /** Issues a ticket whose priority is already decided (by `decidePriority`, or `appointment` by a check-in). */
  private async issueWith(request: IssueRequest, category: QueueCategory, priority: Priority | null, now: Date, detail?: Record<string, unknown>): Promise<Result<IssueResult>> {
    const hours = isIssuingOpen(this.hall, category.id, now, this.calendar);
    const outcome = await new Promise<Result<IssuedTicket>>((resolve) => {
      this.issueQueue.push({ request, category, priority, hours, now, ...(detail === undefined ? {} : { detail }), resolve });
      if (!this.flushing) void this.flushIssues();
    });
    if (!outcome.ok) return outcome;
    const { ticket, estimate } = outcome.value;
    // A repeated request may find its ticket transferred since: describe the line it is in now.
    const line = findCategory(this.hall, ticket.categoryId) ?? category;
    return ok({
      ticket: store.publicTicket(ticket),
      categoryName: line.name,
      ...estimate,
      windows: [...line.windows],
      floor: this.floorOf(line),
      offline: false,
    });
  }

  /**
   * Group commit: issue requests that arrive while a transaction runs are
   * issued together in the next one, with multi-row statements. If a batch
   * fails, its requests are retried one by one so one bad request cannot fail
   * the others.
   */
  private async flushIssues(): Promise<void> {
    this.flushing = true;
    try {
      while (this.issueQueue.length > 0) {
        const batch = this.issueQueue.splice(0, MAX_ISSUE_BATCH);
        const results = await this.issueInTransaction(batch);
        if (results !== null) batch.forEach((item, i) => item.resolve(results[i]!));
        else if (batch.length === 1) batch[0]!.resolve(fail('internal', '排队系统内部错误，请稍后再试'));
        else for (const item of batch) item.resolve((await this.issueInTransaction([item]))?.[0] ?? fail('internal', '排队系统内部错误，请稍后再试'));
      }
    } finally {
      this.flushing = false;
    }
  }

  private async issueInTransaction(batch: PendingIssue[]): Promise<Array<Result<IssuedTicket>> | null> {
    const events: TicketEvent[] = [];
    try {
      const results = await this.db.transaction((tx) => this.issueBatch(tx, batch, events));
      this.afterCommit(events);
      return results;
    } catch (err) {
      this.logger.error({ err, size: batch.length }, 'queue: issue failed');
      return null;
    }
  }

  /** Issues a batch of requests inside one transaction: about six statements per batch plus one outbox row per ticket. */
  private async issueBatch(tx: Queryable, batch: readonly PendingIssue[], events: TicketEvent[]): Promise<Array<Result<IssuedTicket>>> {
    const byRequest = await store.ticketsByRequest(tx, [...new Set(batch.map((item) => item.request.requestId))]);
    const needNumbers = batch.filter((item) => item.hours.open && !byRequest.has(item.request.requestId));
    const numbers = await store.dayNumbersMany(
      tx,
      [...new Map(needNumbers.map((item) => [store.numbersKey(serviceDay(item.now), item.category.prefix), { day: serviceDay(item.now), prefix: item.category.prefix }])).values()],
    );
    const touched = new Map<string, { day: string; prefix: string }>();
    const issued: store.NewEvent[] = [];
    const outcomes = batch.map((item): Result<StoredTicket> => {
      const { request, category, hours, now } = item;
      // Idempotent issue: a repeated request id (stored, or earlier in this batch) gets the first ticket, even after the cutoff.
      const existing = byRequest.get(request.requestId);
      if (existing !== undefined) return ok(existing);
      if (!hours.open) return fail('closed', hours.message, { reason: hours.reason, nextOpening: hours.nextOpening?.toISOString() ?? null });
      const day = serviceDay(now);
      const key = store.numbersKey(day, category.prefix);
      const counters = numbers.get(key)!;
      const number = nextOnlineNumber(counters.last_online);
      if (number === null) return fail('numbers-exhausted', `${category.name}今日号码已发完，请到咨询台`);
      numbers.set(key, { ...counters, last_online: number });
      touched.set(key, { day, prefix: category.prefix });
      const ticket = waitingTicket({
        id: randomUUID(),
        requestId: request.requestId,
        displayNo: formatTicketNumber(category.prefix, number),
        prefix: category.prefix,
        number,
        day,
        categoryId: category.id,
        serviceId: request.serviceId ?? null,
        priority: item.priority,
        maskedName: request.maskedName ?? null,
        kioskId: request.kioskId,
        source: 'online',
        lineKey: now.getTime(),
        issuedAt: now.toISOString(),
      });
      byRequest.set(request.requestId, ticket);
      const detail: Record<string, unknown> = { ...item.detail };
      if (item.priority === 'disabled' && request.staff !== undefined) detail.confirmedBy = request.staff.staffId;
      issued.push({ kind: 'issued', at: ticket.issuedAt, ticket, detail });
      return ok(ticket);
    });
    await store.insertTickets(tx, issued.map((e) => e.ticket));
    await store.saveDayNumbersMany(tx, [...touched].map(([key, pair]) => ({ ...pair, ...numbers.get(key)! })));
    events.push(...(await store.appendEvents(tx, this.outbox, issued)));
    // Estimated in the same transaction: the place in line at the moment of issue.
    const estimates = await this.estimates(tx, outcomes.flatMap((o) => (o.ok ? [o.value] : [])));
    return outcomes.map((o) => (o.ok ? ok({ ticket: o.value, estimate: estimates.get(o.value.id)! }) : o));
  }

  // ------------------------------------------------------ appointment check-in

  /**
   * 预约签到: finds the appointment (by code, or the citizen's keyed hash
   * among her appointments today), checks it may be checked in now, claims
   * it for this request and issues an appointment-priority ticket in its
   * category. Every refusal is logged and changes nothing.
   */
  async checkIn(input: CheckInRequest): Promise<Result<CheckInResult>> {
    const parsed = parseInput(CheckInRequest, input);
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    const via = request.code !== undefined ? 'code' : 'card';
    const now = this.now();
    if (request.code !== undefined) {
      // Refused unevaluated while cooling off: a right guess must teach nothing either.
      const limit = this.codeGuesses.check(request.kioskId, now.getTime());
      if (!limit.allowed) return this.refuseCheckIn(request, via, null, codeGuessRefusal(limit.scope, limit.retryAt, now));
    }
    const appointment = request.code !== undefined ? await this.appointments.byCode(request.code, now) : await this.appointments.forCitizen(request.citizenKey!, now);
    if (appointment === undefined) {
      if (request.code !== undefined) {
        const after = this.codeGuesses.fail(request.kioskId, now.getTime());
        if (!after.allowed) this.logger.warn({ kioskId: request.kioskId, scope: after.scope, retryAt: new Date(after.retryAt).toISOString() }, 'queue: appointment codes cooling off');
      }
      return this.refuseCheckIn(request, via, null, fail('appointment-not-found', via === 'code' ? '没有这个预约码，请核对后重试' : '没有查到您今天的预约'));
    }
    const window = this.appointments.summary(appointment);
    const decision = decideCheckIn(appointment, now, this.appointments.window, request.requestId);
    if (!decision.ok) return this.refuseCheckIn(request, via, appointment, fail(decision.code, checkInMessage(decision.code), { ...window }));
    const category = findCategory(this.hall, appointment.categoryId);
    if (category === undefined) return this.refuseCheckIn(request, via, appointment, fail('unknown-category', `没有这个排队类别：${appointment.categoryId}`));
    const hours = isIssuingOpen(this.hall, category.id, now, this.calendar);
    if (!decision.repeat && !hours.open) return fail('closed', hours.message, { reason: hours.reason, nextOpening: hours.nextOpening?.toISOString() ?? null });
    if (!decision.repeat && !(await this.appointments.claim(appointment.id, request.requestId, via, now))) {
      return this.refuseCheckIn(request, via, appointment, fail('appointment-used', checkInMessage('appointment-used'), { ...window }));
    }
    const issued = await this.issueWith(
      { requestId: request.requestId, categoryId: category.id, kioskId: request.kioskId, serviceId: appointment.serviceId, ...maskedOf(appointment, request) },
      category,
      'appointment',
      now,
      { appointmentId: appointment.id },
    );
    if (!issued.ok) {
      if (!decision.repeat) await this.appointments.unclaim(appointment.id, request.requestId, now);
      return issued;
    }
    await this.appointments.recordCheckIn(appointment, issued.value.ticket, now);
    return ok({ ...issued.value, appointment: window });
  }

  private refuseCheckIn<T>(request: CheckInRequest, via: 'card' | 'code', appointment: HeldAppointment | null, refusal: Result<T>): Result<T> {
    if (!refusal.ok) {
      const typed = request.code === undefined ? {} : { appointmentCode: maskAppointmentCode(request.code) };
      this.logger.warn({ code: refusal.error.code, kioskId: request.kioskId, via, ...typed, appointmentId: appointment?.id ?? null }, 'queue: appointment check-in refused');
    }
    return refusal;
  }

  async ticket(input: TicketQuery): Promise<Result<TicketInfo>> {
    const parsed = parseInput(TicketQuery, input);
    if (!parsed.ok) return parsed;
    const query = parsed.value;
    const ticket = 'id' in query ? await store.ticketById(this.db, query.id) : await store.ticketByDisplayNo(this.db, serviceDay(this.now()), query.displayNo.trim().toUpperCase());
    if (ticket === undefined) return fail('not-found', 'id' in query ? '没有这张排队号' : `今日没有号码 ${query.displayNo}`);
    const estimate = (await this.estimates(this.db, [ticket])).get(ticket.id)!;
    return ok({ ticket: store.publicTicket(ticket), ...estimate });
  }

  // ---------------------------------------------------------------- counter

  async counterLogin(input: CounterLoginRequest): Promise<Result<CounterSession>> {
    const parsed = parseInput(CounterLoginRequest, input);
    if (!parsed.ok) return parsed;
    const { windowNo, staffId, pin } = parsed.value;
    const category = this.windowCategory.get(windowNo);
    if (category === undefined) return fail('unknown-window', `${windowNo}号窗口不是排队叫号窗口`);
    const account = this.counters.find((a) => a.staffId === staffId);
    const check = this.credentials.verify(staffId, pin, `window ${windowNo}`, () => account !== undefined && (account.windows === undefined || account.windows.includes(windowNo)));
    if (!check.ok) return fail('bad-credentials', credentialMessage(check, '工号或密码不正确，或无权登录该窗口', this.now()));
    const token = newSessionToken();
    const now = this.now();
    await this.db.transaction((tx) => store.saveSession(tx, windowNo, staffId, hashToken(token), serviceDay(now), now.toISOString()));
    this.forgetFacts();
    this.logger.info({ windowNo, staffId }, 'queue: counter logged in');
    return ok({ windowNo, staffId, categoryId: category.id, token });
  }

  async counterLogout(input: CounterRequest): Promise<Result<{ windowNo: string }>> {
    const session = await this.requireSession(input);
    if (!session.ok) return session;
    await store.deleteSession(this.db, session.value.windowNo);
    this.forgetFacts();
    return ok({ windowNo: session.value.windowNo });
  }

  /** The window and staff a session token belongs to, if it is still valid today (used by the network server). */
  async sessionByToken(token: string): Promise<{ windowNo: string; staffId: string } | null> {
    const row = await store.sessionByTokenHash(this.db, hashToken(token));
    if (row === undefined || row.day !== serviceDay(this.now())) return null;
    return { windowNo: row.window_no, staffId: row.staff_id };
  }

  async callNext(input: CounterRequest): Promise<Result<CallNextResult>> {
    const session = await this.requireSession(input);
    if (!session.ok) return session;
    const { windowNo, staffId, category } = session.value;
    const now = this.now();
    const day = serviceDay(now);
    return this.run<CallNextResult>(async (tx, events) => {
      await this.dropExpired(tx, now, events);
      const finished = await this.finishCurrent(tx, day, windowNo, staffId, now, events);
      const streak = await store.priorityStreak(tx, day, category.id, this.rules.maxPriorityStreak);
      const heads = [await store.headOfLine(tx, day, category.id, true), await store.headOfLine(tx, day, category.id, false)].filter((t) => t !== undefined);
      const next = chooseHead(heads, streak, this.rules.maxPriorityStreak);
      if (next === null) return ok({ called: null, finished: finished === null ? null : store.publicTicket(finished), waiting: 0 });
      const called: StoredTicket = { ...next, status: 'called', calledAt: now.toISOString(), windowNo, staffId, recalls: 0 };
      // Inside an IMMEDIATE transaction no one else can have moved it; the guard makes "called exactly once" explicit.
      if (!(await store.updateTicket(tx, called, 'waiting'))) throw new Error(`ticket ${next.displayNo} left the line during callNext`);
      events.push(await store.appendEvent(tx, this.outbox, { kind: 'called', at: now.toISOString(), ticket: called, windowNo, staffId }));
      const counts = (await store.lineCounts(tx, day)).get(category.id);
      return ok({
        called: store.publicTicket(called),
        finished: finished === null ? null : store.publicTicket(finished),
        waiting: (counts?.priorityWaiting ?? 0) + (counts?.regularWaiting ?? 0),
      });
    });
  }

  recall(input: CounterRequest): Promise<Result<Ticket>> {
    return this.changeCurrent(input, 'recalled', (t) => ({ ...t, recalls: t.recalls + 1 }));
  }

  skip(input: CounterRequest): Promise<Result<Ticket>> {
    return this.changeCurrent(input, 'skipped', (t, now) => ({ ...t, status: 'skipped', skippedAt: now.toISOString() }));
  }

  finish(input: CounterRequest): Promise<Result<Ticket>> {
    return this.changeCurrent(input, 'finished', (t, now) => ({ ...t, status: 'finished', finishedAt: now.toISOString() }));
  }

  async transfer(input: TransferRequest): Promise<Result<Ticket>> {
    const parsed = parseInput(TransferRequest, input);
    if (!parsed.ok) return parsed;
    const target = findCategory(this.hall, parsed.value.toCategoryId);
    if (target === undefined) return fail('unknown-category', `没有这个排队类别：${parsed.value.toCategoryId}`);
    return this.changeCurrent(
      parsed.value,
      'transferred',
      // Keeps its number and its original place in time: it joins the new line ahead of everyone who arrived later.
      (t) => ({ ...t, status: 'waiting', categoryId: target.id, lineKey: Date.parse(t.issuedAt), windowNo: null, staffId: null }),
      (t) => ({ fromCategoryId: t.categoryId, toCategoryId: target.id }),
      (t) => (t.categoryId === target.id ? `${t.displayNo}已在${target.name}队列中` : null),
    );
  }

  async requeue(input: RequeueRequest): Promise<Result<Ticket>> {
    const parsed = parseInput(RequeueRequest, input);
    if (!parsed.ok) return parsed;
    const session = await this.requireSession(parsed.value);
    if (!session.ok) return session;
    const now = this.now();
    const day = serviceDay(now);
    const displayNo = parsed.value.displayNo.trim().toUpperCase();
    return this.run(async (tx, events) => {
      await this.dropExpired(tx, now, events);
      const ticket = await store.ticketByDisplayNo(tx, day, displayNo);
      if (ticket === undefined) return fail('not-found', `今日没有号码 ${displayNo}`);
      if (ticket.status === 'dropped') return fail('grace-expired', `${displayNo}过号已超过${this.rules.graceMinutes}分钟，请重新取号`);
      if (ticket.status !== 'skipped') return fail('not-skipped', `${displayNo}不是过号状态，无需重新排队`);
      const keys = await store.waitingLineKeys(tx, day, ticket.categoryId, ticket.priority !== null);
      const requeued: StoredTicket = { ...ticket, status: 'waiting', lineKey: requeueLineKey(keys, this.rules.requeueBehind, now.getTime()), windowNo: null, staffId: null };
      await store.updateTicket(tx, requeued, 'skipped');
      events.push(await store.appendEvent(tx, this.outbox, { kind: 'requeued', at: now.toISOString(), ticket: requeued, windowNo: session.value.windowNo, staffId: session.value.staffId }));
      return ok(store.publicTicket(requeued));
    });
  }

  // --------------------------------------------------------------- snapshot

  async snapshot(): Promise<Result<QueueSnapshot>> {
    const now = this.now();
    const day = serviceDay(now);
    await this.run(async (tx, events) => {
      await this.dropExpired(tx, now, events);
      return ok(null);
    });
    const counts = await store.lineCounts(this.db, day);
    const sessions = await store.sessionsOfDay(this.db, day);
    const categories = [];
    for (const category of this.hall.queueCategories) {
      const c = counts.get(category.id) ?? { priorityWaiting: 0, regularWaiting: 0 };
      const facts = await this.lineFacts(this.db, day, category);
      const ahead = peopleAhead({ priority: false, sameClassAhead: c.regularWaiting, otherClassWaiting: c.priorityWaiting }, facts.streak, this.rules.maxPriorityStreak);
      categories.push({
        id: category.id,
        name: category.name,
        prefix: category.prefix,
        waiting: c.priorityWaiting + c.regularWaiting,
        priorityWaiting: c.priorityWaiting,
        openWindows: facts.openWindows,
        windows: [...category.windows],
        etaMinutes: etaMinutes(ahead, facts.minutesPerService, facts.openWindows.length, category.windows.length),
      });
    }
    const calls = await store.recentCalls(this.db, day, 10);
    const windows = [];
    for (const s of sessions) {
      const current = await store.currentAtWindow(this.db, day, s.window_no);
      windows.push({ windowNo: s.window_no, staffId: s.staff_id, categoryId: this.windowCategory.get(s.window_no)?.id ?? '', current: current?.displayNo ?? null });
    }
    return ok({
      day,
      at: now.toISOString(),
      categories,
      recentCalls: calls.map((t) => ({ displayNo: t.displayNo, windowNo: t.windowNo ?? '', categoryId: t.categoryId, calledAt: t.calledAt ?? '', recalls: t.recalls })),
      windows,
    });
  }

  // ------------------------------------------------- offline kiosks (server)

  /**
   * Tops up a kiosk's offline number leases: for each day and category, new
   * blocks are granted until the kiosk holds at least `minFree` unused numbers.
   * Returns all of the kiosk's blocks for those days, so a lost reply heals on
   * the next call.
   */
  async lease(input: LeaseRequest): Promise<Result<LeaseGrant[]>> {
    const parsed = parseInput(LeaseRequest, input);
    if (!parsed.ok) return parsed;
    const { kioskId, days, minFree } = parsed.value;
    const now = this.now();
    const today = serviceDay(now);
    const tooFar = days.find((d) => d < today || d > addDays(today, 7));
    if (tooFar !== undefined) return fail('bad-request', `leases are for today up to 7 days ahead, not ${tooFar}`);
    return this.run(async (tx) => {
      const grants: LeaseGrant[] = [];
      for (const day of days) {
        const held = await store.kioskLeases(tx, day, kioskId);
        const used = await store.usedLeasedNumbers(tx, day, kioskId);
        const demand = day === today ? await store.issuedSince(tx, day, new Date(now.getTime() - 3_600_000).toISOString()) : new Map<string, number>();
        const leaseHolders = day === today ? await store.leaseHolders(tx, day) : 1;
        for (const category of this.hall.queueCategories) {
          const blocks: NumberRange[] = held.filter((b) => b.prefix === category.prefix).map(({ start, end }) => ({ start, end }));
          const usedHere = used.filter((u) => u.prefix === category.prefix).length;
          let free = blocks.reduce((n, b) => n + b.end - b.start + 1, 0) - usedHere;
          let numbers = await store.dayNumbers(tx, day, category.prefix);
          // An hour of this category's recent demand, shared by the kiosks, with a floor: sized for an outage, refilled while online.
          const target = Math.max(minFree, leaseTarget(demand.get(category.prefix) ?? 0, leaseHolders, this.rules.leaseFloor, this.rules.leaseCap));
          while (free < target) {
            const block = nextLeaseBlock(numbers.last_leased, this.rules.leaseBlockSize);
            if (block === null) break;
            await store.insertLease(tx, day, category.prefix, kioskId, block, now.toISOString());
            numbers = { ...numbers, last_leased: block.end };
            blocks.push(block);
            free += block.end - block.start + 1;
          }
          await store.saveDayNumbers(tx, day, category.prefix, numbers);
          grants.push({ day, prefix: category.prefix, blocks });
        }
      }
      return ok(grants);
    });
  }

  /**
   * Merges tickets a kiosk issued offline into the lines, idempotently. Each
   * joins its category's line at its issue time. If the kiosk's online attempt
   * for the same request had in fact reached the service, that never-delivered
   * online ticket is voided: the citizen holds the offline one.
   */
  async mergeOffline(input: OfflineUpload): Promise<Result<UploadOutcome[]>> {
    const parsed = parseInput(OfflineUpload, input);
    if (!parsed.ok) return parsed;
    const outcomes: UploadOutcome[] = [];
    for (const offline of parsed.value.tickets) {
      outcomes.push({ requestId: offline.requestId, result: await this.mergeOne(parsed.value.kioskId, offline) });
    }
    return ok(outcomes);
  }

  private async mergeOne(kioskId: string, offline: OfflineTicket): Promise<Result<Ticket>> {
    const category = findCategory(this.hall, offline.categoryId);
    if (category === undefined) return fail('unknown-category', `没有这个排队类别：${offline.categoryId}`);
    const parsedNo = parseTicketNumber(offline.displayNo);
    if (parsedNo === null || parsedNo.prefix !== category.prefix) return fail('bad-request', `${offline.displayNo} is not a number of ${category.id}`);
    const now = this.now();
    const day = serviceDay(new Date(offline.issuedAt));
    return this.run(async (tx, events) => {
      const leases = await store.kioskLeases(tx, day, kioskId);
      if (!leases.some((b) => b.prefix === parsedNo.prefix && b.start <= parsedNo.number && parsedNo.number <= b.end)) {
        return fail('number-not-leased', `${offline.displayNo} on ${day} is not leased to kiosk ${kioskId}`);
      }
      const existing = await store.ticketByRequest(tx, offline.requestId);
      if (existing !== undefined && existing.displayNo === offline.displayNo && existing.day === day) return ok(store.publicTicket(existing));
      const holder = await store.ticketByDisplayNo(tx, day, offline.displayNo);
      if (holder !== undefined) return fail('number-not-leased', `${offline.displayNo} on ${day} is already held by another request`);
      if (existing !== undefined) {
        const voided: StoredTicket = { ...existing, requestId: `${existing.requestId}#superseded`, status: ['waiting', 'skipped'].includes(existing.status) ? 'void' : existing.status };
        await store.updateTicket(tx, voided, existing.status);
        if (voided.status === 'void') {
          events.push(await store.appendEvent(tx, this.outbox, { kind: 'voided', at: now.toISOString(), ticket: voided, detail: { reason: 'superseded-by-offline', by: offline.displayNo } }));
        }
      }
      // The id printed in the QR code stays the ticket's id for good (`/t/<id>`), unless it is taken.
      if (offline.id !== undefined && (await store.ticketById(tx, offline.id)) !== undefined) {
        return fail('bad-request', `ticket id ${offline.id} is already used by another ticket`);
      }
      const issuedAtMs = Date.parse(offline.issuedAt);
      const ticket = waitingTicket({
        id: offline.id ?? randomUUID(),
        requestId: offline.requestId,
        displayNo: offline.displayNo,
        prefix: parsedNo.prefix,
        number: parsedNo.number,
        day,
        categoryId: category.id,
        serviceId: offline.serviceId ?? null,
        priority: offline.priority,
        maskedName: offline.maskedName ?? null,
        kioskId,
        source: 'offline',
        lineKey: offlineLineKey(issuedAtMs, now.getTime()),
        issuedAt: new Date(issuedAtMs).toISOString(),
      });
      await store.insertTickets(tx, [ticket]);
      events.push(await store.appendEvent(tx, this.outbox, { kind: 'issued', at: ticket.issuedAt, ticket, detail: { offline: true, uploadedAt: now.toISOString() } }));
      return ok(store.publicTicket(ticket));
    });
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Runs a state change in one transaction and emits its events after commit.
   * A body checks before it writes, so a refused operation commits nothing of
   * its own (expired skips it dropped on the way stay dropped).
   */
  private async run<T>(body: TransactionBody<T>): Promise<Result<T>> {
    const events: TicketEvent[] = [];
    let result: Result<T>;
    try {
      result = await this.db.transaction((tx) => body(tx, events));
    } catch (err) {
      this.logger.error({ err }, 'queue: operation failed');
      return fail('internal', '排队系统内部错误，请稍后再试');
    }
    this.afterCommit(events);
    return result;
  }

  private afterCommit(events: readonly TicketEvent[]): void {
    if (events.some((event) => event.kind !== 'issued')) this.forgetFacts();
    for (const event of events) {
      this.logger.info({ kind: event.kind, displayNo: event.ticket.displayNo, categoryId: event.ticket.categoryId, windowNo: event.windowNo }, 'queue: ticket event');
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.logger.error({ err }, 'queue: event listener failed');
        }
      }
    }
  }

  private async requireSession(input: CounterRequest): Promise<Result<{ windowNo: string; staffId: string; category: QueueCategory }>> {
    const parsed = parseInput(CounterRequest, input);
    if (!parsed.ok) return parsed;
    const { windowNo, staffId } = parsed.value;
    const category = this.windowCategory.get(windowNo);
    if (category === undefined) return fail('unknown-window', `${windowNo}号窗口不是排队叫号窗口`);
    const session = await store.sessionAt(this.db, windowNo);
    if (session === undefined || session.staff_id !== staffId || session.day !== serviceDay(this.now())) {
      return fail('not-logged-in', `${windowNo}号窗口未登录，请先登录`);
    }
    return ok({ windowNo, staffId, category });
  }

  /** Applies `change` to the ticket currently called at the window. */
  private async changeCurrent(
    input: CounterRequest,
    kind: 'recalled' | 'skipped' | 'finished' | 'transferred',
    change: (t: StoredTicket, now: Date) => StoredTicket,
    detail: (t: StoredTicket) => Record<string, unknown> = () => ({}),
    refuse: (t: StoredTicket) => string | null = () => null,
  ): Promise<Result<Ticket>> {
    const session = await this.requireSession(input);
    if (!session.ok) return session;
    const { windowNo, staffId } = session.value;
    const now = this.now();
    return this.run(async (tx, events) => {
      const current = await store.currentAtWindow(tx, serviceDay(now), windowNo);
      if (current === undefined) return fail('no-current-ticket', `${windowNo}号窗口当前没有正在办理的号码`);
      const refusal = refuse(current);
      if (refusal !== null) return fail('bad-request', refusal);
      const changed = change(current, now);
      await store.updateTicket(tx, changed, 'called');
      events.push(await store.appendEvent(tx, this.outbox, { kind, at: now.toISOString(), ticket: changed, windowNo, staffId, detail: detail(current) }));
      return ok(store.publicTicket(changed));
    });
  }

  private async finishCurrent(tx: Queryable, day: string, windowNo: string, staffId: string, now: Date, events: TicketEvent[]): Promise<StoredTicket | null> {
    const current = await store.currentAtWindow(tx, day, windowNo);
    if (current === undefined) return null;
    const finished: StoredTicket = { ...current, status: 'finished', finishedAt: now.toISOString() };
    await store.updateTicket(tx, finished, 'called');
    events.push(await store.appendEvent(tx, this.outbox, { kind: 'finished', at: now.toISOString(), ticket: finished, windowNo, staffId }));
    return finished;
  }

  /** Skipped tickets past their grace are dropped (with an event each). */
  private async dropExpired(tx: Queryable, now: Date, events: TicketEvent[]): Promise<void> {
    for (const ticket of await store.skippedTickets(tx, serviceDay(now))) {
      if (ticket.skippedAt !== null && withinGrace(new Date(ticket.skippedAt), now, this.rules.graceMinutes)) continue;
      const dropped: StoredTicket = { ...ticket, status: 'dropped' };
      await store.updateTicket(tx, dropped, 'skipped');
      events.push(await store.appendEvent(tx, this.outbox, { kind: 'dropped', at: now.toISOString(), ticket: dropped, detail: { graceMinutes: this.rules.graceMinutes } }));
    }
  }

  /**
   * What a waiting estimate needs besides the line itself: the priority streak,
   * minutes per service and the open windows. They change only through this
   * service's own counter operations, so they are cached per category and day
   * and forgotten after any of those (see `run`, `counterLogin`, `counterLogout`).
   */
  private async lineFacts(db: Queryable, day: string, category: QueueCategory): Promise<LineFacts> {
    const key = `${day}|${category.id}`;
    const cached = this.factsCache.get(key);
    if (cached !== undefined) return cached;
    const generation = this.factsGeneration;
    const streak = await store.priorityStreak(db, day, category.id, this.rules.maxPriorityStreak);
    const durations = await store.recentServiceDurations(db, day, category.id, this.rules.serviceTimeSamples);
    const sessions = await store.sessionsOfDay(db, day);
    const facts: LineFacts = {
      streak,
      minutesPerService: serviceMinutes(durations, category.avgServiceMinutes, { minSamples: this.rules.minServiceTimeSamples }),
      openWindows: sessions.filter((s) => category.windows.includes(s.window_no)).map((s) => s.window_no),
    };
    if (generation === this.factsGeneration) {
      // Per category and day: earlier days' entries are never read again (a kiosk runs for weeks).
      for (const stale of this.factsCache.keys()) if (!stale.startsWith(`${day}|`)) this.factsCache.delete(stale);
      this.factsCache.set(key, facts);
    }
    return facts;
  }

  private forgetFacts(): void {
    this.factsCache.clear();
    this.factsGeneration++;
  }

  /** People ahead and ETA of tickets, by id; `db` is the open transaction when called inside one. */
  private async estimates(db: Queryable, tickets: readonly StoredTicket[]): Promise<Map<string, Estimate>> {
    const waiting = tickets.filter((t) => t.status === 'waiting');
    const positions = await store.positionCounts(db, waiting.map((t) => t.id));
    const result = new Map<string, Estimate>(tickets.map((t) => [t.id, { peopleAhead: null, etaMinutes: null }]));
    for (const ticket of waiting) {
      const category = findCategory(this.hall, ticket.categoryId)!;
      const facts = await this.lineFacts(db, ticket.day, category);
      const position = positions.get(ticket.id) ?? { sameClassAhead: 0, otherClassWaiting: 0 };
      const ahead = peopleAhead({ priority: ticket.priority !== null, ...position }, facts.streak, this.rules.maxPriorityStreak);
      result.set(ticket.id, { peopleAhead: ahead, etaMinutes: etaMinutes(ahead, facts.minutesPerService, facts.openWindows.length, category.windows.length) });
    }
    return result;
  }

  private floorOf(category: QueueCategory): number {
    return this.hall.departments.find((d) => category.departmentIds.includes(d.id))?.floor ?? 1;
  }
}

function chooseHead(heads: StoredTicket[], streak: number, maxPriorityStreak: number): StoredTicket | null {
  return chooseNext(
    heads.map((t) => ({ ...t, priority: t.priority !== null, ticket: t })),
    streak,
    maxPriorityStreak,
  )?.ticket ?? null;
}

function maskedOf(appointment: HeldAppointment, request: CheckInRequest): { maskedName?: string } {
  const name = appointment.maskedName ?? request.maskedName;
  return name === undefined || name === null ? {} : { maskedName: name };
}

const CHECK_IN_MESSAGES = {
  'appointment-other-day': '这个预约不是今天的，请在预约当天来签到',
  'appointment-used': '这个预约已经签到过了',
  'appointment-cancelled': '这个预约已取消',
  'appointment-too-early': '还没到签到时间',
  'appointment-too-late': '已过签到时间，可以取普通号',
} as const;

function checkInMessage(code: keyof typeof CHECK_IN_MESSAGES): string {
  return CHECK_IN_MESSAGES[code];
}

function codeGuessRefusal<T>(scope: AttemptScope, retryAtMs: number, now: Date): Result<T> {
  const minutes = Math.max(1, Math.ceil((retryAtMs - now.getTime()) / 60_000));
  const where = scope === 'key' ? '本机' : '全厅';
  return fail('appointment-rate-limited', `${where}预约码输错次数过多，请${minutes}分钟后再试，或到咨询台请工作人员帮助`, { scope: scope === 'key' ? 'kiosk' : 'hall', retryAt: new Date(retryAtMs).toISOString() });
}

function credentialMessage(check: Exclude<CredentialCheck, { ok: true }>, wrong: string, now: Date): string {
  if (check.reason === 'wrong') return wrong;
  const minutes = check.retryAt === undefined ? 1 : Math.max(1, Math.ceil((check.retryAt.getTime() - now.getTime()) / 60_000));
  return check.reason === 'locked' ? `该工号密码错误次数过多，请${minutes}分钟后再试` : `全厅登录失败次数过多，请${minutes}分钟后再试`;
}
