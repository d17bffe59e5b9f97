/**
 * Queue rules as plain functions over data: numbering, priority, calling
 * order, waiting estimates, re-queueing and grace. Each rule is described in
 * README.md; the store and the service only feed them data.
 */
import { ageOn, SENIOR_AGE } from '../electron/common/age.js';

// ---------------------------------------------------------------- numbering

/** An inclusive range of ticket numbers. */
export interface NumberRange {
  start: number;
  end: number;
}

/**
 * Number space of one category on one day. Online numbers (issued by the hall
 * service) run 1–899 and, past that, 1000–8999. The reserve 900–999 and, past
 * that, 9000–9999 is leased in blocks to kiosks for offline issuing. The two
 * spaces never overlap, so a number is unique for the day whoever issued it.
 */
export const ONLINE_RANGES: readonly NumberRange[] = [
  { start: 1, end: 899 },
  { start: 1000, end: 8999 },
];
export const RESERVE_RANGES: readonly NumberRange[] = [
  { start: 900, end: 999 },
  { start: 9000, end: 9999 },
];

/** The next number after `last` within `ranges`, or null when they are used up. */
function nextInRanges(ranges: readonly NumberRange[], last: number | null): number | null {
  for (const range of ranges) {
    if (last === null || last < range.start) return range.start;
    if (last < range.end) return last + 1;
  }
  return null;
}

/** The next online number after `lastOnline` (null = none issued today yet). */
export function nextOnlineNumber(lastOnline: number | null): number | null {
  return nextInRanges(ONLINE_RANGES, lastOnline);
}

/** The next lease block of `size` numbers after `lastLeasedEnd`; a block never straddles two reserve ranges. */
export function nextLeaseBlock(lastLeasedEnd: number | null, size: number): NumberRange | null {
  let start = nextInRanges(RESERVE_RANGES, lastLeasedEnd);
  while (start !== null) {
    const range = RESERVE_RANGES.find((r) => r.start <= start! && start! <= r.end)!;
    if (start + size - 1 <= range.end) return { start, end: start + size - 1 };
    start = nextInRanges(RESERVE_RANGES, range.end);
  }
  return null;
}

/**
 * How many unused offline numbers a kiosk should hold for a category: about
 * an hour of issuing at the hall's current rate, shared by the kiosks that
 * hold leases, never below `floor` (a quiet morning still survives a short
 * outage) and never above `cap` (the reserve is 1,100 numbers per category
 * and day for every kiosk together).
 */
export function leaseTarget(issuedLastHour: number, kiosks: number, floor: number, cap: number): number {
  return Math.min(cap, Math.max(floor, Math.ceil(issuedLastHour / Math.max(1, kiosks))));
}

/** A001 … A899, A1000 …: at least three digits. */
export function formatTicketNumber(prefix: string, number: number): string {
  return `${prefix}${String(number).padStart(3, '0')}`;
}

/** `A012` → { prefix: 'A', number: 12 }. */
export function parseTicketNumber(displayNo: string): { prefix: string; number: number } | null {
  const match = /^([A-Z])(\d{3,4})$/.exec(displayNo.trim().toUpperCase());
  if (match === null) return null;
  return { prefix: match[1]!, number: Number(match[2]) };
}

// ----------------------------------------------------------------- priority

export type PriorityKind = 'elderly' | 'disabled' | 'appointment';
/** Elderly priority: the one seniority rule (electron/common/age.ts). */
export const ELDERLY_AGE = SENIOR_AGE;

export interface PriorityClaim {
  /** From the ID card read at the kiosk; used only for this decision, never stored. */
  birthDate?: string;
  /** A staff-confirmed disability (残疾人证 seen by staff). Appointment priority comes only from check-in, never from a claim. */
  priority?: 'disabled' | 'appointment';
  /** Whether a staff credential confirming a `disabled` claim was verified (the caller verifies it). */
  staffVerified?: boolean;
}

export type PriorityDecision = { ok: true; priority: PriorityKind | null } | { ok: false; code: 'priority-needs-staff' | 'priority-needs-appointment'; message: string };

/**
 * A `disabled` claim needs a verified staff credential; an `appointment`
 * claim is always refused here, because appointment priority is given only by
 * checking in a valid appointment inside its window (the service's `checkIn`).
 * Age is checked silently: a card holder under 70 simply gets a regular ticket.
 */
export function decidePriority(claim: PriorityClaim, today: string): PriorityDecision {
  if (claim.priority === 'disabled') {
    if (claim.staffVerified !== true) return { ok: false, code: 'priority-needs-staff', message: '残疾人优先号须由工作人员核验后发放' };
    return { ok: true, priority: 'disabled' };
  }
  if (claim.priority === 'appointment') return { ok: false, code: 'priority-needs-appointment', message: '预约优先号须通过预约签到取得' };
  if (claim.birthDate !== undefined) {
    const age = ageOn(claim.birthDate, today);
    if (age !== null && age >= ELDERLY_AGE) return { ok: true, priority: 'elderly' };
  }
  return { ok: true, priority: null };
}

// ------------------------------------------------------------ calling order

export interface WaitingTicket {
  id: string;
  priority: boolean;
  /** Place in line: lower goes first (ms since epoch when the ticket joined, or a re-queue midpoint). */
  lineKey: number;
}

/**
 * Anti-starvation: at most `maxPriorityStreak` priority calls in a row while
 * regular tickets wait. `streak` is how many of the category's latest calls
 * were priority tickets in a row.
 */
export function chooseNext<T extends WaitingTicket>(waiting: readonly T[], streak: number, maxPriorityStreak: number): T | null {
  const first = (priority: boolean): T | undefined =>
    waiting.filter((t) => t.priority === priority).reduce<T | undefined>((best, t) => (best === undefined || t.lineKey < best.lineKey ? t : best), undefined);
  const priority = first(true);
  const regular = first(false);
  if (priority !== undefined && (regular === undefined || streak < maxPriorityStreak)) return priority;
  return regular ?? null;
}

/** The priority streak after calling a ticket. */
export function streakAfter(streak: number, calledPriority: boolean): number {
  return calledPriority ? streak + 1 : 0;
}

export interface LinePosition {
  priority: boolean;
  /** Waiting tickets of the same class ahead of this one. */
  sameClassAhead: number;
  /** All waiting tickets of the other class (they may be called before this one). */
  otherClassWaiting: number;
}

/**
 * How many calls come before this ticket if nobody else joins, by replaying
 * `chooseNext` on counts (the store only needs to count, not list).
 */
export function peopleAhead(position: LinePosition, streak: number, maxPriorityStreak: number): number {
  let same = position.sameClassAhead;
  let other = position.otherClassWaiting;
  let calls = 0;
  for (;;) {
    // This ticket itself waits in its own class, so that class is never empty.
    const priorityWaiting = position.priority || other > 0;
    const regularWaiting = !position.priority || other > 0;
    const callPriority = priorityWaiting && (!regularWaiting || streak < maxPriorityStreak);
    if (callPriority === position.priority) {
      if (same === 0) return calls;
      same--;
    } else {
      other--;
    }
    calls++;
    streak = streakAfter(streak, callPriority);
  }
}

// ---------------------------------------------------------------- estimates

export interface ServiceTimeOptions {
  /** Finished services needed before their mean replaces the content's avgServiceMinutes. */
  minSamples: number;
}

/** Mean of recent service durations (minutes), or the category's configured average when there are too few. */
export function serviceMinutes(recentDurationsMs: readonly number[], avgServiceMinutes: number, options: ServiceTimeOptions): number {
  const valid = recentDurationsMs.filter((d) => Number.isFinite(d) && d >= 0);
  if (valid.length < options.minSamples) return avgServiceMinutes;
  return valid.reduce((sum, d) => sum + d, 0) / valid.length / 60_000;
}

/**
 * Estimated minutes until called: the people ahead are served `windows` at a
 * time. With no window open yet (staff not logged in), the category's full
 * window count is assumed.
 */
export function etaMinutes(ahead: number, minutesPerService: number, openWindows: number, categoryWindows: number): number {
  const windows = openWindows > 0 ? openWindows : Math.max(1, categoryWindows);
  return Math.ceil((ahead * minutesPerService) / windows);
}

// ------------------------------------------------------- skip, re-queue, grace

/** Whether a ticket skipped at `skippedAt` may still re-queue at `now`. */
export function withinGrace(skippedAt: Date, now: Date, graceMinutes: number): boolean {
  return now.getTime() - skippedAt.getTime() <= graceMinutes * 60_000;
}

const TIE_STEP = 0.001;

/**
 * Line key of a re-queued ticket: behind the first `behind` waiting tickets of
 * its class (过号顺延), or at the end when fewer wait. `keys` are the class's
 * waiting line keys.
 */
export function requeueLineKey(keys: readonly number[], behind: number, nowMs: number): number {
  const sorted = [...keys].sort((a, b) => a - b);
  const last = sorted[sorted.length - 1];
  if (sorted.length <= behind) return last === undefined ? nowMs : Math.max(nowMs, last + 1);
  const before = sorted[behind - 1] ?? sorted[0]! - 2;
  const after = sorted[behind]!;
  // Tickets issued in the same millisecond share a key: then go just behind all of them.
  return after > before ? (before + after) / 2 : before + TIE_STEP;
}

/** Line key of an offline ticket merged on upload: its issue time, but never in the future of the service. */
export function offlineLineKey(issuedAtMs: number, nowMs: number): number {
  return Math.min(issuedAtMs, nowMs);
}
