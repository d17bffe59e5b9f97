import { hallLocalTime } from '../electron/common/hall-time.js';
import { LOW_RATING_MAX, type RatingRow } from './protocol/ratings.js';
import type { FigureRow, FigureScope } from './protocol/stats.js';

/**
 * The hall's figures, as plain functions over the ticket events of a range of
 * days (no I/O: `stats-store.ts` reads the events, the service calls this).
 * Definitions (README "Statistics"):
 * - issued: `issued` events, in the hour of issue;
 * - waiting time: a ticket's first call − its issue, at the category and
 *   window of that call, in the hour of the call;
 * - served / service time: each `finished` event, finish − the call before it,
 *   in the hour of the finish;
 * - no-show: a skip (过号) never followed by another call of the ticket;
 * - transfer: a `transferred` event, counted for the category the ticket left
 *   and the window that sent it on;
 * - a voided ticket (an online number superseded by the kiosk's offline one)
 *   counts nowhere.
 * Hours and days are hall time (UTC+8, `electron/common/hall-time.ts`).
 */
export interface StatsEvent {
  ticketId: string;
  kind: string;
  /** ISO instant. */
  at: string;
  /** The ticket's category after the event (for a transfer: the new one). */
  categoryId: string;
  windowNo: string | null;
  /** Transfers: the category the ticket left. */
  fromCategoryId?: string | null;
}

export interface StatsLayout {
  /** Every category: its day rows are listed even when nothing happened (a window's only once it called someone). */
  categories: ReadonlyArray<{ id: string }>;
}

/** Nearest-rank percentile (p in 0–100) of the values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function minutesBetween(fromIso: string, toIso: string): number {
  return Math.max(0, (Date.parse(toIso) - Date.parse(fromIso)) / 60_000);
}

function oneDecimal(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

interface Bucket {
  day: string;
  hour: number | null;
  scope: FigureScope;
  key: string;
  issued: number;
  served: number;
  noShows: number;
  transfers: number;
  waits: number[];
  services: number[];
}

type Counter = 'issued' | 'served' | 'noShows' | 'transfers';

class Buckets {
  private readonly map = new Map<string, Bucket>();

  get(day: string, hour: number | null, scope: FigureScope, key: string): Bucket {
    const id = `${day}|${hour ?? ''}|${scope}|${key}`;
    let bucket = this.map.get(id);
    if (bucket === undefined) {
      bucket = { day, hour, scope, key, issued: 0, served: 0, noShows: 0, transfers: 0, waits: [], services: [] };
      this.map.set(id, bucket);
    }
    return bucket;
  }

  /** The buckets an event at `at` feeds: its hour and its day, for the hall, the category and (if any) the window. */
  private touched(at: string, categoryId: string | null, windowNo: string | null): Bucket[] {
    const local = hallLocalTime(new Date(at));
    const hour = Math.floor(local.minuteOfDay / 60);
    const out: Bucket[] = [];
    for (const h of [hour, null]) {
      out.push(this.get(local.day, h, 'hall', ''));
      if (categoryId !== null) out.push(this.get(local.day, h, 'category', categoryId));
      if (windowNo !== null) out.push(this.get(local.day, h, 'window', windowNo));
    }
    return out;
  }

  count(field: Counter, at: string, categoryId: string | null, windowNo: string | null): void {
    for (const bucket of this.touched(at, categoryId, windowNo)) bucket[field]++;
  }

  sample(field: 'waits' | 'services', value: number, at: string, categoryId: string, windowNo: string | null): void {
    for (const bucket of this.touched(at, categoryId, windowNo)) bucket[field].push(value);
  }

  all(): Bucket[] {
    return [...this.map.values()];
  }
}

const SCOPE_ORDER: Record<FigureScope, number> = { hall: 0, category: 1, window: 2 };

function compareKeys(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * The figure rows for the days `from`–`to`: per day (hour null) the hall and
 * every category, present even when empty, and the windows that did
 * something; per hour only the scopes something happened in. Events must be in the order they
 * happened (the store's `seq`).
 */
export function hallFigures(events: readonly StatsEvent[], layout: StatsLayout, from: string, to: string): FigureRow[] {
  const buckets = new Buckets();
  const days = daysBetween(from, to);
  for (const day of days) {
    buckets.get(day, null, 'hall', '');
    for (const category of layout.categories) {
      buckets.get(day, null, 'category', category.id);
    }
  }

  const byTicket = new Map<string, StatsEvent[]>();
  for (const event of events) {
    const list = byTicket.get(event.ticketId);
    if (list === undefined) byTicket.set(event.ticketId, [event]);
    else list.push(event);
  }
  for (const ticketEvents of byTicket.values()) {
    if (ticketEvents.some((e) => e.kind === 'voided')) continue;
    let issuedAt: string | null = null;
    let calledBefore = false;
    let lastCall: StatsEvent | null = null;
    let pendingSkip: StatsEvent | null = null;
    for (const event of ticketEvents) {
      switch (event.kind) {
        case 'issued':
          issuedAt = event.at;
          buckets.count('issued', event.at, event.categoryId, null);
          break;
        case 'called':
          if (!calledBefore && issuedAt !== null) buckets.sample('waits', minutesBetween(issuedAt, event.at), event.at, event.categoryId, event.windowNo);
          calledBefore = true;
          lastCall = event;
          pendingSkip = null;
          break;
        case 'skipped':
          pendingSkip = event;
          break;
        case 'transferred':
          buckets.count('transfers', event.at, event.fromCategoryId ?? event.categoryId, event.windowNo);
          lastCall = null;
          break;
        case 'finished':
          buckets.count('served', event.at, event.categoryId, event.windowNo);
          if (lastCall !== null) buckets.sample('services', minutesBetween(lastCall.at, event.at), event.at, event.categoryId, event.windowNo);
          lastCall = null;
          break;
        default:
          // recalled, requeued, dropped: no figure of their own (a drop is the no-show already pending).
          break;
      }
    }
    if (pendingSkip !== null) buckets.count('noShows', pendingSkip.at, pendingSkip.categoryId, pendingSkip.windowNo);
  }

  const inRange = new Set(days);
  return buckets
    .all()
    .filter((b) => inRange.has(b.day))
    .sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : (a.hour ?? -1) - (b.hour ?? -1) || SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || compareKeys(a.key, b.key)))
    .map((b) => ({
      day: b.day,
      hour: b.hour,
      scope: b.scope,
      key: b.key,
      issued: b.issued,
      served: b.served,
      noShows: b.noShows,
      transfers: b.transfers,
      waitP50: oneDecimal(percentile(b.waits, 50)),
      waitP90: oneDecimal(percentile(b.waits, 90)),
      serviceP50: oneDecimal(percentile(b.services, 50)),
      serviceP90: oneDecimal(percentile(b.services, 90)),
    }));
}

/** A stored rating, as the figures need it (ratings-store.ts reads them). */
export interface StatsRating {
  /** ISO instant the citizen rated. */
  at: string;
  stars: number;
  /** null: the rating named no department. */
  departmentId: string | null;
  reasons: readonly string[];
}

/**
 * Ratings (好差评) by department, per hall day of `from`–`to` (the day of the
 * rating's `at`, hall time): count, mean stars (one decimal), the count per
 * star, the share of low ratings (≤ 2 stars, percent with one decimal) and
 * the three most given reasons (a reason counts once per rating; ties by
 * code). Only departments rated that day have a row; '' is "no department".
 * Sorted by day, then department id.
 */
export function ratingFigures(ratings: readonly StatsRating[], from: string, to: string): RatingRow[] {
  const groups = new Map<string, { day: string; departmentId: string; stars: [number, number, number, number, number]; reasons: Map<string, number> }>();
  for (const rating of ratings) {
    const day = hallLocalTime(new Date(rating.at)).day;
    if (day < from || day > to || !Number.isInteger(rating.stars) || rating.stars < 1 || rating.stars > 5) continue;
    const departmentId = rating.departmentId ?? '';
    const id = `${day}|${departmentId}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { day, departmentId, stars: [0, 0, 0, 0, 0], reasons: new Map() };
      groups.set(id, group);
    }
    group.stars[rating.stars - 1]! += 1;
    for (const reason of new Set(rating.reasons)) group.reasons.set(reason, (group.reasons.get(reason) ?? 0) + 1);
  }
  return [...groups.values()]
    .sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.departmentId < b.departmentId ? -1 : a.departmentId > b.departmentId ? 1 : 0))
    .map((g) => {
      const count = g.stars.reduce((sum, n) => sum + n, 0);
      const total = g.stars.reduce((sum, n, i) => sum + n * (i + 1), 0);
      const low = g.stars.slice(0, LOW_RATING_MAX).reduce((sum, n) => sum + n, 0);
      const topReasons = [...g.reasons.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, 3)
        .map(([reason, n]) => ({ reason, count: n }));
      return { day: g.day, departmentId: g.departmentId, count, average: Math.round((total / count) * 10) / 10, stars: g.stars, lowPercent: Math.round((low / count) * 1000) / 10, topReasons };
    });
}
