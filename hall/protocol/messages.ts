import { z } from 'zod';
import {
  CallNextResult,
  CheckInRequest,
  CheckInResult,
  CounterLoginRequest,
  CounterSession,
  IssueRequest,
  IssueResult,
  Priority,
  QueueError,
  QueueSnapshot,
  Ticket,
  TicketInfo,
  TicketQuery,
} from './types.js';
import { HallStats, HallStatsRequest, ManagerLoginRequest, ManagerSession } from './stats.js';
import { RatingOutcome, RatingReport } from './ratings.js';

/**
 * The hall service's network protocol (standalone mode): the messages on the
 * WebSocket, the RPC method table shared by WS and HTTP, and the offline
 * lease/upload messages between kiosks and the service. README "API".
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const LeaseRequest = z.object({
  kioskId: z.string().min(1).max(100),
  /** Hall days to lease for: today and the next service day. */
  days: z.array(day).min(1).max(3),
  /** Keep at least this many unused numbers per category and day. */
  minFree: z.number().int().min(1).max(100),
});
export type LeaseRequest = z.infer<typeof LeaseRequest>;

export const LeaseGrant = z.object({ day, prefix: z.string(), blocks: z.array(z.object({ start: z.number().int(), end: z.number().int() })) });
export type LeaseGrant = z.infer<typeof LeaseGrant>;

export const OfflineTicket = z.object({
  /**
   * The id the kiosk printed in the ticket's QR code: the service keeps it, so
   * `/t/<id>` answers for the citizen's phone once the ticket is uploaded.
   * (Optional only for kiosks of earlier versions; they get a new id.)
   */
  id: z.string().regex(/^[\w-]{8,64}$/).optional(),
  requestId: z.string().min(8).max(100),
  displayNo: z.string().min(4).max(6),
  categoryId: z.string().min(1).max(100),
  serviceId: z.string().min(1).max(100).optional(),
  priority: Priority.nullable(),
  maskedName: z.string().max(20).regex(/\*/).optional(),
  issuedAt: z.iso.datetime({ offset: true }),
});
export type OfflineTicket = z.infer<typeof OfflineTicket>;

export const OfflineUpload = z.object({ kioskId: z.string().min(1).max(100), tickets: z.array(OfflineTicket).max(1000) });
export type OfflineUpload = z.infer<typeof OfflineUpload>;

/** A Result schema: `{ok: true, value}` or `{ok: false, error}`. */
function resultOf<T extends z.ZodType>(value: T) {
  return z.union([z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: QueueError })]);
}

export const UploadOutcome = z.object({ requestId: z.string(), result: resultOf(Ticket) });
export type UploadOutcome = z.infer<typeof UploadOutcome>;

/** A refused staff credential, as the hall manager sees it (never the PIN). */
export const StaffFailure = z.object({ at: z.string(), staffId: z.string(), where: z.string(), reason: z.enum(['wrong', 'locked', 'rate-limited']) });
export type StaffFailure = z.infer<typeof StaffFailure>;

const token = z.string().min(10).max(100);
const counter = z.object({ token });

/**
 * RPC methods. Counter methods carry the session token from `counterLogin`
 * instead of window and staff: the server resolves it to the logged-in window.
 */
export const Methods = {
  issue: IssueRequest,
  checkIn: CheckInRequest,
  ticket: TicketQuery,
  snapshot: z.object({}).strict(),
  counterLogin: CounterLoginRequest,
  counterLogout: counter,
  callNext: counter,
  recall: counter,
  skip: counter,
  finish: counter,
  requeue: counter.extend({ displayNo: z.string().min(4).max(6) }),
  transfer: counter.extend({ toCategoryId: z.string().min(1).max(100) }),
  lease: LeaseRequest,
  uploadOffline: OfflineUpload,
  /** Hall manager (hall secret: HTTP API or a staff tool): refused staff credentials, newest first. */
  staffFailures: z.object({}).strict(),
  /** Hall manager on the statistics page: the manager PIN gives a session token… */
  managerLogin: ManagerLoginRequest,
  /** …that reads the hall's figures (hall/stats.ts). */
  hallStats: HallStatsRequest,
  /** Kiosks only, in their own name: the ratings citizens left there (protocol/ratings.ts), idempotent by rating id. */
  reportRatings: RatingReport,
} as const;
export type MethodName = keyof typeof Methods;

/** What each method answers: the client checks every reply against these. */
export const Responses = {
  issue: resultOf(IssueResult),
  checkIn: resultOf(CheckInResult),
  ticket: resultOf(TicketInfo),
  snapshot: resultOf(QueueSnapshot),
  counterLogin: resultOf(CounterSession),
  counterLogout: resultOf(z.object({ windowNo: z.string() })),
  callNext: resultOf(CallNextResult),
  recall: resultOf(Ticket),
  skip: resultOf(Ticket),
  finish: resultOf(Ticket),
  requeue: resultOf(Ticket),
  transfer: resultOf(Ticket),
  lease: resultOf(z.array(LeaseGrant)),
  uploadOffline: resultOf(z.array(UploadOutcome)),
  staffFailures: resultOf(z.array(StaffFailure)),
  managerLogin: resultOf(ManagerSession),
  hallStats: resultOf(HallStats),
  reportRatings: resultOf(z.array(RatingOutcome)),
} satisfies Record<MethodName, z.ZodType>;
/** What a method takes (before defaults) and what it answers. */
export type MethodParams<M extends MethodName> = z.input<(typeof Methods)[M]>;
export type MethodReply<M extends MethodName> = z.output<(typeof Responses)[M]>;
/** A call that never reached the service (not connected, no answer, a reply that fails its schema). */
export type CallFailure = { ok: false; error: QueueError };

/**
 * Checks a reply against its method's schema. Spelled out per method so a
 * generic caller (`call<M>`) gets `MethodReply<M>` back without a cast.
 */
export const checkReply: { [M in MethodName]: (value: unknown) => z.ZodSafeParseResult<MethodReply<M>> } = {
  issue: (v) => Responses.issue.safeParse(v),
  checkIn: (v) => Responses.checkIn.safeParse(v),
  ticket: (v) => Responses.ticket.safeParse(v),
  snapshot: (v) => Responses.snapshot.safeParse(v),
  counterLogin: (v) => Responses.counterLogin.safeParse(v),
  counterLogout: (v) => Responses.counterLogout.safeParse(v),
  callNext: (v) => Responses.callNext.safeParse(v),
  recall: (v) => Responses.recall.safeParse(v),
  skip: (v) => Responses.skip.safeParse(v),
  finish: (v) => Responses.finish.safeParse(v),
  requeue: (v) => Responses.requeue.safeParse(v),
  transfer: (v) => Responses.transfer.safeParse(v),
  lease: (v) => Responses.lease.safeParse(v),
  uploadOffline: (v) => Responses.uploadOffline.safeParse(v),
  staffFailures: (v) => Responses.staffFailures.safeParse(v),
  managerLogin: (v) => Responses.managerLogin.safeParse(v),
  hallStats: (v) => Responses.hallStats.safeParse(v),
  reportRatings: (v) => Responses.reportRatings.safeParse(v),
};

export const MethodName = z.enum(Object.keys(Methods) as [MethodName, ...MethodName[]]);
export const COUNTER_METHODS: ReadonlySet<MethodName> = new Set(['counterLogout', 'callNext', 'recall', 'skip', 'finish', 'requeue', 'transfer']);

/** The pages the hall service serves, each opened with its own page key (the statistics page also needs the manager PIN). */
export const PageRole = z.enum(['counter', 'display', 'stats']);
export type PageRole = z.infer<typeof PageRole>;

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    role: z.enum(['kiosk', 'counter', 'display', 'stats']),
    /** Kiosks: their id (the key that signs `proof` is this kiosk's own). */
    kioskId: z.string().min(1).max(100).optional(),
    /** HMAC of the server's challenge (hello-proof.ts) with the caller's key: kiosks, staff tools and pages alike. No secret crosses the wire. */
    proof: z.string().max(200).optional(),
    /** Receive ticket events on this socket (default true). */
    events: z.boolean().optional(),
  }),
  z.object({ type: z.literal('call'), id: z.number().int().nonnegative(), method: MethodName, params: z.unknown() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Server → client. `result.result` is a Result ({ok, value} | {ok:false, error}); `event.event` a TicketEvent. */
export const ServerMessage = z.discriminatedUnion('type', [
  /** First message on every connection: the nonce the hello's proof must sign. */
  z.object({ type: z.literal('challenge'), nonce: z.string().min(16).max(100) }),
  z.object({ type: z.literal('welcome'), day, at: z.string() }),
  z.object({ type: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.unknown() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** WebSocket close codes. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_PROTOCOL = 4400;
