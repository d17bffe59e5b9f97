import { randomUUID } from 'node:crypto';
import type { Migration, Queryable } from '../electron/host/storage/database.js';
import type { Outbox } from '../electron/host/storage/outbox.js';
import type { NumberRange } from './rules.js';
import type { Priority, Ticket, TicketEvent, TicketEventKind, TicketStatus } from './protocol/types.js';

/**
 * SQLite tables of the queue (module `queue`) and the statements over them.
 * Every function takes the Queryable it runs on, so the service decides the
 * transaction boundaries. Tables: tickets, events, daily number counters,
 * leases, counter sessions. (The kiosk's own leases and offline tickets are
 * the kiosk client's: electron/host/queue/offline-store.ts.)
 */
export const queueMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'queue tickets, events, numbers, leases, sessions',
    up: `
    CREATE TABLE queue_tickets (
      id TEXT PRIMARY KEY,
      request_id TEXT NOT NULL UNIQUE,
      day TEXT NOT NULL,
      prefix TEXT NOT NULL,
      number INTEGER NOT NULL,
      display_no TEXT NOT NULL,
      category_id TEXT NOT NULL,
      origin_category_id TEXT NOT NULL,
      service_id TEXT,
      priority TEXT CHECK (priority IN ('elderly', 'disabled', 'appointment')),
      masked_name TEXT,
      kiosk_id TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('online', 'offline')),
      status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'skipped', 'finished', 'dropped', 'void')),
      line_key REAL NOT NULL,
      issued_at TEXT NOT NULL,
      called_at TEXT,
      window_no TEXT,
      staff_id TEXT,
      recalls INTEGER NOT NULL DEFAULT 0,
      skipped_at TEXT,
      finished_at TEXT,
      UNIQUE (day, display_no)
    );
    CREATE INDEX queue_tickets_line ON queue_tickets (day, category_id, status, line_key);
    CREATE INDEX queue_tickets_window ON queue_tickets (day, window_no, status);
    CREATE TABLE queue_ticket_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      ticket_id TEXT NOT NULL REFERENCES queue_tickets (id),
      day TEXT NOT NULL,
      category_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      priority INTEGER NOT NULL,
      at TEXT NOT NULL,
      window_no TEXT,
      staff_id TEXT,
      detail TEXT NOT NULL
    );
    CREATE INDEX queue_ticket_events_kind ON queue_ticket_events (day, category_id, kind, seq);
    CREATE TABLE queue_numbers (
      day TEXT NOT NULL,
      prefix TEXT NOT NULL,
      last_online INTEGER,
      last_leased INTEGER,
      PRIMARY KEY (day, prefix)
    );
    CREATE TABLE queue_leases (
      day TEXT NOT NULL,
      prefix TEXT NOT NULL,
      kiosk_id TEXT NOT NULL,
      start INTEGER NOT NULL,
      end INTEGER NOT NULL,
      granted_at TEXT NOT NULL,
      PRIMARY KEY (day, prefix, start)
    );
    CREATE TABLE queue_counter_sessions (
      window_no TEXT PRIMARY KEY,
      staff_id TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      day TEXT NOT NULL,
      started_at TEXT NOT NULL
    );`,
  },
];

// ------------------------------------------------------------------ tickets

interface TicketRow {
  id: string;
  request_id: string;
  day: string;
  prefix: string;
  number: number;
  display_no: string;
  category_id: string;
  origin_category_id: string;
  service_id: string | null;
  priority: Priority | null;
  masked_name: string | null;
  kiosk_id: string;
  source: 'online' | 'offline';
  status: TicketStatus;
  line_key: number;
  issued_at: string;
  called_at: string | null;
  window_no: string | null;
  staff_id: string | null;
  recalls: number;
  skipped_at: string | null;
  finished_at: string | null;
}

export interface StoredTicket extends Ticket {
  requestId: string;
  prefix: string;
  number: number;
  lineKey: number;
  staffId: string | null;
}

/** The fields a ticket has before anyone calls it; the caller gives who, what and when. */
export type NewTicket = Pick<StoredTicket, 'id' | 'requestId' | 'displayNo' | 'prefix' | 'number' | 'day' | 'categoryId' | 'serviceId' | 'priority' | 'maskedName' | 'kioskId' | 'source' | 'lineKey' | 'issuedAt'>;

/** A just-issued ticket, online or uploaded from an offline lease: waiting, in its own category, never called. */
export function waitingTicket(fields: NewTicket): StoredTicket {
  return { ...fields, originCategoryId: fields.categoryId, status: 'waiting', calledAt: null, windowNo: null, staffId: null, recalls: 0, skippedAt: null, finishedAt: null };
}

function fromRow(row: TicketRow): StoredTicket {
  return {
    id: row.id,
    requestId: row.request_id,
    displayNo: row.display_no,
    prefix: row.prefix,
    number: row.number,
    day: row.day,
    categoryId: row.category_id,
    originCategoryId: row.origin_category_id,
    serviceId: row.service_id,
    priority: row.priority,
    maskedName: row.masked_name,
    kioskId: row.kiosk_id,
    source: row.source,
    status: row.status,
    lineKey: row.line_key,
    issuedAt: row.issued_at,
    calledAt: row.called_at,
    windowNo: row.window_no,
    staffId: row.staff_id,
    recalls: row.recalls,
    skippedAt: row.skipped_at,
    finishedAt: row.finished_at,
  };
}

/** The public view of a stored ticket (no request id, line key or staff). */
export function publicTicket(ticket: StoredTicket): Ticket {
  const { requestId: _requestId, prefix: _prefix, number: _number, lineKey: _lineKey, staffId: _staffId, ...rest } = ticket;
  return rest;
}

const TICKET_COLUMNS = 22;

/** Inserts tickets (one statement); the caller has checked their request ids are new. */
export async function insertTickets(db: Queryable, tickets: readonly StoredTicket[]): Promise<void> {
  if (tickets.length === 0) return;
  const row = `(${Array.from({ length: TICKET_COLUMNS }, () => '?').join(', ')})`;
  await db.run(
    `INSERT INTO queue_tickets (id, request_id, day, prefix, number, display_no, category_id, origin_category_id, service_id, priority, masked_name,
       kiosk_id, source, status, line_key, issued_at, called_at, window_no, staff_id, recalls, skipped_at, finished_at)
     VALUES ${tickets.map(() => row).join(', ')}`,
    tickets.flatMap((t) => [
      t.id, t.requestId, t.day, t.prefix, t.number, t.displayNo, t.categoryId, t.originCategoryId, t.serviceId, t.priority, t.maskedName,
      t.kioskId, t.source, t.status, t.lineKey, t.issuedAt, t.calledAt, t.windowNo, t.staffId, t.recalls, t.skippedAt, t.finishedAt,
    ]),
  );
}

/** Writes the mutable fields of a ticket. `expectStatus` guards a state change (0 rows = someone else moved it). */
export async function updateTicket(db: Queryable, t: StoredTicket, expectStatus: TicketStatus): Promise<boolean> {
  const result = await db.run(
    `UPDATE queue_tickets SET request_id = ?, category_id = ?, status = ?, line_key = ?, called_at = ?, window_no = ?, staff_id = ?, recalls = ?,
       skipped_at = ?, finished_at = ? WHERE id = ? AND status = ?`,
    [t.requestId, t.categoryId, t.status, t.lineKey, t.calledAt, t.windowNo, t.staffId, t.recalls, t.skippedAt, t.finishedAt, t.id, expectStatus],
  );
  return result.changes === 1;
}

export async function ticketsByRequest(db: Queryable, requestIds: readonly string[]): Promise<Map<string, StoredTicket>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db.all<TicketRow>(`SELECT * FROM queue_tickets WHERE request_id IN (${requestIds.map(() => '?').join(', ')})`, requestIds);
  return new Map(rows.map((row) => [row.request_id, fromRow(row)]));
}

export async function ticketByRequest(db: Queryable, requestId: string): Promise<StoredTicket | undefined> {
  return (await ticketsByRequest(db, [requestId])).get(requestId);
}

export async function ticketById(db: Queryable, id: string): Promise<StoredTicket | undefined> {
  const row = await db.get<TicketRow>('SELECT * FROM queue_tickets WHERE id = ?', [id]);
  return row === undefined ? undefined : fromRow(row);
}

export async function ticketByDisplayNo(db: Queryable, day: string, displayNo: string): Promise<StoredTicket | undefined> {
  const row = await db.get<TicketRow>('SELECT * FROM queue_tickets WHERE day = ? AND display_no = ?', [day, displayNo]);
  return row === undefined ? undefined : fromRow(row);
}

/** The ticket being served at a window (status `called`). */
export async function currentAtWindow(db: Queryable, day: string, windowNo: string): Promise<StoredTicket | undefined> {
  const row = await db.get<TicketRow>("SELECT * FROM queue_tickets WHERE day = ? AND window_no = ? AND status = 'called' ORDER BY called_at DESC LIMIT 1", [day, windowNo]);
  return row === undefined ? undefined : fromRow(row);
}

/** The first waiting ticket of a class (priority or regular) in a category's line. */
export async function headOfLine(db: Queryable, day: string, categoryId: string, priority: boolean): Promise<StoredTicket | undefined> {
  const row = await db.get<TicketRow>(
    `SELECT * FROM queue_tickets WHERE day = ? AND category_id = ? AND status = 'waiting' AND priority IS ${priority ? 'NOT ' : ''}NULL
     ORDER BY line_key, rowid LIMIT 1`,
    [day, categoryId],
  );
  return row === undefined ? undefined : fromRow(row);
}

export async function waitingLineKeys(db: Queryable, day: string, categoryId: string, priority: boolean): Promise<number[]> {
  const rows = await db.all<{ line_key: number }>(
    `SELECT line_key FROM queue_tickets WHERE day = ? AND category_id = ? AND status = 'waiting' AND priority IS ${priority ? 'NOT ' : ''}NULL ORDER BY line_key`,
    [day, categoryId],
  );
  return rows.map((r) => r.line_key);
}

export interface LineCounts {
  priorityWaiting: number;
  regularWaiting: number;
}

export async function lineCounts(db: Queryable, day: string): Promise<Map<string, LineCounts>> {
  const rows = await db.all<{ category_id: string; p: number; r: number }>(
    `SELECT category_id, SUM(priority IS NOT NULL) AS p, SUM(priority IS NULL) AS r FROM queue_tickets
     WHERE day = ? AND status = 'waiting' GROUP BY category_id`,
    [day],
  );
  return new Map(rows.map((row) => [row.category_id, { priorityWaiting: row.p, regularWaiting: row.r }]));
}

export interface PositionCounts {
  /** Waiting tickets of the same class ahead of it. */
  sameClassAhead: number;
  /** All waiting tickets of the other class. */
  otherClassWaiting: number;
}

/** Each ticket's place in its line (one statement for any number of tickets), by ticket id. */
export async function positionCounts(db: Queryable, ticketIds: readonly string[]): Promise<Map<string, PositionCounts>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db.all<{ id: string; same: number; other: number }>(
    `SELECT t.id AS id,
       (SELECT COUNT(*) FROM queue_tickets w WHERE w.day = t.day AND w.category_id = t.category_id AND w.status = 'waiting' AND w.id <> t.id
          AND (w.priority IS NULL) = (t.priority IS NULL) AND (w.line_key < t.line_key OR (w.line_key = t.line_key AND w.rowid < t.rowid))) AS same,
       (SELECT COUNT(*) FROM queue_tickets w WHERE w.day = t.day AND w.category_id = t.category_id AND w.status = 'waiting'
          AND (w.priority IS NULL) <> (t.priority IS NULL)) AS other
     FROM queue_tickets t WHERE t.id IN (${ticketIds.map(() => '?').join(', ')})`,
    ticketIds,
  );
  return new Map(rows.map((r) => [r.id, { sameClassAhead: r.same, otherClassWaiting: r.other }]));
}

/** How many of the category's latest calls today were priority tickets in a row (looks back at most `limit`). */
export async function priorityStreak(db: Queryable, day: string, categoryId: string, limit: number): Promise<number> {
  const rows = await db.all<{ priority: number }>(
    "SELECT priority FROM queue_ticket_events WHERE day = ? AND category_id = ? AND kind = 'called' ORDER BY seq DESC LIMIT ?",
    [day, categoryId, limit],
  );
  const firstRegular = rows.findIndex((r) => r.priority === 0);
  return firstRegular === -1 ? rows.length : firstRegular;
}

/** Durations (ms) of the category's latest finished services today, newest first. */
export async function recentServiceDurations(db: Queryable, day: string, categoryId: string, limit: number): Promise<number[]> {
  const rows = await db.all<{ called_at: string; finished_at: string }>(
    `SELECT called_at, finished_at FROM queue_tickets WHERE day = ? AND category_id = ? AND status = 'finished' AND called_at IS NOT NULL
     ORDER BY finished_at DESC LIMIT ?`,
    [day, categoryId, limit],
  );
  return rows.map((r) => Date.parse(r.finished_at) - Date.parse(r.called_at));
}

/** Skipped tickets of `day` and earlier (a handful: each is dropped once its grace is over). */
export async function skippedTickets(db: Queryable, day: string): Promise<StoredTicket[]> {
  const rows = await db.all<TicketRow>("SELECT * FROM queue_tickets WHERE day <= ? AND status = 'skipped'", [day]);
  return rows.map(fromRow);
}

export async function recentCalls(db: Queryable, day: string, limit: number): Promise<StoredTicket[]> {
  const rows = await db.all<TicketRow>(
    "SELECT * FROM queue_tickets WHERE day = ? AND called_at IS NOT NULL AND window_no IS NOT NULL ORDER BY called_at DESC LIMIT ?",
    [day, limit],
  );
  return rows.map(fromRow);
}

// ------------------------------------------------------------------- events

export interface NewEvent {
  kind: TicketEventKind;
  at: string;
  ticket: StoredTicket;
  windowNo?: string | null;
  staffId?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * Stores ticket events (one statement) and an outbox row for each; call
 * inside the transaction that changed the tickets.
 */
export async function appendEvents(tx: Queryable, outbox: Outbox, news: readonly NewEvent[]): Promise<TicketEvent[]> {
  if (news.length === 0) return [];
  const events: TicketEvent[] = news.map((e) => ({
    id: randomUUID(),
    kind: e.kind,
    at: e.at,
    ticket: publicTicket(e.ticket),
    windowNo: e.windowNo ?? null,
    staffId: e.staffId ?? null,
    detail: e.detail ?? {},
  }));
  await tx.run(
    `INSERT INTO queue_ticket_events (id, ticket_id, day, category_id, kind, priority, at, window_no, staff_id, detail)
     VALUES ${news.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    news.flatMap((e, i) => {
      const event = events[i]!;
      return [event.id, e.ticket.id, e.ticket.day, e.ticket.categoryId, e.kind, e.ticket.priority !== null ? 1 : 0, e.at, event.windowNo, event.staffId, JSON.stringify(event.detail)];
    }),
  );
  for (const event of events) await outbox.append(tx, { id: event.id, kind: 'queue.ticket-event', schemaVersion: 1, payload: event }, new Date(event.at));
  return events;
}

export async function appendEvent(tx: Queryable, outbox: Outbox, e: NewEvent): Promise<TicketEvent> {
  return (await appendEvents(tx, outbox, [e]))[0]!;
}

// ------------------------------------------------------------------ numbers

export interface NumbersRow {
  last_online: number | null;
  last_leased: number | null;
}

/** Key of a (day, prefix) pair in the maps below. */
export const numbersKey = (day: string, prefix: string): string => `${day}|${prefix}`;

/** The number counters of several (day, prefix) pairs, keyed `day|prefix`; missing pairs start empty. */
export async function dayNumbersMany(db: Queryable, pairs: ReadonlyArray<{ day: string; prefix: string }>): Promise<Map<string, NumbersRow>> {
  const result = new Map<string, NumbersRow>(pairs.map((p) => [numbersKey(p.day, p.prefix), { last_online: null, last_leased: null }]));
  if (pairs.length === 0) return result;
  const rows = await db.all<NumbersRow & { day: string; prefix: string }>(
    `SELECT day, prefix, last_online, last_leased FROM queue_numbers WHERE (day, prefix) IN (VALUES ${pairs.map(() => '(?, ?)').join(', ')})`,
    pairs.flatMap((p) => [p.day, p.prefix]),
  );
  for (const row of rows) result.set(numbersKey(row.day, row.prefix), { last_online: row.last_online, last_leased: row.last_leased });
  return result;
}

export async function dayNumbers(db: Queryable, day: string, prefix: string): Promise<NumbersRow> {
  return (await dayNumbersMany(db, [{ day, prefix }])).get(numbersKey(day, prefix))!;
}

export async function saveDayNumbersMany(db: Queryable, rows: ReadonlyArray<NumbersRow & { day: string; prefix: string }>): Promise<void> {
  if (rows.length === 0) return;
  await db.run(
    `INSERT INTO queue_numbers (day, prefix, last_online, last_leased) VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}
     ON CONFLICT (day, prefix) DO UPDATE SET last_online = excluded.last_online, last_leased = excluded.last_leased`,
    rows.flatMap((r) => [r.day, r.prefix, r.last_online, r.last_leased]),
  );
}

export async function saveDayNumbers(db: Queryable, day: string, prefix: string, numbers: NumbersRow): Promise<void> {
  await saveDayNumbersMany(db, [{ day, prefix, ...numbers }]);
}

// ------------------------------------------------------------------- leases

export async function kioskLeases(db: Queryable, day: string, kioskId: string): Promise<Array<NumberRange & { prefix: string }>> {
  return db.all<NumberRange & { prefix: string }>('SELECT prefix, start, end FROM queue_leases WHERE day = ? AND kiosk_id = ? ORDER BY prefix, start', [day, kioskId]);
}

export async function insertLease(db: Queryable, day: string, prefix: string, kioskId: string, block: NumberRange, at: string): Promise<void> {
  await db.run('INSERT INTO queue_leases (day, prefix, kiosk_id, start, end, granted_at) VALUES (?, ?, ?, ?, ?, ?)', [day, prefix, kioskId, block.start, block.end, at]);
}

/** Tickets issued since `sinceIso` on `day`, per issuing prefix (the recent demand that sizes offline leases). */
export async function issuedSince(db: Queryable, day: string, sinceIso: string): Promise<Map<string, number>> {
  const rows = await db.all<{ prefix: string; n: number }>('SELECT prefix, COUNT(*) AS n FROM queue_tickets WHERE day = ? AND issued_at >= ? GROUP BY prefix', [day, sinceIso]);
  return new Map(rows.map((r) => [r.prefix, r.n]));
}

/** How many kiosks hold leases on `day` (at least 1). */
export async function leaseHolders(db: Queryable, day: string): Promise<number> {
  return Math.max(1, (await db.get<{ n: number }>('SELECT COUNT(DISTINCT kiosk_id) AS n FROM queue_leases WHERE day = ?', [day]))?.n ?? 0);
}

/** Numbers of a kiosk's leases that its uploaded offline tickets already used. */
export async function usedLeasedNumbers(db: Queryable, day: string, kioskId: string): Promise<Array<{ prefix: string; number: number }>> {
  return db.all<{ prefix: string; number: number }>("SELECT prefix, number FROM queue_tickets WHERE day = ? AND kiosk_id = ? AND source = 'offline'", [day, kioskId]);
}

// ----------------------------------------------------------------- sessions

export interface SessionRow {
  window_no: string;
  staff_id: string;
  day: string;
}

export async function saveSession(db: Queryable, windowNo: string, staffId: string, tokenHash: string, day: string, at: string): Promise<void> {
  await db.run('DELETE FROM queue_counter_sessions WHERE window_no = ? OR staff_id = ?', [windowNo, staffId]);
  await db.run('INSERT INTO queue_counter_sessions (window_no, staff_id, token_hash, day, started_at) VALUES (?, ?, ?, ?, ?)', [windowNo, staffId, tokenHash, day, at]);
}

export async function deleteSession(db: Queryable, windowNo: string): Promise<void> {
  await db.run('DELETE FROM queue_counter_sessions WHERE window_no = ?', [windowNo]);
}

export async function sessionAt(db: Queryable, windowNo: string): Promise<SessionRow | undefined> {
  return db.get<SessionRow>('SELECT window_no, staff_id, day FROM queue_counter_sessions WHERE window_no = ?', [windowNo]);
}

export async function sessionByTokenHash(db: Queryable, tokenHash: string): Promise<SessionRow | undefined> {
  return db.get<SessionRow>('SELECT window_no, staff_id, day FROM queue_counter_sessions WHERE token_hash = ?', [tokenHash]);
}

export async function sessionsOfDay(db: Queryable, day: string): Promise<SessionRow[]> {
  return db.all<SessionRow>('SELECT window_no, staff_id, day FROM queue_counter_sessions WHERE day = ? ORDER BY CAST(window_no AS INTEGER)', [day]);
}
