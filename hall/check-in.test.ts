import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import { PlatformClient } from '../electron/host/sync/client.js';
import { citizenLookupKey, type Appointment } from '../platform-contract/contract.js';
import { startLoopbackPlatform } from '../platform/testing.js';
import { pullAppointments } from './appointment-pull.js';
import { startHallServer } from './server.js';
import { RemoteHallQueue } from '../electron/host/queue/remote.js';
import { KioskRegistry } from './handshake.js';
import { PIN, hall, openDatabase, recordingLogger, requestId, serviceFixture, tempDir, until, type Fixture } from './testing.js';
import { join } from 'node:path';
import { rmSync } from 'node:fs';

/** Issue #15 item 5: appointment check-in at the hall service, and every bad input refused, logged, nothing changed. */
const SECRET = 'hall-citizen-key-secret';
const ZHANG = '430181198001011239';
const KEY = citizenLookupKey(SECRET, ZHANG);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixture(start = '2026-11-25T09:20:00+08:00', lines?: Array<Record<string, unknown>>): Promise<Fixture> {
  const f = await serviceFixture(start, lines === undefined ? {} : { logger: recordingLogger(lines) });
  cleanups.push(() => f.cleanup());
  return f;
}

let seq = 0;
function appointment(slot: string, extra: Partial<Appointment> = {}): Appointment {
  seq += 1;
  const slotStart = new Date(slot).toISOString();
  return {
    seq,
    id: `appt-${seq}`,
    code: String(10_000_000 + seq),
    citizenKey: KEY,
    maskedName: '张*丰',
    serviceId: 'svc-1',
    categoryId: 'qc-integrated',
    slotStart,
    slotEnd: new Date(Date.parse(slotStart) + 30 * 60_000).toISOString(),
    status: 'booked',
    ...extra,
  };
}

async function outboxKinds(f: Fixture): Promise<string[]> {
  return (await f.db.all<{ kind: string }>("SELECT kind FROM outbox WHERE kind LIKE 'appointment.%' ORDER BY seq")).map((r) => r.kind);
}

async function ticketCount(f: Fixture): Promise<number> {
  return (await f.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM queue_tickets'))!.n;
}

describe('appointment check-in (hall service)', () => {
  it('a placed card inside the window gets an appointment-priority ticket, reported once, and the counter calls it first', async () => {
    const f = await fixture();
    await f.service.appointments.apply([appointment('2026-11-25T09:30:00+08:00')], '1', f.clock.now());
    const regular = await f.service.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'kiosk-1' });
    expect(regular.ok).toBe(true);
    const checked = await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', citizenKey: KEY });
    expect(checked).toMatchObject({ ok: true, value: { ticket: { priority: 'appointment', categoryId: 'qc-integrated', maskedName: '张*丰', serviceId: 'svc-1' }, appointment: { id: 'appt-1' } } });
    expect(await outboxKinds(f)).toEqual(['appointment.checked-in']);
    await f.service.counterLogin({ windowNo: '3', staffId: 's1', pin: PIN });
    const called = await f.service.callNext({ windowNo: '3', staffId: 's1' });
    expect(called.ok && called.value.called?.id).toBe(checked.ok ? checked.value.ticket.id : 'none');
  });

  it('by code; a repeat of the same request gets the same ticket, any other check-in of it is refused and changes nothing', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const f = await fixture(undefined, lines);
    const a = appointment('2026-11-25T09:40:00+08:00');
    await f.service.appointments.apply([a], '1', f.clock.now());
    const request = { requestId: requestId(), kioskId: 'kiosk-1', code: a.code };
    const first = await f.service.checkIn(request);
    expect(first.ok).toBe(true);
    const again = await f.service.checkIn(request);
    expect(again.ok && first.ok && again.value.ticket.id === first.value.ticket.id).toBe(true);
    const count = await ticketCount(f);
    expect(await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: a.code })).toMatchObject({ ok: false, error: { code: 'appointment-used' } });
    expect(await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', citizenKey: KEY })).toMatchObject({ ok: false, error: { code: 'appointment-used' } });
    expect(await ticketCount(f)).toBe(count);
    expect(await outboxKinds(f)).toEqual(['appointment.checked-in']);
    expect(lines.some((l) => l.msg === 'queue: appointment check-in refused' && l.code === 'appointment-used')).toBe(true);
  });

  it('refuses an unknown code, another day, too early (with when to come), too late, cancelled and a forged priority claim', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const f = await fixture(undefined, lines);
    const tomorrow = appointment('2026-11-26T09:30:00+08:00');
    const later = appointment('2026-11-25T11:00:00+08:00');
    const past = appointment('2026-11-25T08:30:00+08:00');
    const cancelled = appointment('2026-11-25T09:30:00+08:00', { status: 'cancelled' });
    await f.service.appointments.apply([tomorrow, later, past, cancelled], '4', f.clock.now());
    const tryCode = (code: string) => f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code });
    expect(await tryCode('99999999')).toMatchObject({ ok: false, error: { code: 'appointment-not-found' } });
    expect(await tryCode(tomorrow.code)).toMatchObject({ ok: false, error: { code: 'appointment-other-day' } });
    expect(await tryCode(later.code)).toMatchObject({ ok: false, error: { code: 'appointment-too-early', details: { opensAt: new Date('2026-11-25T10:30:00+08:00').toISOString() } } });
    expect(await tryCode(past.code)).toMatchObject({ ok: false, error: { code: 'appointment-too-late' } });
    expect(await tryCode(cancelled.code)).toMatchObject({ ok: false, error: { code: 'appointment-cancelled' } });
    expect(await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: '1234' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await f.service.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'kiosk-1', priority: 'appointment' })).toMatchObject({ ok: false, error: { code: 'priority-needs-appointment' } });
    expect(await ticketCount(f)).toBe(0);
    expect(await outboxKinds(f)).toEqual([]);
    expect(lines.filter((l) => l.msg === 'queue: appointment check-in refused').length).toBe(5);
  });

  it('releases a no-show at the end of its window, reports it once, and it can no longer be checked in', async () => {
    const f = await fixture();
    const a = appointment('2026-11-25T09:30:00+08:00');
    await f.service.appointments.apply([a], '1', f.clock.now());
    expect(await f.service.appointments.releaseNoShows(f.clock.now())).toBe(0);
    f.clock.set('2026-11-25T09:46:00+08:00');
    expect(await f.service.appointments.releaseNoShows(f.clock.now())).toBe(1);
    expect(await f.service.appointments.releaseNoShows(f.clock.now())).toBe(0);
    expect(await outboxKinds(f)).toEqual(['appointment.no-show']);
    expect(await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: a.code })).toMatchObject({ ok: false, error: { code: 'appointment-too-late' } });
    // A later pull of the same appointment does not bring it back.
    await f.service.appointments.apply([a], '1', f.clock.now());
    expect(await outboxKinds(f)).toEqual(['appointment.no-show']);
  });

  it('pulls appointments from the reference platform with the signed contract, idempotently', async () => {
    const f = await fixture();
    const terminal = { id: 'hall-01', secret: 'hall-01-platform-secret-0123' };
    const platform = await startLoopbackPlatform({ terminals: [terminal], citizenKeySecret: SECRET });
    cleanups.push(() => platform.close());
    const client = new PlatformClient({ baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, now: () => new Date(), logger: silentLogger(), timeoutMs: 5_000 });
    cleanups.push(() => client.close());
    const booked = await platform.admin.createAppointment({ idNumber: ZHANG, name: '张三丰', serviceId: 'svc-1', categoryId: 'qc-integrated', slotStart: '2026-11-25T01:30:00.000Z', slotEnd: '2026-11-25T02:00:00.000Z' });
    expect(await pullAppointments(f.service.appointments, client, f.clock.now)).toBeNull();
    expect(await pullAppointments(f.service.appointments, client, f.clock.now)).toBeNull();
    const checked = await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', citizenKey: KEY });
    expect(checked).toMatchObject({ ok: true, value: { appointment: { id: booked.id, code: booked.code } } });
    await platform.admin.revokeTerminal(terminal.id);
    expect(await pullAppointments(f.service.appointments, client, f.clock.now)).toMatch(/auth/);
  });
});

describe('appointment codes cannot be enumerated (issue #15/#17 gap: rate limit at the hall service)', () => {
  it('50 wrong codes in a row from one kiosk: the 11th and later are refused unevaluated — even a right code — until the cooling-off passes; other kiosks and cards still check in', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const f = await fixture(undefined, lines);
    const a = appointment('2026-11-25T09:40:00+08:00');
    const b = appointment('2026-11-25T09:40:00+08:00', { citizenKey: citizenLookupKey(SECRET, '110101199003074514') });
    await f.service.appointments.apply([a, b], '2', f.clock.now());
    const codes: string[] = [];
    for (let i = 0; i < 50; i++) {
      const result = await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: String(20_000_000 + i) });
      codes.push(result.ok ? 'ok' : result.error.code);
    }
    expect(codes.filter((c) => c === 'appointment-not-found').length).toBe(10);
    expect(codes.slice(10).every((c) => c === 'appointment-rate-limited')).toBe(true);
    // A right code is not even looked up while the kiosk cools off.
    const right = await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: a.code });
    expect(right).toMatchObject({ ok: false, error: { code: 'appointment-rate-limited', details: { scope: 'kiosk', retryAt: new Date('2026-11-25T09:35:00+08:00').toISOString() } } });
    expect(await ticketCount(f)).toBe(0);
    // Another kiosk, and a card at this one, are not held up by it.
    expect((await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-2', code: a.code })).ok).toBe(true);
    expect((await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', citizenKey: b.citizenKey })).ok).toBe(true);
    // After the cooling-off the kiosk's codes are looked up again.
    f.clock.set('2026-11-25T09:35:00+08:00');
    expect(await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: '29999999' })).toMatchObject({ ok: false, error: { code: 'appointment-not-found' } });
    // Every refusal is logged, with the code masked; the typed codes never reach the log.
    const refused = lines.filter((l) => l.msg === 'queue: appointment check-in refused');
    expect(refused.length).toBe(52);
    expect(refused.every((l) => typeof l.appointmentCode === 'string' && /^\*{6}\d{2}$/.test(l.appointmentCode))).toBe(true);
    expect(lines.some((l) => l.msg === 'queue: appointment codes cooling off' && l.scope === 'key')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('20000042');
    expect(JSON.stringify(lines)).not.toContain(a.code);
  });

  it('hall-wide: guesses spread over kiosks stop after 30 in 10 minutes, for every kiosk', async () => {
    const f = await fixture();
    const a = appointment('2026-11-25T09:40:00+08:00');
    await f.service.appointments.apply([a], '1', f.clock.now());
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      const result = await f.service.checkIn({ requestId: requestId(), kioskId: `kiosk-${i % 5}`, code: String(30_000_000 + i) });
      outcomes.push(result.ok ? 'ok' : result.error.code);
    }
    expect(outcomes.filter((c) => c === 'appointment-not-found').length).toBe(30);
    expect(await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-9', code: a.code })).toMatchObject({ ok: false, error: { code: 'appointment-rate-limited', details: { scope: 'hall' } } });
    f.clock.advanceMinutes(10);
    expect((await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-9', code: a.code })).ok).toBe(true);
  });
});

describe('appointment check-in over the network', () => {
  it('only a kiosk connection, in its own name; the HTTP API and a revoked kiosk are refused', async () => {
    const f = await fixture();
    const a = appointment('2026-11-25T09:30:00+08:00');
    await f.service.appointments.apply([a], '1', f.clock.now());
    const registry = new KioskRegistry(join(f.dir, 'kiosks.json'), 0);
    const k1Key = registry.add('k1');
    const hallSecret = 'hall-secret-for-check-in-tests';
    const server = await startHallServer({ service: f.service, secret: hallSecret, kiosks: registry, port: 0, host: '127.0.0.1', logger: silentLogger() });
    cleanups.push(() => server.close());
    const viaApi = await fetch(`${server.httpUrl}/api/checkIn`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hallSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: requestId(), kioskId: 'k1', code: a.code }),
    });
    expect(await viaApi.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const dir = tempDir('liuliu-checkin-kiosk-');
    const db = await openDatabase(join(dir, 'kiosk.db'));
    const k1 = await RemoteHallQueue.open({ url: server.wsUrl, secret: k1Key, kioskId: 'k1', hall, db, logger: silentLogger(), now: f.clock.now, reconnectMinMs: 50, reconnectMaxMs: 200 });
    cleanups.push(async () => {
      await k1.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    expect(await k1.whenConnected(10_000)).toBe(true);
    expect(await k1.checkIn({ requestId: requestId(), kioskId: 'k2', code: a.code })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    registry.revoke('k1');
    await until('k1 to be cut off', () => !k1.connected, 5000);
    expect(await k1.checkIn({ requestId: requestId(), kioskId: 'k1', code: a.code })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await ticketCount(f)).toBe(0);
  });
});
