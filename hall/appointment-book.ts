import type { Appointment } from '../platform-contract/contract.js';
import type { Logger } from '../electron/host/logging/logger.js';
import type { Database, Migration, Queryable } from '../electron/host/storage/database.js';
import type { Outbox } from '../electron/host/storage/outbox.js';
import { serviceDay } from '../electron/common/hall-time.js';
import { checkInWindow, isNoShow, pickForCitizen, type AppointmentState, type AppointmentWindow } from './appointments.js';
import type { AppointmentSummary, Ticket } from './protocol/types.js';

/**
 * The hall service's appointments (预约): pulled from the platform
 * (`apply`), found at check-in by code or by the citizen's keyed hash,
 * claimed by one kiosk request, and released as no-shows when their window
 * closes. Check-ins and no-shows are written to the hall outbox in the same
 * transaction as the state change (`appointment.checked-in`,
 * `appointment.no-show`). Its own migration module, `appointments`.
 * Personal data: the citizen's keyed hash and a masked name, nothing else.
 */
export const appointmentMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'appointments pulled from the platform',
    up: `CREATE TABLE hall_appointments (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL,
      code TEXT NOT NULL,
      citizen_key TEXT NOT NULL,
      masked_name TEXT,
      service_id TEXT NOT NULL,
      category_id TEXT NOT NULL,
      slot_start TEXT NOT NULL,
      slot_end TEXT NOT NULL,
      day TEXT NOT NULL,
      state TEXT NOT NULL,
      ticket_request_id TEXT,
      ticket_id TEXT,
      via TEXT,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX hall_appointments_code ON hall_appointments (code);
    CREATE INDEX hall_appointments_citizen ON hall_appointments (citizen_key, day);
    CREATE INDEX hall_appointments_open ON hall_appointments (state, slot_start);
    CREATE TABLE hall_appointment_sync (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
];

export interface HeldAppointment {
  id: string;
  code: string;
  citizenKey: string;
  maskedName: string | null;
  serviceId: string;
  categoryId: string;
  slotStart: string;
  slotEnd: string;
  day: string;
  state: AppointmentState;
  ticketRequestId: string | null;
  ticketId: string | null;
}

interface Row {
  id: string;
  code: string;
  citizen_key: string;
  masked_name: string | null;
  service_id: string;
  category_id: string;
  slot_start: string;
  slot_end: string;
  day: string;
  state: AppointmentState;
  ticket_request_id: string | null;
  ticket_id: string | null;
}

const held = (row: Row): HeldAppointment => ({
  id: row.id,
  code: row.code,
  citizenKey: row.citizen_key,
  maskedName: row.masked_name,
  serviceId: row.service_id,
  categoryId: row.category_id,
  slotStart: row.slot_start,
  slotEnd: row.slot_end,
  day: row.day,
  state: row.state,
  ticketRequestId: row.ticket_request_id,
  ticketId: row.ticket_id,
});

const CURSOR_KEY = 'platform-cursor';

export class AppointmentBook {
  private constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly logger: Logger,
    readonly window: AppointmentWindow,
  ) {}

  static async open(db: Database, outbox: Outbox, logger: Logger, window: AppointmentWindow): Promise<AppointmentBook> {
    await db.migrate('appointments', appointmentMigrations);
    return new AppointmentBook(db, outbox, logger.child({ module: 'appointments' }), window);
  }

  /** The platform cursor of the last applied page (null before the first pull). */
  async cursor(): Promise<string | null> {
    return (await this.db.get<{ value: string }>('SELECT value FROM hall_appointment_sync WHERE key = ?', [CURSOR_KEY]))?.value ?? null;
  }

  /**
   * Applies a pulled page and its cursor in one transaction (idempotent). A
   * checked-in or no-show appointment keeps its local state; a cancellation
   * applies to a booked one.
   */
  async apply(appointments: readonly Appointment[], cursor: string, now: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const a of appointments) {
        await tx.run(
          `INSERT INTO hall_appointments (id, seq, code, citizen_key, masked_name, service_id, category_id, slot_start, slot_end, day, state, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, code = excluded.code, citizen_key = excluded.citizen_key, masked_name = excluded.masked_name,
             service_id = excluded.service_id, category_id = excluded.category_id, slot_start = excluded.slot_start, slot_end = excluded.slot_end,
             day = excluded.day, updated_at = excluded.updated_at,
             state = CASE WHEN hall_appointments.state IN ('booked', 'cancelled') THEN excluded.state ELSE hall_appointments.state END`,
          [a.id, a.seq, a.code, a.citizenKey, a.maskedName ?? null, a.serviceId, a.categoryId, a.slotStart, a.slotEnd, serviceDay(new Date(a.slotStart)), a.status, now.toISOString()],
        );
      }
      await tx.run('INSERT INTO hall_appointment_sync (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [CURSOR_KEY, cursor]);
    });
  }

  /** By its code: today's first, else any (so another day's code is told apart from an unknown one). */
  async byCode(code: string, now: Date): Promise<HeldAppointment | undefined> {
    const rows = await this.db.all<Row>('SELECT * FROM hall_appointments WHERE code = ? ORDER BY slot_start', [code]);
    const today = serviceDay(now);
    const row = rows.find((r) => r.day === today) ?? rows[0];
    return row === undefined ? undefined : held(row);
  }

  /** The appointment a placed card checks in among the citizen's appointments today. */
  async forCitizen(citizenKey: string, now: Date): Promise<HeldAppointment | undefined> {
    const rows = await this.db.all<Row>('SELECT * FROM hall_appointments WHERE citizen_key = ? AND day = ?', [citizenKey, serviceDay(now)]);
    return pickForCitizen(rows.map(held), now, this.window);
  }

  /** Marks a booked appointment checked in by this request; false when another request got there first. */
  async claim(id: string, requestId: string, via: 'card' | 'code', now: Date): Promise<boolean> {
    const result = await this.db.run(
      "UPDATE hall_appointments SET state = 'checked-in', ticket_request_id = ?, via = ?, updated_at = ? WHERE id = ? AND state = 'booked'",
      [requestId, via, now.toISOString(), id],
    );
    return result.changes === 1;
  }

  /** Undoes a claim whose ticket could not be issued (the hall closed meanwhile, an internal error): nothing is used up. */
  async unclaim(id: string, requestId: string, now: Date): Promise<void> {
    await this.db.run(
      "UPDATE hall_appointments SET state = 'booked', ticket_request_id = NULL, via = NULL, updated_at = ? WHERE id = ? AND ticket_request_id = ? AND ticket_id IS NULL",
      [now.toISOString(), id, requestId],
    );
  }

  /** Records the issued ticket and, the first time only, the `appointment.checked-in` event. */
  async recordCheckIn(appointment: HeldAppointment, ticket: Ticket, now: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      const changed = await tx.run('UPDATE hall_appointments SET ticket_id = ?, updated_at = ? WHERE id = ? AND ticket_id IS NULL', [ticket.id, now.toISOString(), appointment.id]);
      if (changed.changes !== 1) return;
      const via = (await tx.get<{ via: string | null }>('SELECT via FROM hall_appointments WHERE id = ?', [appointment.id]))?.via ?? 'code';
      await this.outbox.append(
        tx,
        {
          id: `appointment-checked-in-${appointment.id}`,
          kind: 'appointment.checked-in',
          schemaVersion: 1,
          payload: { id: `appointment-checked-in-${appointment.id}`, at: now.toISOString(), appointmentId: appointment.id, ticketId: ticket.id, displayNo: ticket.displayNo, categoryId: ticket.categoryId, via },
        },
        now,
      );
    });
    this.logger.info({ appointmentId: appointment.id, displayNo: ticket.displayNo }, 'appointment checked in');
  }

  /** Releases booked appointments whose window has closed, each with an `appointment.no-show` event. Returns how many. */
  async releaseNoShows(now: Date): Promise<number> {
    const latestStart = new Date(now.getTime() - this.window.lateMinutes * 60_000).toISOString();
    const due = (await this.db.all<Row>("SELECT * FROM hall_appointments WHERE state = 'booked' AND slot_start < ?", [latestStart])).map(held).filter((a) => isNoShow(a, now, this.window));
    if (due.length === 0) return 0;
    await this.db.transaction(async (tx: Queryable) => {
      for (const a of due) {
        const changed = await tx.run("UPDATE hall_appointments SET state = 'no-show', updated_at = ? WHERE id = ? AND state = 'booked'", [now.toISOString(), a.id]);
        if (changed.changes !== 1) continue;
        const id = `appointment-no-show-${a.id}`;
        await this.outbox.append(tx, { id, kind: 'appointment.no-show', schemaVersion: 1, payload: { id, at: now.toISOString(), appointmentId: a.id, categoryId: a.categoryId, slotStart: a.slotStart } }, now);
      }
    });
    this.logger.info({ count: due.length }, 'appointments released as no-shows');
    return due.length;
  }

  summary(appointment: HeldAppointment): AppointmentSummary {
    const { opensAt, closesAt } = checkInWindow(appointment.slotStart, this.window);
    return {
      id: appointment.id,
      code: appointment.code,
      serviceId: appointment.serviceId,
      categoryId: appointment.categoryId,
      slotStart: appointment.slotStart,
      slotEnd: appointment.slotEnd,
      opensAt: opensAt.toISOString(),
      closesAt: closesAt.toISOString(),
    };
  }
}
