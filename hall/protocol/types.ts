import { z } from 'zod';

/**
 * The queue API: request/response schemas (zod, for every edge: WS, HTTP,
 * renderer IPC) and the `HallQueue` interface that both the embedded
 * `HallQueueService` and the kiosk-side `RemoteHallQueue` implement.
 * Timestamps cross the API as ISO strings.
 */

const id = z.string().min(1).max(100);
const windowNo = z.string().regex(/^\d{1,3}$/, 'window numbers are 1–3 digit strings');
const isoTime = z.iso.datetime({ offset: true });
/** A masked name such as 张*丰: must contain a mask character so an unmasked name can never be stored. */
const maskedName = z.string().min(1).max(20).regex(/\*/, 'maskedName must be masked (e.g. 张*丰): use maskName() from electron/common/pii');

export const TicketStatus = z.enum(['waiting', 'called', 'skipped', 'finished', 'dropped', 'void']);
export type TicketStatus = z.infer<typeof TicketStatus>;
export const Priority = z.enum(['elderly', 'disabled', 'appointment']);
export type Priority = z.infer<typeof Priority>;

export const Ticket = z.object({
  id: z.string(),
  /** `A012`: prefix of the issuing category + at least 3 digits. Unique in the hall for the day. */
  displayNo: z.string(),
  /** Hall service day, `YYYY-MM-DD` (Asia/Shanghai). */
  day: z.string(),
  /** The category whose line the ticket is in now (changes on transfer). */
  categoryId: z.string(),
  /** The category that issued the number. */
  originCategoryId: z.string(),
  serviceId: z.string().nullable(),
  priority: Priority.nullable(),
  maskedName: z.string().nullable(),
  kioskId: z.string(),
  source: z.enum(['online', 'offline']),
  status: TicketStatus,
  issuedAt: isoTime,
  calledAt: isoTime.nullable(),
  windowNo: z.string().nullable(),
  recalls: z.number().int(),
  skippedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
});
export type Ticket = z.infer<typeof Ticket>;

export const IssueRequest = z.object({
  /** Client request id (UUID): repeating a request returns the same ticket. */
  requestId: z.string().min(8).max(100),
  categoryId: id,
  kioskId: id,
  serviceId: id.optional(),
  maskedName: maskedName.optional(),
  /** From the ID card: a holder aged ≥ 70 gets an elderly priority ticket. Not stored. */
  birthDate: z.string().regex(/^\d{4}-?\d{2}-?\d{2}$/).optional(),
  /**
   * Explicit priority claims: `disabled` needs `staff`, the credential of the
   * staff member who saw the 残疾人证 (verified by the service, lockout and
   * rate limit included). `appointment` is always refused here: appointment
   * priority comes only from checking in an appointment.
   */
  priority: z.enum(['disabled', 'appointment']).optional(),
  staff: z.object({ staffId: id, pin: z.string().min(4).max(12) }).optional(),
});
export type IssueRequest = z.infer<typeof IssueRequest>;

export const IssueResult = z.object({
  ticket: Ticket,
  categoryName: z.string(),
  /** Calls before this ticket; null when the kiosk issued offline and cannot know. */
  peopleAhead: z.number().int().nullable(),
  etaMinutes: z.number().int().nullable(),
  windows: z.array(z.string()),
  floor: z.number().int(),
  /** True when the kiosk issued from its offline lease (print "等候人数以叫号屏为准"). */
  offline: z.boolean(),
});
export type IssueResult = z.infer<typeof IssueResult>;

/**
 * Appointment check-in (预约签到) at a kiosk: by the citizen's keyed hash
 * (`citizenLookupKey` of the ID card she placed: the number never leaves the
 * kiosk) or by the 8-digit code she typed. Inside her slot's window she gets
 * an appointment-priority ticket in the appointment's category.
 */
export const CheckInRequest = z
  .object({
    /** Client request id (UUID): repeating it returns the same ticket; any other check-in of a used appointment is refused. */
    requestId: z.string().min(8).max(100),
    kioskId: id,
    code: z.string().regex(/^\d{8}$/, 'an appointment code is 8 digits').optional(),
    citizenKey: z.string().regex(/^[0-9a-f]{64}$/, 'the keyed hash of the ID number, never the number').optional(),
    maskedName: maskedName.optional(),
  })
  .refine((r) => (r.code === undefined) !== (r.citizenKey === undefined), { message: 'give code or citizenKey', path: ['code'] });
export type CheckInRequest = z.infer<typeof CheckInRequest>;

export const AppointmentSummary = z.object({
  id: z.string(),
  code: z.string(),
  serviceId: z.string(),
  categoryId: z.string(),
  slotStart: isoTime,
  slotEnd: isoTime,
  /** The check-in window: from `opensAt` to `closesAt`. */
  opensAt: isoTime,
  closesAt: isoTime,
});
export type AppointmentSummary = z.infer<typeof AppointmentSummary>;

export const CheckInResult = IssueResult.extend({ appointment: AppointmentSummary });
export type CheckInResult = z.infer<typeof CheckInResult>;

/** A ticket by today's number (counters, displays) or by its id (the QR code on the ticket). */
export const TicketQuery = z.union([z.object({ displayNo: z.string().min(4).max(6) }), z.object({ id: z.string().min(8).max(64) })]);
export type TicketQuery = z.infer<typeof TicketQuery>;

export const TicketInfo = z.object({ ticket: Ticket, peopleAhead: z.number().int().nullable(), etaMinutes: z.number().int().nullable() });
export type TicketInfo = z.infer<typeof TicketInfo>;

export const CounterLoginRequest = z.object({ windowNo, staffId: id, pin: z.string().min(4).max(12) });
export type CounterLoginRequest = z.infer<typeof CounterLoginRequest>;

export const CounterSession = z.object({ windowNo: z.string(), staffId: z.string(), categoryId: z.string(), token: z.string() });
export type CounterSession = z.infer<typeof CounterSession>;

/** Every counter operation names the window and the staff logged in at it. */
export const CounterRequest = z.object({ windowNo, staffId: id });
export type CounterRequest = z.infer<typeof CounterRequest>;

export const RequeueRequest = CounterRequest.extend({ displayNo: z.string().min(4).max(6) });
export type RequeueRequest = z.infer<typeof RequeueRequest>;

export const TransferRequest = CounterRequest.extend({ toCategoryId: id });
export type TransferRequest = z.infer<typeof TransferRequest>;

export const CallNextResult = z.object({
  /** The ticket now called at this window; null when nobody waits ("当前无人等候"). */
  called: Ticket.nullable(),
  /** The window's previous ticket, finished by this call (calling the next one ends the current service). */
  finished: Ticket.nullable(),
  waiting: z.number().int(),
});
export type CallNextResult = z.infer<typeof CallNextResult>;

export const CategorySnapshot = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  waiting: z.number().int(),
  priorityWaiting: z.number().int(),
  openWindows: z.array(z.string()),
  /** Every window of the category (the counter page offers them at login). */
  windows: z.array(z.string()),
  /** Estimated wait of a ticket taken now. */
  etaMinutes: z.number().int(),
});

export const RecentCall = z.object({ displayNo: z.string(), windowNo: z.string(), categoryId: z.string(), calledAt: isoTime, recalls: z.number().int() });

export const QueueSnapshot = z.object({
  day: z.string(),
  at: isoTime,
  categories: z.array(CategorySnapshot),
  /** Latest calls first (for the display wall). */
  recentCalls: z.array(RecentCall),
  windows: z.array(z.object({ windowNo: z.string(), staffId: z.string(), categoryId: z.string(), current: z.string().nullable() })),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

export const TicketEventKind = z.enum(['issued', 'called', 'recalled', 'skipped', 'requeued', 'transferred', 'finished', 'dropped', 'voided']);
export type TicketEventKind = z.infer<typeof TicketEventKind>;

export const TicketEvent = z.object({
  id: z.string(),
  kind: TicketEventKind,
  at: isoTime,
  ticket: Ticket,
  windowNo: z.string().nullable(),
  staffId: z.string().nullable(),
  /** e.g. { fromCategoryId } for a transfer, { reason } for a void. */
  detail: z.record(z.string(), z.unknown()),
});
export type TicketEvent = z.infer<typeof TicketEvent>;

export const QueueErrorCode = z.enum([
  'bad-request',
  'unknown-category',
  'unknown-window',
  'closed',
  'numbers-exhausted',
  'priority-needs-staff',
  'priority-needs-appointment',
  'bad-credentials',
  'not-logged-in',
  'no-current-ticket',
  'not-found',
  'not-skipped',
  'grace-expired',
  'number-not-leased',
  'appointment-not-found',
  'appointment-other-day',
  'appointment-used',
  'appointment-cancelled',
  'appointment-too-early',
  'appointment-too-late',
  'appointment-rate-limited',
  'unavailable',
  'unauthorized',
  'internal',
]);
export type QueueErrorCode = z.infer<typeof QueueErrorCode>;

export const QueueError = z.object({ code: QueueErrorCode, message: z.string(), details: z.record(z.string(), z.unknown()).optional() });
export type QueueError = z.infer<typeof QueueError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: QueueError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: QueueErrorCode, message: string, details?: Record<string, unknown>): Result<T> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** A zod-validated parse of untrusted input into a Result. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): Result<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return fail('bad-request', parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
}

/** The queue, wherever it runs: embedded in the kiosk host or over the network. */
export interface HallQueue {
  issue(request: IssueRequest): Promise<Result<IssueResult>>;
  /** Appointment check-in: an appointment-priority ticket inside the slot's window (never offline: the appointments are the service's). */
  checkIn(request: CheckInRequest): Promise<Result<CheckInResult>>;
  ticket(query: TicketQuery): Promise<Result<TicketInfo>>;
  counterLogin(request: CounterLoginRequest): Promise<Result<CounterSession>>;
  counterLogout(request: CounterRequest): Promise<Result<{ windowNo: string }>>;
  callNext(request: CounterRequest): Promise<Result<CallNextResult>>;
  recall(request: CounterRequest): Promise<Result<Ticket>>;
  skip(request: CounterRequest): Promise<Result<Ticket>>;
  requeue(request: RequeueRequest): Promise<Result<Ticket>>;
  transfer(request: TransferRequest): Promise<Result<Ticket>>;
  finish(request: CounterRequest): Promise<Result<Ticket>>;
  snapshot(): Promise<Result<QueueSnapshot>>;
  /** Live ticket events (issued, called, …); returns the unsubscribe function. */
  subscribe(listener: (event: TicketEvent) => void): () => void;
}
