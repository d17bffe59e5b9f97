import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import QRCode from 'qrcode';
import { z } from 'zod';
import { citizenLookupKey } from '../../../platform-contract/contract.js';
import { PlatformClient } from '../sync/client.js';
import { platformSettings } from '../sync/module.js';
import { citizenKeySecret as citizenKeySecretOf } from '../sync/materials.js';
import { queueTicketDoc, type PrintDoc } from '../../../devices/printer/index.js';
import { printWords, type PrintLocale } from '../../common/printed-words.js';
import { ApiError, userMessage, type ErrorCode, type QueueCheckInOutcome, type QueuePrinted, type QueueTicketView, type UserMessage } from '../../contract/index.js';
import type { HostContext, HostModule } from '../module.js';
import { rendererDist } from '../paths.js';
import type { SessionManager } from '../session/manager.js';
import { inLocale } from '../content/english.js';
import { categoryForService, categoryView, kioskCatalog } from './catalog.js';
import { ticketQrBase } from './ticket-link.js';
import { RemoteHallQueue } from './remote.js';
import { DEFAULT_RULES, HallQueueService, startAppointmentUpkeep, startHallServer, type AppointmentUpkeep, type HallCalendar, type HallServer } from '../../../hall/index.js';
import { HallRating, type HallQueue, type IssueResult, type Priority, type QueueError, type QueueErrorCode, type QueueSnapshot, type Ticket } from '../../../hall/protocol/index.js';
import type { Queryable } from '../storage/database.js';
import { insertKioskRating, kioskQueueMigrations } from './offline-store.js';
import { deviceReason } from '../../common/device-reasons.js';

/**
 * The queue capability in the kiosk host: opens the hall queue (embedded,
 * with the hall server for counters and displays, or remote), issues tickets
 * for the renderer, prints them on the receipt printer, keeps the session's
 * tickets until the session ends, and reports the `hall` device status.
 * README "Queue tickets" (top level) and electron/host/queue/README.md.
 */
export interface QueueModuleOptions {
  /** How often a remote kiosk re-checks its connection for the device status (ms). */
  hallStatusIntervalMs?: number;
}

const PRIORITY_WORDS: Record<Priority, 'priorityElderly' | 'priorityDisabled' | 'priorityAppointment'> = { elderly: 'priorityElderly', disabled: 'priorityDisabled', appointment: 'priorityAppointment' };
/** Repeated issue requests (a renderer retrying) are answered from here without printing again. */
const RECENT_REQUESTS = 500;
const WAITING_THROTTLE_MS = 300;

const ERROR_CODES: Partial<Record<QueueErrorCode, ErrorCode>> = {
  'bad-request': 'bad_request',
  'unknown-category': 'not_found',
  'not-found': 'not_found',
  closed: 'refused',
  'numbers-exhausted': 'refused',
  'priority-needs-staff': 'refused',
  'priority-needs-appointment': 'refused',
  unavailable: 'unavailable',
};

/** The hall's shared secret for embedded mode when the config has none: random, kept 0600 beside the data key. */
export function loadOrCreateHallSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(24).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** `ws://hall:8790/ws` → `http://hall:8790` (where the hall service also serves pages). */
export function httpBaseOf(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/ws\/?$/, '');
  return url.toString().replace(/\/$/, '');
}

/** The content names a ticket prints, in the citizen's language (the hall service names its category in Chinese). */
export interface TicketNames {
  hallName: string;
  /** The category's name in `locale`; absent = the hall service's own. */
  categoryName?: string;
  locale: PrintLocale;
}

/**
 * The printed ticket, in the citizen's language. An offline ticket (issued
 * from a lease while the hall service is away) cannot know its place in
 * line: one line says so instead of people ahead and the wait.
 */
export function ticketDoc(names: TicketNames, issued: IssueResult, qrUrl: string | null): PrintDoc {
  const { ticket } = issued;
  return queueTicketDoc({
    hallName: names.hallName,
    number: ticket.displayNo,
    categoryName: names.categoryName ?? issued.categoryName,
    floor: issued.floor,
    windows: issued.windows,
    peopleAhead: issued.peopleAhead ?? 0,
    etaMinutes: issued.etaMinutes ?? 0,
    waitUnknown: issued.peopleAhead === null,
    ...(qrUrl !== null ? { qrUrl } : {}),
    ...(ticket.maskedName !== null ? { maskedName: ticket.maskedName } : {}),
    ...(ticket.priority !== null ? { priority: printWords(names.locale)[PRIORITY_WORDS[ticket.priority]] } : {}),
    issuedAt: new Date(ticket.issuedAt),
    // The hall service's grace rule (DEFAULT_RULES.graceMinutes): a skipped number re-queues at the window within it (过号顺延).
    graceMinutes: DEFAULT_RULES.graceMinutes,
    locale: names.locale,
  });
}

/** What the citizen is told for each refusal of the queue (the hall service's own text stays in the log). */
function sayOf(error: QueueError, categoryName: string): UserMessage {
  const nextOpening = typeof error.details?.nextOpening === 'string' ? error.details.nextOpening : null;
  switch (error.code) {
    case 'closed':
      return userMessage('queue.closed', { reason: typeof error.details?.reason === 'string' ? error.details.reason : 'closed-day', category: categoryName, nextOpening });
    case 'numbers-exhausted':
      return userMessage('queue.numbersExhausted', { category: categoryName });
    case 'unknown-category':
      return userMessage('queue.unknownCategory', {});
    case 'priority-needs-staff':
      return userMessage('queue.priorityNeedsStaff', {});
    case 'priority-needs-appointment':
      return userMessage('queue.priorityNeedsAppointment', {});
    case 'not-found':
      return userMessage('queue.notFound', {});
    case 'unavailable':
      return userMessage('queue.unreachable', {});
    default:
      return userMessage('queue.internal', {});
  }
}

const CheckInDetails = z.object({ opensAt: z.string(), slotStart: z.string(), categoryId: z.string() });

function apiErrorOf(error: QueueError, categoryName: string): ApiError {
  return new ApiError(ERROR_CODES[error.code] ?? 'internal', sayOf(error, categoryName), { queueCode: error.code, ...error.details });
}

/**
 * Where the guide hands a citizen's rating for the hall service's statistics
 * (hall/protocol/ratings.ts: no personal data): kept in this kiosk's
 * database in the guide's own transaction, sent by the hall client when the
 * service can be reached (embedded or remote alike).
 */
export interface HallRatingsOutlet {
  enqueue(tx: Queryable, rating: HallRating): Promise<void>;
  /** After the transaction: send now if connected (else on reconnect or the next sync tick). */
  flush(): void;
}

export interface QueueHostModule extends HostModule {
  hallRatings: HallRatingsOutlet;
}

export function queueModule(ctx: HostContext, sessions: SessionManager, options: QueueModuleOptions = {}): QueueHostModule {
  const logger = ctx.logger.child({ module: 'queue' });
  const config = ctx.config.queue;
  const calendar: HallCalendar = { ignoreOpeningHours: config.ignoreOpeningHours && ctx.config.developerMode };
  let queue: (HallQueue & { close?: () => Promise<void> }) | undefined;
  /** The hall client (both modes): it also sends the kept ratings. */
  let client: RemoteHallQueue | undefined;
  let server: HallServer | undefined;
  /** Embedded mode: the in-process service (its events feed the waiting counts; a kiosk client hears none). */
  let embedded: HallQueueService | undefined;
  let publicBase = config.publicBaseUrl;
  const cleanups: Array<() => void> = [];
  const recent = new Map<string, Promise<QueueTicketView>>();
  const sessionTickets = new Map<string, QueueTicketView[]>();

  const hallQueue = (): HallQueue => {
    if (queue === undefined) throw new ApiError('unavailable', userMessage('queue.notStarted', {}));
    return queue;
  };

  const snapshotOrNull = async (): Promise<QueueSnapshot | null> => {
    const snapshot = await hallQueue().snapshot();
    return snapshot.ok ? snapshot.value : null;
  };

  const print = async (issued: IssueResult, qrUrl: string | null): Promise<QueuePrinted> => {
    // Without a paper copy the screen says why and that the number on it is valid (queue.notPrinted, in the citizen's language).
    if (ctx.printer === undefined) return { ok: false, reason: 'no_printer', say: userMessage('queue.notPrinted', { reason: 'no_printer' }) };
    // print() asks the printer's status (DLE EOT) first and refuses to send to a printer with a fault; it never throws.
    const locale = sessions.locale();
    const { hall } = ctx.content();
    const category = hall.queueCategories.find((c) => c.id === issued.ticket.categoryId);
    const names: TicketNames = { hallName: inLocale(locale, hall.name, hall.nameEn), ...(category !== undefined ? { categoryName: inLocale(locale, category.name, category.nameEn) } : {}), locale };
    const result = await ctx.printer.printer.print(ticketDoc(names, issued, qrUrl));
    if (result.printed) return result.warning === undefined ? { ok: true } : { ok: true, warning: userMessage('print.paperNearEnd', {}) };
    logger.warn({ number: issued.ticket.displayNo, reason: result.reason }, 'queue: ticket issued but not printed');
    return { ok: false, reason: result.reason, say: userMessage('queue.notPrinted', { reason: result.reason }) };
  };

  const viewOf = (ticket: Ticket, issued: Omit<IssueResult, 'ticket'>, extra: { serviceName?: string; qrUrl: string | null; qrDataUrl: string | null; printed: QueuePrinted }): QueueTicketView => ({
    id: ticket.id,
    number: ticket.displayNo,
    categoryId: ticket.categoryId,
    categoryName: issued.categoryName,
    ...(extra.serviceName !== undefined ? { serviceName: extra.serviceName } : {}),
    floor: issued.floor,
    windows: issued.windows,
    peopleAhead: issued.peopleAhead,
    etaMinutes: issued.etaMinutes,
    offline: issued.offline,
    priority: ticket.priority,
    ...(ticket.maskedName !== null ? { maskedName: ticket.maskedName } : {}),
    status: ticket.status,
    calledWindow: ticket.status === 'waiting' ? null : ticket.windowNo,
    issuedAt: ticket.issuedAt,
    qrUrl: extra.qrUrl,
    qrDataUrl: extra.qrDataUrl,
    printed: extra.printed,
  });

  /** The hall's citizen-key secret (预约 by card), or undefined: check-in by code only. */
  let citizenKeySecret: string | undefined;
  const recentCheckIns = new Map<string, Promise<QueueCheckInOutcome>>();
  let appointmentUpkeep: AppointmentUpkeep | undefined;

  const issue = async (requestId: string, target: { categoryId: string; serviceId?: string; serviceName?: string }): Promise<QueueTicketView> => {
    const session = sessions.current();
    const citizen = sessions.citizen();
    const result = await hallQueue().issue({
      requestId,
      categoryId: target.categoryId,
      kioskId: ctx.config.terminalId,
      ...(target.serviceId !== undefined ? { serviceId: target.serviceId } : {}),
      ...(session?.maskedName !== undefined ? { maskedName: session.maskedName } : {}),
      // For the elderly priority decision only: the queue (here, or the hall service in remote mode) never stores it; the ID number never leaves the host.
      ...(citizen !== undefined ? { birthDate: citizen.birthDate } : {}),
    });
    if (!result.ok) {
      logger.info({ code: result.error.code, categoryId: target.categoryId }, 'queue: ticket refused');
      const category = ctx.content().hall.queueCategories.find((c) => c.id === target.categoryId);
      throw apiErrorOf(result.error, category === undefined ? target.categoryId : inLocale(sessions.locale(), category.name, category.nameEn));
    }
    return deliver(result.value, target, session);
  };

  /** Prints an issued ticket, makes its QR code and keeps it under the session. */
  const deliver = async (issued: IssueResult, target: { serviceName?: string }, session: ReturnType<SessionManager['current']>): Promise<QueueTicketView> => {
    // No QR code rather than a dead one: a phone cannot open this kiosk's loopback address (the staff screen says why).
    const qrBase = ticketQrBase(publicBase);
    const qrUrl = qrBase.base === null ? null : `${qrBase.base}/t/${encodeURIComponent(issued.ticket.id)}`;
    const [printed, qrDataUrl] = await Promise.all([print(issued, qrUrl), qrUrl === null ? null : QRCode.toDataURL(qrUrl, { margin: 1, width: 256, errorCorrectionLevel: 'M' })]);
    const view = viewOf(issued.ticket, issued, { ...(target.serviceName !== undefined ? { serviceName: target.serviceName } : {}), qrUrl, qrDataUrl, printed });
    logger.info({ number: view.number, categoryId: view.categoryId, priority: view.priority, offline: view.offline, printed: printed.ok }, 'queue: ticket issued');
    if (session !== null && sessions.current()?.id === session.id) sessionTickets.set(session.id, [view, ...(sessionTickets.get(session.id) ?? [])]);
    return view;
  };

  /**
   * 预约签到: by the session's ID card (the hall gets the keyed hash of the
   * number, never the number) or by a typed code. Refusals are outcomes the
   * renderer explains; a ticket is printed like any other.
   */
  const checkIn = async (requestId: string, code: string | undefined): Promise<QueueCheckInOutcome> => {
    const citizen = sessions.citizen();
    let lookup: { code: string } | { citizenKey: string };
    if (code !== undefined) lookup = { code };
    else if (citizen === undefined) return { kind: 'needs-card' };
    else if (citizenKeySecret === undefined) return { kind: 'no-card-lookup' };
    else lookup = { citizenKey: citizenLookupKey(citizenKeySecret, citizen.idNumber) };
    const session = sessions.current();
    const maskedName = session?.maskedName;
    const result = await hallQueue().checkIn({ requestId, kioskId: ctx.config.terminalId, ...lookup, ...(maskedName !== undefined ? { maskedName } : {}) });
    const via = code === undefined ? 'card' : 'code';
    if (!result.ok) {
      logger.info({ code: result.error.code, via }, 'queue: appointment check-in refused');
      const details = CheckInDetails.safeParse(result.error.details ?? {});
      switch (result.error.code) {
        case 'appointment-too-early':
          if (details.success) return { kind: 'too-early', opensAt: details.data.opensAt, slotStart: details.data.slotStart };
          break;
        case 'appointment-too-late': {
          if (!details.success) break;
          const category = ctx.content().hall.queueCategories.find((c) => c.id === details.data.categoryId);
          const categoryName = category === undefined ? details.data.categoryId : inLocale(sessions.locale(), category.name, category.nameEn);
          return { kind: 'too-late', slotStart: details.data.slotStart, categoryId: details.data.categoryId, categoryName };
        }
        case 'appointment-not-found':
          return { kind: 'not-found' };
        case 'appointment-other-day':
          return { kind: 'other-day' };
        case 'appointment-used':
          return { kind: 'used' };
        case 'appointment-cancelled':
          return { kind: 'cancelled' };
        case 'unavailable':
          return { kind: 'unavailable' };
        case 'appointment-rate-limited': {
          const retryAt = result.error.details?.retryAt;
          return { kind: 'too-many-tries', retryAt: typeof retryAt === 'string' && !Number.isNaN(Date.parse(retryAt)) ? retryAt.slice(0, 40) : null };
        }
        default:
          break;
      }
      throw apiErrorOf(result.error, '');
    }
    const ticket = await deliver(result.value, {}, session);
    logger.info({ number: ticket.number, via, appointmentId: result.value.appointment.id }, 'queue: appointment checked in');
    return { kind: 'checked-in', ticket, slotStart: result.value.appointment.slotStart, slotEnd: result.value.appointment.slotEnd };
  };

  // Waiting counts for the screens, at most every WAITING_THROTTLE_MS however busy the hall is.
  let waitingTimer: NodeJS.Timeout | undefined;
  const publishWaiting = (): void => {
    if (waitingTimer !== undefined) return;
    waitingTimer = setTimeout(() => {
      waitingTimer = undefined;
      snapshotOrNull().then(
        (snapshot) => {
          if (snapshot !== null) ctx.bus.publish('queue.waiting', { categories: snapshot.categories.map((c) => ({ id: c.id, waiting: c.waiting, etaMinutes: c.etaMinutes })) });
        },
        (err: unknown) => logger.warn({ err }, 'queue: waiting counts unavailable'),
      );
    }, WAITING_THROTTLE_MS);
    waitingTimer.unref();
  };

  /**
   * Embedded mode: this kiosk runs the hall service in-process (through
   * hall/index.ts) and then talks to it exactly like a remote kiosk, over its
   * own WebSocket: one client path for both modes. If the configured port
   * cannot be bound, the service still listens on a loopback port of the
   * system's choosing for this kiosk alone: tickets still issue, only
   * counters and displays cannot reach it.
   */
  const startEmbedded = async (): Promise<void> => {
    const service = await HallQueueService.open({
      hall: ctx.content().hall,
      db: ctx.db,
      outbox: ctx.outbox,
      logger,
      now: ctx.now,
      kioskId: ctx.config.terminalId,
      counters: config.counters,
      calendar,
      appointmentWindow: config.appointmentWindow,
      ...(config.managerPinHash === undefined ? {} : { managerPinHash: config.managerPinHash }),
    });
    embedded = service;
    // 预约: this kiosk is the hall service, so it pulls the hall's appointments itself (the platform's, under this terminal's id).
    const platform = platformSettings(ctx.config);
    const source = platform.kind === 'ready' ? new PlatformClient({ ...platform.sync, now: ctx.now, logger }) : undefined;
    appointmentUpkeep = startAppointmentUpkeep({ book: service.appointments, ...(source === undefined ? {} : { source }), logger, now: ctx.now });
    cleanups.push(() => {
      appointmentUpkeep?.stop();
      source?.close();
    });
    const secret = config.secret ?? loadOrCreateHallSecret(join(ctx.config.dataDir, 'keys', 'hall.secret'));
    const listen = (port: number, host: string) => startHallServer({ service, secret, port, host, staticDir: rendererDist(), logger });
    try {
      server = await listen(config.listen.port, config.listen.host);
      publicBase ??= server.httpUrl;
      ctx.devices.report('hall', { state: 'ok', reason: deviceReason('device.hallEmbedded', {}), endpoint: server.httpUrl });
      // No keys in the log: `npm run hall -- page-urls --secret-file <dataDir>/keys/hall.secret` prints the links with them.
      logger.info({ counter: `${server.httpUrl}/counter/`, display: `${server.httpUrl}/display/` }, 'queue: counter and display pages');
    } catch (err) {
      logger.error({ err, port: config.listen.port }, 'queue: the hall server could not listen');
      server = await listen(0, '127.0.0.1');
      ctx.devices.report('hall', { state: 'degraded', reason: deviceReason('device.hallPortBusy', { port: config.listen.port, detail: (err as Error).message }), endpoint: 'embedded' });
    }
    const local = await RemoteHallQueue.open({ url: server.wsUrl, secret, kioskId: ctx.config.terminalId, hall: ctx.content().hall, db: ctx.db, logger, now: ctx.now, calendar });
    queue = local;
    client = local;
    if (!(await local.whenConnected(5000))) logger.error('queue: could not reach the in-process hall service');
  };

  const startRemote = async (url: string, secret: string): Promise<void> => {
    const tlsCa = config.tlsCaFile === undefined ? undefined : readFileSync(config.tlsCaFile, 'utf8');
    const remote = await RemoteHallQueue.open({ url, secret, kioskId: ctx.config.terminalId, hall: ctx.content().hall, db: ctx.db, logger, now: ctx.now, calendar, ...(tlsCa === undefined ? {} : { tlsCa }) });
    queue = remote;
    client = remote;
    publicBase ??= httpBaseOf(url);
    const report = (): void =>
      ctx.devices.report(
        'hall',
        remote.connected ? { state: 'ok', reason: deviceReason('device.hallConnected', {}), endpoint: url } : { state: 'degraded', reason: deviceReason('device.hallOffline', {}), endpoint: url },
      );
    ctx.devices.report('hall', { state: 'starting', reason: deviceReason('device.hallConnecting', {}), endpoint: url });
    const timer = setInterval(report, options.hallStatusIntervalMs ?? 2000);
    timer.unref();
    cleanups.push(() => clearInterval(timer));
    void remote.whenConnected(3000).then(report);
  };

  const hallRatings: HallRatingsOutlet = {
    enqueue: (tx, rating) => insertKioskRating(tx, HallRating.parse(rating), ctx.now()),
    flush: () => {
      void client?.sendRatings();
    },
  };

  return {
    name: 'queue',
    hallRatings,
    handlers: {
      'queue.catalog': async () => kioskCatalog(ctx.content(), await snapshotOrNull(), ctx.now(), calendar, sessions.locale()),
      'queue.ticketLink': async () => ticketQrBase(publicBase),
      'queue.forService': async ({ serviceId }) => {
        const content = ctx.content();
        const found = categoryForService(content, serviceId, sessions.locale());
        if (found === undefined) throw new ApiError('not_found', userMessage('queue.unknownService', {}));
        const live = (await snapshotOrNull())?.categories.find((c) => c.id === found.category.id);
        return { serviceId, serviceName: found.serviceName, category: categoryView(content.hall, found.category, live, ctx.now(), calendar, sessions.locale()) };
      },
      'queue.issue': async ({ requestId, categoryId, serviceId }) => {
        const earlier = recent.get(requestId);
        if (earlier !== undefined) return earlier;
        let target: { categoryId: string; serviceId?: string; serviceName?: string };
        if (serviceId !== undefined) {
          const found = categoryForService(ctx.content(), serviceId, sessions.locale());
          if (found === undefined) throw new ApiError('not_found', userMessage('queue.unknownService', {}), { queueCode: 'unknown-service' });
          target = { categoryId: found.category.id, serviceId, serviceName: found.serviceName };
        } else {
          target = { categoryId: categoryId ?? '' };
        }
        const pending = issue(requestId, target);
        recent.set(requestId, pending);
        if (recent.size > RECENT_REQUESTS) recent.delete(recent.keys().next().value as string);
        // A failed request may be retried for real (the hall may have opened, the service come back).
        pending.catch(() => recent.delete(requestId));
        return pending;
      },
      'queue.checkIn': async ({ requestId, code }) => {
        const earlier = recentCheckIns.get(requestId);
        if (earlier !== undefined) return earlier;
        const pending = checkIn(requestId, code);
        recentCheckIns.set(requestId, pending);
        if (recentCheckIns.size > RECENT_REQUESTS) recentCheckIns.delete(recentCheckIns.keys().next().value as string);
        pending.catch(() => recentCheckIns.delete(requestId));
        return pending;
      },
      'queue.myTickets': async () => {
        const session = sessions.current();
        if (session === null) return [];
        const tickets = sessionTickets.get(session.id) ?? [];
        // Refresh each ticket's place in line; an offline ticket the service does not know yet keeps what it had.
        return Promise.all(
          tickets.map(async (view) => {
            const info = await hallQueue().ticket({ displayNo: view.number });
            if (!info.ok || info.value.ticket.id !== view.id) return view;
            const { ticket, peopleAhead, etaMinutes } = info.value;
            return { ...view, status: ticket.status, calledWindow: ticket.status === 'waiting' ? null : ticket.windowNo, peopleAhead, etaMinutes };
          }),
        );
      },
    },
    async start() {
      // The kiosk's own tables (the hall client's too): kept ratings may be written before the client is open.
      await ctx.db.migrate('queue-kiosk', kioskQueueMigrations);
      // The one citizen-key secret (platform.citizenKeySecret / File), as 一号 material reuse uses it.
      const key = citizenKeySecretOf(ctx.config);
      if (key !== undefined && 'secret' in key) citizenKeySecret = key.secret;
      else if (key !== undefined) logger.error({ problem: key.problem }, 'queue: the citizen-key secret cannot be used: appointment check-in by code only');
      if (config.mode === 'remote' && config.url !== undefined && config.secret !== undefined) await startRemote(config.url, config.secret);
      else await startEmbedded();
      if (calendar.ignoreOpeningHours === true) logger.warn('queue: opening hours ignored (developer mode, queue.ignoreOpeningHours)');
      cleanups.push((embedded ?? hallQueue()).subscribe(publishWaiting));
      sessions.onEnd((sessionId) => {
        sessionTickets.delete(sessionId);
        // The remembered answers carry masked names: a retry never spans two visits, so they go too.
        recent.clear();
        recentCheckIns.clear();
      });
    },
    async stop() {
      for (const cleanup of cleanups) cleanup();
      clearTimeout(waitingTimer);
      await queue?.close?.();
      await server?.close();
    },
  };
}
