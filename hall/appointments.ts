import { serviceDay } from '../electron/common/hall-time.js';
import type { AttemptLimitPolicy } from '../electron/common/attempt-limit.js';

/**
 * Appointment check-in rules (预约签到), pure: the check-in window around a
 * slot, an appointment's states, which of a citizen's appointments a placed
 * card checks in, and the code format. The store and the service
 * (`appointment-book.ts`, `service.ts`) do the I/O.
 *
 * States: `booked` (pulled from the platform) → `checked-in` (a ticket was
 * issued for it) or `no-show` (its window closed without a check-in: the
 * slot is released and reported) or `cancelled` (by the platform).
 */
export type AppointmentState = 'booked' | 'checked-in' | 'no-show' | 'cancelled';

/** Minutes around the slot's start in which a citizen may check in (e.g. 30 before to 15 after). */
export interface AppointmentWindow {
  earlyMinutes: number;
  lateMinutes: number;
}

export const DEFAULT_APPOINTMENT_WINDOW: AppointmentWindow = { earlyMinutes: 30, lateMinutes: 15 };

/** What the rules need of a held appointment. */
export interface AppointmentFacts {
  id: string;
  state: AppointmentState;
  /** Hall service day of the slot, `YYYY-MM-DD`. */
  day: string;
  slotStart: string;
  /** The kiosk request that checked it in (a repeat of it is answered with the same ticket). */
  ticketRequestId: string | null;
}

export interface CheckInWindow {
  opensAt: Date;
  closesAt: Date;
}

export function checkInWindow(slotStart: string, window: AppointmentWindow): CheckInWindow {
  const start = Date.parse(slotStart);
  return { opensAt: new Date(start - window.earlyMinutes * 60_000), closesAt: new Date(start + window.lateMinutes * 60_000) };
}

export type CheckInRefusal = 'appointment-other-day' | 'appointment-used' | 'appointment-cancelled' | 'appointment-too-early' | 'appointment-too-late';

export type CheckInDecision = { ok: true; repeat: boolean } | { ok: false; code: CheckInRefusal };

/**
 * May this appointment be checked in now by this request? A repeat of the
 * request that checked it in is answered again (a lost reply); any other
 * check-in of a used appointment is refused, as is one for another day,
 * cancelled, or outside the window.
 */
export function decideCheckIn(appointment: AppointmentFacts, now: Date, window: AppointmentWindow, requestId: string): CheckInDecision {
  if (appointment.state === 'cancelled') return { ok: false, code: 'appointment-cancelled' };
  if (appointment.state === 'checked-in') return appointment.ticketRequestId === requestId ? { ok: true, repeat: true } : { ok: false, code: 'appointment-used' };
  if (appointment.day !== serviceDay(now)) return { ok: false, code: 'appointment-other-day' };
  if (appointment.state === 'no-show') return { ok: false, code: 'appointment-too-late' };
  const { opensAt, closesAt } = checkInWindow(appointment.slotStart, window);
  if (now.getTime() < opensAt.getTime()) return { ok: false, code: 'appointment-too-early' };
  if (now.getTime() > closesAt.getTime()) return { ok: false, code: 'appointment-too-late' };
  return { ok: true, repeat: false };
}

/**
 * Which of a citizen's appointments today her card checks in: one whose
 * window is open (earliest slot first), else the next one still to come,
 * else the latest (so she hears why it cannot be checked in).
 */
export function pickForCitizen<T extends AppointmentFacts>(appointments: readonly T[], now: Date, window: AppointmentWindow): T | undefined {
  const live = appointments.filter((a) => a.state !== 'cancelled');
  const candidates = live.length > 0 ? live : [...appointments];
  const bySlot = [...candidates].sort((a, b) => a.slotStart.localeCompare(b.slotStart));
  const open = bySlot.find((a) => a.state === 'booked' && decideCheckIn(a, now, window, '').ok);
  if (open !== undefined) return open;
  const upcoming = bySlot.find((a) => a.state === 'booked' && checkInWindow(a.slotStart, window).opensAt.getTime() > now.getTime());
  return upcoming ?? bySlot.at(-1);
}

/** A booked appointment whose window has closed: released as a no-show. */
export function isNoShow(appointment: AppointmentFacts, now: Date, window: AppointmentWindow): boolean {
  return appointment.state === 'booked' && now.getTime() > checkInWindow(appointment.slotStart, window).closesAt.getTime();
}

/** An appointment code as typed (spaces and dashes allowed) → its 8 digits, or null. */
export function normalizeAppointmentCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{8}$/.test(digits) ? digits : null;
}

/**
 * How many wrong appointment codes the hall service evaluates (`service.ts`
 * `checkIn`), with the one limiter of failed attempts: a code that names no
 * appointment counts against the kiosk that sent it (10 within 10 minutes →
 * that kiosk's code check-in cools off for 15 minutes) and hall-wide (30
 * within 10 minutes, over all kiosks → every kiosk's for 10 minutes). While
 * refused, a code is not looked up at all, so a right guess teaches nothing.
 * Card check-ins are not limited (a card is not a guess). Against 10^8 codes
 * and ~500 live appointments a day, the hall-wide rule leaves a guesser at
 * most 30 tries per 10 minutes, ~4,300 a day: about one chance in fifty a day
 * of hitting any appointment (without it: 50,000 tries in minutes); the
 * hall's citizens meanwhile check in by card or at the information desk.
 */
export const DEFAULT_CODE_GUESS_LIMIT = {
  perKey: { max: 10, windowMs: 10 * 60_000, lockMs: 15 * 60_000 },
  overall: { max: 30, windowMs: 10 * 60_000, lockMs: 10 * 60_000 },
} as const satisfies AttemptLimitPolicy;

/** 12345678 → ******78: a code in a log line is half of a capability, so only its last two digits are kept. */
export function maskAppointmentCode(code: string): string {
  return code.length <= 2 ? '*'.repeat(code.length) : `${'*'.repeat(code.length - 2)}${code.slice(-2)}`;
}
