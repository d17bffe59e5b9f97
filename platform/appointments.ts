import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { DataKey } from '../electron/host/storage/crypto.js';
import type { Database, Migration } from '../electron/host/storage/database.js';
import { maskName } from '../electron/common/pii.js';
import { Appointment, citizenLookupKey, type AppointmentPage } from '../platform-contract/contract.js';

/**
 * 预约 on the reference platform: appointments a hall's citizens booked,
 * created by an operator (`POST /admin/appointments`, `npm run platform --
 * appointment-create`) and pulled by the hall queue service with a cursor
 * (`GET /v1/appointments`). A citizen is kept only as the keyed hash of her
 * ID number (`citizenLookupKey`) and a masked name, itself sealed at rest
 * with the platform's data key; the ID number given at creation is hashed
 * and dropped. `seq` orders bookings and changes: a cancellation gets a new one.
 */
export const appointmentMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'appointments booked for the hall',
    up: `CREATE TABLE platform_appointments (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      code TEXT NOT NULL UNIQUE,
      citizen_key TEXT NOT NULL,
      personal BLOB,
      service_id TEXT NOT NULL,
      category_id TEXT NOT NULL,
      slot_start TEXT NOT NULL,
      slot_end TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
  },
];

const isoTime = z.iso.datetime({ offset: true });

/** What an operator gives to book one: the citizen by ID number (hashed here) or by her keyed hash. */
export const NewAppointment = z
  .object({
    idNumber: z.string().regex(/^\d{17}[\dXx]$/, 'an 18-character ID number').optional(),
    citizenKey: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    /** Full name: only its masked form is kept. */
    name: z.string().min(1).max(64).optional(),
    serviceId: z.string().min(1).max(128),
    categoryId: z.string().min(1).max(128),
    slotStart: isoTime,
    slotEnd: isoTime,
  })
  .strict()
  .refine((a) => (a.idNumber === undefined) !== (a.citizenKey === undefined), { message: 'give idNumber or citizenKey, not both', path: ['idNumber'] })
  .refine((a) => Date.parse(a.slotEnd) > Date.parse(a.slotStart), { message: 'slotEnd must be after slotStart', path: ['slotEnd'] });
export type NewAppointment = z.input<typeof NewAppointment>;

export class AppointmentRefusal extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

interface Row {
  seq: number;
  id: string;
  code: string;
  citizen_key: string;
  personal: Buffer | null;
  service_id: string;
  category_id: string;
  slot_start: string;
  slot_end: string;
  status: string;
}

export class AppointmentStore {
  private constructor(
    private readonly db: Database,
    private readonly key: DataKey,
    private readonly citizenKeySecret: string | undefined,
  ) {}

  static async open(db: Database, key: DataKey, citizenKeySecret: string | undefined): Promise<AppointmentStore> {
    await db.migrate('platform-appointments', appointmentMigrations);
    return new AppointmentStore(db, key, citizenKeySecret);
  }

  /** Books one; the code is 8 random digits, unique among the platform's appointments. */
  async create(input: unknown, now: Date): Promise<Appointment> {
    const parsed = NewAppointment.safeParse(input);
    if (!parsed.success) throw new AppointmentRefusal(400, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    const request = parsed.data;
    let citizenKey = request.citizenKey;
    if (request.idNumber !== undefined) {
      if (this.citizenKeySecret === undefined) throw new AppointmentRefusal(400, 'booking by ID number needs the citizen-key secret (--citizen-key-secret)');
      citizenKey = citizenLookupKey(this.citizenKeySecret, request.idNumber);
    }
    const personal = request.name === undefined ? null : this.key.sealJson({ maskedName: maskName(request.name) });
    for (let attempt = 0; ; attempt += 1) {
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      const id = `appt-${now.getTime().toString(36)}-${code}`;
      try {
        await this.db.run(
          `INSERT INTO platform_appointments (id, code, citizen_key, personal, service_id, category_id, slot_start, slot_end, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?)`,
          [id, code, citizenKey!, personal, request.serviceId, request.categoryId, new Date(request.slotStart).toISOString(), new Date(request.slotEnd).toISOString(), now.toISOString()],
        );
        return this.byId(id) as Promise<Appointment>;
      } catch (err) {
        if (attempt >= 5 || !String(err).includes('UNIQUE')) throw err;
      }
    }
  }

  /** Cancels one: it comes again in the pull with a new seq and status `cancelled`. */
  async cancel(id: string): Promise<Appointment> {
    const result = await this.db.run("UPDATE platform_appointments SET status = 'cancelled', seq = (SELECT MAX(seq) + 1 FROM platform_appointments) WHERE id = ? AND status = 'booked'", [id]);
    const found = await this.byId(id);
    if (found === undefined || (result.changes === 0 && found.status !== 'cancelled')) throw new AppointmentRefusal(404, `no appointment ${id}`);
    return found;
  }

  /** Appointments booked or changed after `cursor` (a seq), oldest first. */
  async since(cursor: number, limit: number): Promise<AppointmentPage> {
    const rows = await this.db.all<Row>('SELECT * FROM platform_appointments WHERE seq > ? ORDER BY seq LIMIT ?', [cursor, limit + 1]);
    const page = rows.slice(0, limit).map((row) => this.toAppointment(row));
    return { appointments: page, cursor: String(page.at(-1)?.seq ?? cursor), more: rows.length > limit };
  }

  private async byId(id: string): Promise<Appointment | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM platform_appointments WHERE id = ?', [id]);
    return row === undefined ? undefined : this.toAppointment(row);
  }

  private toAppointment(row: Row): Appointment {
    const personal = row.personal === null ? null : z.object({ maskedName: z.string() }).safeParse(this.key.openJson(row.personal));
    return Appointment.parse({
      seq: row.seq,
      id: row.id,
      code: row.code,
      citizenKey: row.citizen_key,
      ...(personal?.success === true ? { maskedName: personal.data.maskedName } : {}),
      serviceId: row.service_id,
      categoryId: row.category_id,
      slotStart: row.slot_start,
      slotEnd: row.slot_end,
      status: row.status,
    });
  }
}
