import { z } from 'zod';
import { UserMessage } from './messages.js';
import { method, noParams } from './define.js';

/**
 * Queue tickets (排队取号): what the kiosk offers to queue for, issuing a
 * ticket (numbered by the hall queue, printed on the receipt printer), and the
 * session's own tickets. A citizen's priority is decided in the host from the
 * ID card's birth date; the renderer never sends identity.
 */
const id = z.string().min(1).max(100);

/**
 * Whether a category issues tickets now, shown before the citizen chooses:
 * closed categories carry why and the next opening (ISO instant).
 */
export const QueueIssuing = z.discriminatedUnion('open', [
  z.object({ open: z.literal(true) }),
  z.object({
    open: z.literal(false),
    reason: z.enum(['before-opening', 'after-cutoff', 'closed-day', 'holiday', 'category-closed-today']),
    nextOpening: z.string(),
  }),
]);
export type QueueIssuing = z.infer<typeof QueueIssuing>;

export const QueueCategoryView = z.object({
  id: z.string(),
  name: z.string(),
  /** The letter in front of its numbers (A012). */
  prefix: z.string(),
  floor: z.number().int(),
  windows: z.array(z.string()),
  departmentNames: z.array(z.string()),
  /** null when the hall queue cannot be asked right now (remote service offline). */
  waiting: z.number().int().nullable(),
  etaMinutes: z.number().int().nullable(),
  issuing: QueueIssuing,
});
export type QueueCategoryView = z.infer<typeof QueueCategoryView>;

export const QueueServiceChoice = z.object({ id: z.string(), name: z.string(), categoryId: z.string() });
export type QueueServiceChoice = z.infer<typeof QueueServiceChoice>;

/** The three ways to choose: a category, a department (its category), or "what do you want to do" (services by life event). */
export const QueueCatalog = z.object({
  categories: z.array(QueueCategoryView),
  departments: z.array(z.object({ id: z.string(), name: z.string(), floor: z.number().int(), categoryId: z.string() })),
  /** `id` stays the same in every language (a chosen life event survives a language switch); `name` is in the citizen's language. */
  lifeEvents: z.array(z.object({ id: z.string(), name: z.string(), services: z.array(QueueServiceChoice) })),
});
export type QueueCatalog = z.infer<typeof QueueCatalog>;

export const QueuePrinted = z.union([
  z.object({ ok: z.literal(true), warning: UserMessage.optional() }),
  /** The ticket is valid; only the paper copy is missing. `say` is for the screen (`queue.notPrinted {reason}`). */
  z.object({ ok: z.literal(false), reason: z.string(), say: UserMessage }),
]);
export type QueuePrinted = z.infer<typeof QueuePrinted>;

export const QueueTicketView = z.object({
  /** The hall queue's ticket id (also in the QR URL). */
  id: z.string(),
  /** A023 */
  number: z.string(),
  categoryId: z.string(),
  categoryName: z.string(),
  serviceName: z.string().optional(),
  floor: z.number().int(),
  windows: z.array(z.string()),
  /** null when issued offline from a lease (the display board has the truth). */
  peopleAhead: z.number().int().nullable(),
  etaMinutes: z.number().int().nullable(),
  offline: z.boolean(),
  priority: z.enum(['elderly', 'disabled', 'appointment']).nullable(),
  /** 张*丰, for a logged-in citizen. */
  maskedName: z.string().optional(),
  status: z.enum(['waiting', 'called', 'skipped', 'finished', 'dropped', 'void']),
  /** The window that called it, once called. */
  calledWindow: z.string().nullable(),
  issuedAt: z.string(),
  /** null: this kiosk has no address a phone can open (see `queue.ticketLink`), so the ticket carries no QR code. */
  qrUrl: z.string().nullable(),
  /** The QR code of `qrUrl` as a data:image/png URL, ready for an <img>; null with `qrUrl`. */
  qrDataUrl: z.string().nullable(),
  printed: QueuePrinted,
});
export type QueueTicketView = z.infer<typeof QueueTicketView>;

export const QueueIssueParams = z
  .object({
    /** Client request id (UUID): repeating it returns the same ticket and does not print again. */
    requestId: z.string().min(8).max(100),
    categoryId: id.optional(),
    serviceId: id.optional(),
  })
  .strict()
  .refine((p) => (p.categoryId === undefined) !== (p.serviceId === undefined), { message: 'give exactly one of categoryId or serviceId' });
export type QueueIssueParams = z.infer<typeof QueueIssueParams>;

export const QueueServiceTarget = z.object({ serviceId: z.string(), serviceName: z.string(), category: QueueCategoryView });
export type QueueServiceTarget = z.infer<typeof QueueServiceTarget>;

/** The base of the ticket QR codes' URL, or why there is none (`missing`: no public URL; `loopback`: only this machine can open it). */
export const QueueTicketLink = z.object({ base: z.string().nullable(), problem: z.enum(['missing', 'loopback', 'invalid']).nullable() });
export type QueueTicketLink = z.infer<typeof QueueTicketLink>;

/**
 * Appointment check-in (预约签到): by the ID card of the session (no `code`;
 * the host sends the hall only the keyed hash of the number) or by the
 * 8-digit appointment code typed on the keypad.
 */
export const QueueCheckInParams = z
  .object({
    /** Client request id (UUID): repeating it returns the same outcome and does not print again. */
    requestId: z.string().min(8).max(100),
    code: z.string().regex(/^\d{8}$/, 'an appointment code is 8 digits').optional(),
  })
  .strict();
export type QueueCheckInParams = z.infer<typeof QueueCheckInParams>;

const instant = z.string().max(40);
/**
 * What the check-in came to, each a code the renderer translates:
 * `checked-in` (an appointment-priority ticket, printed); `too-early` (come
 * back from `opensAt`); `too-late` (the window closed: a normal ticket is
 * offered in `categoryId`); `not-found`, `other-day`, `used`, `cancelled`;
 * `needs-card` (card path without a card in this session); `no-card-lookup`
 * (this kiosk cannot look appointments up by card: type the code);
 * `unavailable` (the hall service cannot be reached: appointments live there);
 * `too-many-tries` (too many wrong codes at this kiosk or in the hall: the
 * service looks no code up for a while; `retryAt`, and staff can help).
 */
export const QueueCheckInOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checked-in'), ticket: QueueTicketView, slotStart: instant, slotEnd: instant }),
  z.object({ kind: z.literal('too-early'), opensAt: instant, slotStart: instant }),
  z.object({ kind: z.literal('too-late'), slotStart: instant, categoryId: z.string(), categoryName: z.string() }),
  z.object({ kind: z.literal('too-many-tries'), retryAt: instant.nullable() }),
  z.object({ kind: z.enum(['not-found', 'other-day', 'used', 'cancelled', 'needs-card', 'no-card-lookup', 'unavailable']) }),
]);
export type QueueCheckInOutcome = z.infer<typeof QueueCheckInOutcome>;

export const queueApi = {
  'queue.catalog': method(noParams, QueueCatalog),
  /** The category a service (from the robot or the guide) queues in; `not_found` for an unknown service. */
  'queue.forService': method(z.object({ serviceId: id }).strict(), QueueServiceTarget),
  /**
   * Issues (and prints) a ticket. Errors: `not_found` (unknown category or
   * service), `refused` (closed: `details.nextOpening` ISO + message with the
   * next opening; numbers exhausted), `unavailable` (hall service unreachable
   * and no offline number).
   */
  'queue.issue': method(QueueIssueParams, QueueTicketView),
  /** Appointment check-in; refusals are outcomes, not errors. Errors: `refused` (hall closed), `internal`. */
  'queue.checkIn': method(QueueCheckInParams, QueueCheckInOutcome),
  /** This session's tickets (newest first), with their current place in line. */
  'queue.myTickets': method(noParams, z.array(QueueTicketView)),
  /** For the staff screen: whether tickets carry a QR code, and if not why. */
  'queue.ticketLink': method(noParams, QueueTicketLink),
};

export const queueEvents = {
  /** Waiting counts per category, after every change in the hall queue (throttled). */
  'queue.waiting': z.object({ categories: z.array(z.object({ id: z.string(), waiting: z.number().int(), etaMinutes: z.number().int() })) }),
};
