import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import { HallQueueService } from './service.js';
import { PIN, counters, hall, openDatabase, recordingLogger, requestId, serviceFixture, type Fixture } from './testing.js';
import type { IssueResult, Result, TicketEvent } from './protocol/types.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function setup(start?: string, rules?: Parameters<typeof serviceFixture>[1]): Promise<Fixture> {
  fixture = await serviceFixture(start, rules);
  return fixture;
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function issue(f: Fixture, categoryId: string, extra: Record<string, unknown> = {}): Promise<IssueResult> {
  return value(await f.service.issue({ requestId: requestId(), categoryId, kioskId: 'kiosk-1', ...extra }));
}

async function login(f: Fixture, windowNo: string, staffId: string): Promise<void> {
  value(await f.service.counterLogin({ windowNo, staffId, pin: PIN }));
}

describe('HallQueueService: issuing', () => {
  it('numbers each category from 001, with place, estimate, windows and floor; resets the next day', async () => {
    const f = await setup();
    const a1 = await issue(f, 'qc-integrated');
    const a2 = await issue(f, 'qc-integrated');
    const h1 = await issue(f, 'qc-household', { maskedName: '张*丰', serviceId: 'ps-idcard-reissue' });
    expect([a1.ticket.displayNo, a2.ticket.displayNo, h1.ticket.displayNo]).toEqual(['A001', 'A002', 'H001']);
    expect(a1.peopleAhead).toBe(0);
    expect(a2.peopleAhead).toBe(1);
    // 1 ahead × 15 min (avgServiceMinutes) / 6 windows (none open yet: full staffing assumed).
    expect(a2.etaMinutes).toBe(3);
    expect(h1).toMatchObject({ floor: 2, windows: ['51', '52', '53', '54', '55', '56'], offline: false, categoryName: '户政治安（身份证、户口）' });
    expect(h1.ticket).toMatchObject({ maskedName: '张*丰', serviceId: 'ps-idcard-reissue', status: 'waiting', source: 'online', day: '2026-11-25' });

    f.clock.set('2026-11-26T08:31:00+08:00');
    const next = await issue(f, 'qc-integrated');
    expect(next.ticket.displayNo).toBe('A001');
    expect(next.ticket.day).toBe('2026-11-26');
    expect(next.peopleAhead).toBe(0);
  });

  it('is idempotent on the request id', async () => {
    const f = await setup();
    const id = requestId();
    const first = value(await f.service.issue({ requestId: id, categoryId: 'qc-tax', kioskId: 'kiosk-1' }));
    const again = value(await f.service.issue({ requestId: id, categoryId: 'qc-tax', kioskId: 'kiosk-1' }));
    expect(again.ticket).toEqual(first.ticket);
    expect((await f.db.all('SELECT id FROM queue_tickets')).length).toBe(1);
    expect((await f.outbox.counts(f.db)).pending).toBe(1);
    expect((await issue(f, 'qc-tax')).ticket.displayNo).toBe('G002');
  });

  it('refuses unknown categories, closed hours and unmasked names clearly', async () => {
    const f = await setup('2026-11-28T10:00:00+08:00');
    const unknown = await f.service.issue({ requestId: requestId(), categoryId: 'qc-nope', kioskId: 'kiosk-1' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-category' } });
    // Saturday: 税务 is not among the Saturday departments.
    const closed = await f.service.issue({ requestId: requestId(), categoryId: 'qc-tax', kioskId: 'kiosk-1' });
    expect(closed).toMatchObject({ ok: false, error: { code: 'closed', details: { reason: 'category-closed-today', nextOpening: '2026-11-30T00:30:00.000Z' } } });
    const unmasked = await f.service.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'kiosk-1', maskedName: '张三丰' });
    expect(unmasked).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await issue(f, 'qc-integrated')).ticket.displayNo).toBe('A001');
    f.clock.set('2026-11-29T10:00:00+08:00');
    expect(await f.service.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'kiosk-1' })).toMatchObject({ ok: false, error: { code: 'closed', details: { reason: 'closed-day' } } });
  });

  it('gives elderly priority from the birth date without storing it, and checks staff/appointment claims', async () => {
    const f = await setup();
    // An ID number passed by mistake is dropped by the request schema, never stored.
    const elderly = await issue(f, 'qc-hrss', { birthDate: '19510315', maskedName: '李*', idNumber: '430181195103151234' });
    expect(elderly.ticket.priority).toBe('elderly');
    expect((await issue(f, 'qc-hrss', { birthDate: '19800101' })).ticket.priority).toBeNull();
    expect(await f.service.issue({ requestId: requestId(), categoryId: 'qc-hrss', kioskId: 'kiosk-1', priority: 'disabled' })).toMatchObject({
      ok: false,
      error: { code: 'priority-needs-staff' },
    });
    expect((await issue(f, 'qc-hrss', { priority: 'disabled', staff: { staffId: 's3', pin: PIN } })).ticket.priority).toBe('disabled');
    await f.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const file = readFileSync(join(f.dir, 'hall.db'));
    for (const secret of ['19510315', '1951-03-15', '430181195103151234']) expect(file.includes(Buffer.from(secret)), secret).toBe(false);
    // …while the masked name is there, so the scan does see the ticket rows.
    expect(file.includes(Buffer.from('李*'))).toBe(true);
  });
});

describe('HallQueueService: priority is verified where it is decided', () => {
  it('refuses a disabled priority with an unknown staff id or a wrong PIN, and any bare appointment claim; each refusal logged, nothing issued', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const f = await setup('2026-11-25T09:00:00+08:00', { logger: recordingLogger(lines) });
    const claim = (extra: Record<string, unknown>) => f.service.issue({ requestId: requestId(), categoryId: 'qc-hrss', kioskId: 'kiosk-1', ...extra });
    expect(await claim({ priority: 'disabled', staff: { staffId: 'made-up', pin: PIN } })).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
    expect(await claim({ priority: 'disabled', staff: { staffId: 's3', pin: '0000' } })).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
    expect(await claim({ priority: 'appointment', appointmentId: 'YY-made-up' })).toMatchObject({ ok: false, error: { code: 'priority-needs-appointment' } });
    expect(value(await f.service.snapshot()).categories.find((c) => c.id === 'qc-hrss')?.waiting).toBe(0);
    expect(lines.filter((l) => l.msg === 'queue: priority claim refused')).toHaveLength(3);
    expect(lines.filter((l) => l.msg === 'queue: staff credential refused').map((l) => l.staffId)).toEqual(['made-up', 's3']);
    expect(f.service.staffFailures().map((x) => x.where)).toEqual(['priority at kiosk kiosk-1', 'priority at kiosk kiosk-1']);
  });
});

describe('HallQueueService: counters', () => {
  it('requires a logged-in window with the right PIN', async () => {
    const f = await setup();
    await issue(f, 'qc-integrated');
    expect(await f.service.callNext({ windowNo: '3', staffId: 's1' })).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
    expect(await f.service.counterLogin({ windowNo: '3', staffId: 's1', pin: '0000' })).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
    expect(await f.service.counterLogin({ windowNo: '3', staffId: 'nobody', pin: PIN })).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
    expect(await f.service.counterLogin({ windowNo: '1', staffId: 's1', pin: PIN })).toMatchObject({ ok: false, error: { code: 'unknown-window' } });
    const session = value(await f.service.counterLogin({ windowNo: '3', staffId: 's1', pin: PIN }));
    expect(session).toMatchObject({ windowNo: '3', staffId: 's1', categoryId: 'qc-integrated' });
    expect(await f.service.sessionByToken(session.token)).toEqual({ windowNo: '3', staffId: 's1' });
    expect(await f.service.callNext({ windowNo: '3', staffId: 's2' })).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
    expect(value(await f.service.callNext({ windowNo: '3', staffId: 's1' })).called?.displayNo).toBe('A001');
    value(await f.service.counterLogout({ windowNo: '3', staffId: 's1' }));
    expect(await f.service.callNext({ windowNo: '3', staffId: 's1' })).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
    // Sessions end with the day.
    await login(f, '4', 's2');
    f.clock.set('2026-11-26T09:00:00+08:00');
    expect(await f.service.callNext({ windowNo: '4', staffId: 's2' })).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
  });

  it('locks a staff identity, not a window: PIN guesses spread over windows get nowhere, and other staff still log in (#13 finding 2)', async () => {
    const f = await setup();
    const windows = hall.queueCategories.flatMap((c) => c.windows);
    // The attack: a few guesses at each window, never 5 at one (the old per-window lockout never triggered).
    const guesses = ['0000', '1111', '1234', '9999', '4321', '2222', '5555', PIN];
    const answers = [];
    for (const [i, pin] of guesses.entries()) answers.push(await f.service.counterLogin({ windowNo: windows[i % windows.length]!, staffId: 's1', pin }));
    // The right PIN, 8th try at yet another window: refused, the identity is locked.
    const last = answers.at(-1)!;
    expect(last).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
    expect(last.ok ? '' : last.error.message).toContain('次数过多');
    // Locking s1 does not lock the windows: s2 logs in at one of them.
    expect(await f.service.counterLogin({ windowNo: windows[0]!, staffId: 's2', pin: PIN })).toMatchObject({ ok: true });
    f.clock.advanceMinutes(16);
    expect(await f.service.counterLogin({ windowNo: windows[1]!, staffId: 's1', pin: PIN })).toMatchObject({ ok: true });
    expect(f.service.staffFailures()).toHaveLength(8);
  });

  it('keeps a staff lockout and the kiosks\' wrong appointment codes across a restart of the service (kill -9 hands a guesser no fresh tries)', async () => {
    const f = await setup();
    for (const pin of ['0000', '1111', '2222', '3333', '4444']) await f.service.counterLogin({ windowNo: '3', staffId: 's1', pin });
    for (let i = 0; i < 10; i++) await f.service.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: String(20_000_000 + i) });
    await f.service.lockoutsSaved();
    // A new service on the same database file, as after a restart: nothing of the old one's memory.
    const db = await openDatabase(join(f.dir, 'hall.db'));
    try {
      const restarted = await HallQueueService.open({ hall, db, outbox: f.outbox, logger: silentLogger(), now: f.clock.now, kioskId: 'kiosk-1', counters });
      const login = await restarted.counterLogin({ windowNo: '3', staffId: 's1', pin: PIN });
      expect(login.ok ? '' : login.error.message).toContain('次数过多');
      expect(await restarted.checkIn({ requestId: requestId(), kioskId: 'kiosk-1', code: '29999999' })).toMatchObject({ ok: false, error: { code: 'appointment-rate-limited' } });
      // Others are not held up, and the lock still ends on time.
      expect(await restarted.counterLogin({ windowNo: '3', staffId: 's2', pin: PIN })).toMatchObject({ ok: true });
      f.clock.advanceMinutes(16);
      expect(await restarted.counterLogin({ windowNo: '4', staffId: 's1', pin: PIN })).toMatchObject({ ok: true });
    } finally {
      await db.close();
    }
  });

  it('rate-limits wrong PINs hall-wide: guesses spread over staff ids stop after 20, for everyone, until they age out', async () => {
    const f = await setup();
    for (let i = 0; i < 20; i++) expect(await f.service.counterLogin({ windowNo: '5', staffId: `s${(i % 12) + 1}`, pin: String(1000 + i) })).toMatchObject({ ok: false });
    const limited = await f.service.counterLogin({ windowNo: '5', staffId: 's12', pin: PIN });
    expect(limited.ok ? '' : limited.error.message).toContain('全厅');
    f.clock.advanceMinutes(11);
    expect(await f.service.counterLogin({ windowNo: '5', staffId: 's12', pin: PIN })).toMatchObject({ ok: true });
  });

  it('answers an empty queue with a clear empty result', async () => {
    const f = await setup();
    await login(f, '3', 's1');
    expect(value(await f.service.callNext({ windowNo: '3', staffId: 's1' }))).toEqual({ called: null, finished: null, waiting: 0 });
  });

  it('calls priority tickets first without starving regular ones (K = 3)', async () => {
    const f = await setup();
    await login(f, '9', 's1');
    const r1 = await issue(f, 'qc-hrss');
    const r2 = await issue(f, 'qc-hrss');
    const priority = [];
    for (let i = 0; i < 4; i++) priority.push(await issue(f, 'qc-hrss', { birthDate: '19400101' }));
    expect(priority[0]!.peopleAhead).toBe(0);
    expect(priority[3]!.peopleAhead).toBe(4); // P1 P2 P3 R1 then P4
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push(value(await f.service.callNext({ windowNo: '9', staffId: 's1' })).called!.displayNo);
    const [p1, p2, p3, p4] = priority.map((p) => p.ticket.displayNo);
    expect(order).toEqual([p1, p2, p3, r1.ticket.displayNo, p4, r2.ticket.displayNo]);
    const last = value(await f.service.callNext({ windowNo: '9', staffId: 's1' }));
    expect(last.called).toBeNull();
    expect(last.finished?.displayNo).toBe(r2.ticket.displayNo);
  });

  it('recalls the current ticket, and says when there is none', async () => {
    const f = await setup();
    await login(f, '17', 's1');
    expect(await f.service.recall({ windowNo: '17', staffId: 's1' })).toMatchObject({ ok: false, error: { code: 'no-current-ticket' } });
    await issue(f, 'qc-medical');
    value(await f.service.callNext({ windowNo: '17', staffId: 's1' }));
    expect(value(await f.service.recall({ windowNo: '17', staffId: 's1' })).recalls).toBe(1);
    expect(value(await f.service.recall({ windowNo: '17', staffId: 's1' })).recalls).toBe(2);
    const snapshot = value(await f.service.snapshot());
    expect(snapshot.recentCalls[0]).toMatchObject({ displayNo: 'C001', windowNo: '17', recalls: 2 });
    expect(snapshot.windows).toEqual([{ windowNo: '17', staffId: 's1', categoryId: 'qc-medical', current: 'C001' }]);
  });

  it('skips a no-show, re-queues it behind the next 3 within the grace period, drops it after', async () => {
    const f = await setup();
    await login(f, '22', 's1');
    for (let i = 0; i < 6; i++) {
      await issue(f, 'qc-housing-fund');
      f.clock.advanceMinutes(1);
    }
    expect(value(await f.service.callNext({ windowNo: '22', staffId: 's1' })).called?.displayNo).toBe('D001');
    expect(value(await f.service.skip({ windowNo: '22', staffId: 's1' }))).toMatchObject({ displayNo: 'D001', status: 'skipped' });
    f.clock.advanceMinutes(10);
    const requeued = value(await f.service.requeue({ windowNo: '22', staffId: 's1', displayNo: 'd001' }));
    expect(requeued.status).toBe('waiting');
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push(value(await f.service.callNext({ windowNo: '22', staffId: 's1' })).called!.displayNo);
    expect(order).toEqual(['D002', 'D003', 'D004', 'D001', 'D005', 'D006']);

    // D006 is at the window; skip it and come back too late.
    value(await f.service.skip({ windowNo: '22', staffId: 's1' }));
    expect(await f.service.requeue({ windowNo: '22', staffId: 's1', displayNo: 'D005' })).toMatchObject({ ok: false, error: { code: 'not-skipped' } });
    f.clock.advanceMinutes(31);
    expect(await f.service.requeue({ windowNo: '22', staffId: 's1', displayNo: 'D006' })).toMatchObject({ ok: false, error: { code: 'grace-expired' } });
    expect(value(await f.service.ticket({ displayNo: 'D006' })).ticket.status).toBe('dropped');
    const kinds = await f.db.all<{ kind: string }>("SELECT kind FROM queue_ticket_events WHERE ticket_id = (SELECT id FROM queue_tickets WHERE display_no = 'D006') ORDER BY seq");
    expect(kinds.map((k) => k.kind)).toEqual(['issued', 'called', 'skipped', 'dropped']);
    expect(await f.service.requeue({ windowNo: '22', staffId: 's1', displayNo: 'D999' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('transfers the current ticket to another category: same number, placed by its original issue time', async () => {
    const f = await setup();
    await login(f, '3', 's1');
    await login(f, '51', 's2');
    const a1 = await issue(f, 'qc-integrated');
    f.clock.advanceMinutes(5);
    const h1 = await issue(f, 'qc-household');
    value(await f.service.callNext({ windowNo: '3', staffId: 's1' }));
    expect(await f.service.transfer({ windowNo: '3', staffId: 's1', toCategoryId: 'qc-nope' })).toMatchObject({ ok: false, error: { code: 'unknown-category' } });
    expect(await f.service.transfer({ windowNo: '3', staffId: 's1', toCategoryId: 'qc-integrated' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const moved = value(await f.service.transfer({ windowNo: '3', staffId: 's1', toCategoryId: 'qc-household' }));
    expect(moved).toMatchObject({ displayNo: 'A001', categoryId: 'qc-household', originCategoryId: 'qc-integrated', status: 'waiting', windowNo: null });
    expect(value(await f.service.ticket({ displayNo: 'A001' })).peopleAhead).toBe(0);
    expect(value(await f.service.ticket({ displayNo: h1.ticket.displayNo })).peopleAhead).toBe(1);
    expect(value(await f.service.callNext({ windowNo: '51', staffId: 's2' })).called?.displayNo).toBe(a1.ticket.displayNo);
    expect(value(await f.service.callNext({ windowNo: '51', staffId: 's2' })).called?.displayNo).toBe('H001');
    expect(value(await f.service.callNext({ windowNo: '3', staffId: 's1' })).called).toBeNull();
  });

  it('estimates from recent finished services and open windows', async () => {
    const f = await setup();
    await login(f, '41', 's1');
    await login(f, '42', 's2');
    for (let i = 0; i < 3; i++) {
      await issue(f, 'qc-tax');
      value(await f.service.callNext({ windowNo: '41', staffId: 's1' }));
      f.clock.advanceMinutes(4);
      value(await f.service.finish({ windowNo: '41', staffId: 's1' }));
    }
    expect(await f.service.finish({ windowNo: '41', staffId: 's1' })).toMatchObject({ ok: false, error: { code: 'no-current-ticket' } });
    for (let i = 0; i < 4; i++) await issue(f, 'qc-tax');
    const fifth = await issue(f, 'qc-tax');
    // 4 ahead × 4 min (mean of the last 3 services) / 2 open windows.
    expect(fifth.peopleAhead).toBe(4);
    expect(fifth.etaMinutes).toBe(8);
    const tax = value(await f.service.snapshot()).categories.find((c) => c.id === 'qc-tax');
    expect(tax).toMatchObject({ waiting: 5, priorityWaiting: 0, openWindows: ['41', '42'], etaMinutes: 10 });
  });
});

describe('HallQueueService: consistency', () => {
  it('issues concurrent requests in batches: unique consecutive numbers, repeats answered with the first ticket', async () => {
    const f = await setup();
    const ids = Array.from({ length: 30 }, () => requestId());
    const categories = ['qc-integrated', 'qc-tax', 'qc-medical'];
    // Every fifth request is sent twice at the same time.
    const requests = ids.flatMap((id, i) => {
      const request = { requestId: id, categoryId: categories[i % 3]!, kioskId: 'kiosk-1' };
      return i % 5 === 0 ? [request, request] : [request];
    });
    const results = (await Promise.all(requests.map((r) => f.service.issue(r)))).map((r) => value(r));
    const byRequest = new Map<string, string>();
    results.forEach((r, i) => {
      const earlier = byRequest.get(requests[i]!.requestId);
      if (earlier !== undefined) expect(r.ticket.displayNo).toBe(earlier);
      byRequest.set(requests[i]!.requestId, r.ticket.displayNo);
    });
    const numbers = [...byRequest.values()].sort();
    expect(numbers).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`),
      ...Array.from({ length: 10 }, (_, i) => `C${String(i + 1).padStart(3, '0')}`),
      ...Array.from({ length: 10 }, (_, i) => `G${String(i + 1).padStart(3, '0')}`),
    ]);
    expect((await f.outbox.counts(f.db)).pending).toBe(30);
    // Places in line are consistent within each category: 0, 1, 2, … in number order.
    const aheadOfA = results.filter((r) => r.ticket.displayNo.startsWith('A')).map((r) => [r.ticket.displayNo, r.peopleAhead] as const);
    for (const [displayNo, ahead] of aheadOfA) expect(ahead).toBe(Number(displayNo.slice(1)) - 1);
  });

  it('a failing request does not take the rest of its batch down', async () => {
    const f = await setup();
    // A stray row holding G001 without its counter: the next G ticket collides with it.
    await f.db.run(
      `INSERT INTO queue_tickets (id, request_id, day, prefix, number, display_no, category_id, origin_category_id, kiosk_id, source, status, line_key, issued_at)
       VALUES ('stray', 'stray-request', '2026-11-25', 'G', 1, 'G001', 'qc-tax', 'qc-tax', 'x', 'online', 'finished', 0, '2026-11-25T00:00:00.000Z')`,
    );
    const results = await Promise.all([
      f.service.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k' }),
      f.service.issue({ requestId: requestId(), categoryId: 'qc-tax', kioskId: 'k' }),
      f.service.issue({ requestId: requestId(), categoryId: 'qc-medical', kioskId: 'k' }),
      f.service.issue({ requestId: requestId(), categoryId: 'qc-hrss', kioskId: 'k' }),
    ]);
    expect(results.map((r) => (r.ok ? r.value.ticket.displayNo : r.error.code))).toEqual(['A001', 'internal', 'C001', 'B001']);
  });

  it('calls each ticket exactly once when counters call at the same instant', async () => {
    const f = await setup();
    const windows = ['71', '72', '73', '74', '75', '76', '77', '78'];
    for (const [i, w] of windows.entries()) await login(f, w, `s${i + 1}`);
    const issued = [];
    for (let i = 0; i < 30; i++) issued.push((await issue(f, 'qc-real-estate', i % 4 === 0 ? { birthDate: '19300101' } : {})).ticket.displayNo);
    const called: string[] = [];
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(windows.map((w, i) => f.service.callNext({ windowNo: w, staffId: `s${i + 1}` })));
      for (const r of results) {
        const c = value(r).called;
        if (c !== null) called.push(c.displayNo);
      }
    }
    expect(called.length).toBe(30);
    expect(new Set(called).size).toBe(30);
    expect([...called].sort()).toEqual([...issued].sort());
  });

  it('two service instances on one database file (two connections) still call each ticket once', async () => {
    const f = await setup();
    const db2 = await openDatabase(join(f.dir, 'hall.db'));
    const other = await HallQueueService.open({ hall, db: db2, outbox: f.outbox, logger: silentLogger(), now: f.clock.now, kioskId: 'kiosk-2', counters });
    try {
      await login(f, '89', 's1');
      value(await other.counterLogin({ windowNo: '90', staffId: 's2', pin: PIN }));
      const issued = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? f.service : other).issue({ requestId: requestId(), categoryId: 'qc-construction', kioskId: 'k' })));
      expect(new Set(issued.map((r) => value(r).ticket.displayNo)).size).toBe(20);
      const called: string[] = [];
      for (let round = 0; round < 11; round++) {
        const [a, b] = await Promise.all([f.service.callNext({ windowNo: '89', staffId: 's1' }), other.callNext({ windowNo: '90', staffId: 's2' })]);
        for (const r of [a, b]) if (value(r).called !== null) called.push(value(r).called!.displayNo);
      }
      expect(called.length).toBe(20);
      expect(new Set(called).size).toBe(20);
    } finally {
      await db2.close();
    }
  });

  it('writes one outbox row per ticket event, with the event id, and tells subscribers after commit', async () => {
    const f = await setup();
    const heard: TicketEvent[] = [];
    const unsubscribe = f.service.subscribe((e) => heard.push(e));
    await login(f, '101', 's1');
    await issue(f, 'qc-social', { maskedName: '王*' });
    await issue(f, 'qc-social');
    value(await f.service.callNext({ windowNo: '101', staffId: 's1' }));
    value(await f.service.recall({ windowNo: '101', staffId: 's1' }));
    value(await f.service.skip({ windowNo: '101', staffId: 's1' }));
    value(await f.service.requeue({ windowNo: '101', staffId: 's1', displayNo: 'N001' }));
    value(await f.service.callNext({ windowNo: '101', staffId: 's1' }));
    value(await f.service.transfer({ windowNo: '101', staffId: 's1', toCategoryId: 'qc-civil' }));
    unsubscribe();
    value(await f.service.callNext({ windowNo: '101', staffId: 's1' }));
    value(await f.service.finish({ windowNo: '101', staffId: 's1' }));

    const events = await f.db.all<{ id: string; kind: string }>('SELECT id, kind FROM queue_ticket_events ORDER BY seq');
    expect(events.map((e) => e.kind)).toEqual(['issued', 'issued', 'called', 'recalled', 'skipped', 'requeued', 'called', 'transferred', 'called', 'finished']);
    const rows = await f.outbox.pending(f.db, 100);
    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id));
    expect(rows.every((r) => r.kind === 'queue.ticket-event' && r.schemaVersion === 1)).toBe(true);
    expect(rows[0]?.payload).toMatchObject({ kind: 'issued', ticket: { displayNo: 'N001', maskedName: '王*' } });
    expect(heard.map((e) => e.kind)).toEqual(['issued', 'issued', 'called', 'recalled', 'skipped', 'requeued', 'called', 'transferred']);
    expect(heard[2]).toMatchObject({ windowNo: '101', staffId: 's1', ticket: { status: 'called' } });
  });
});

describe('HallQueueService: offline leases and merge', () => {
  it('leases disjoint blocks from the reserve and merges uploads idempotently at their issue time', async () => {
    const f = await setup('2026-11-25T10:00:00+08:00', { rules: { leaseFloor: 1 } });
    const k1 = value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25', '2026-11-26'], minFree: 10 }));
    const k2 = value(await f.service.lease({ kioskId: 'k2', days: ['2026-11-25'], minFree: 15 }));
    const a1 = k1.find((g) => g.day === '2026-11-25' && g.prefix === 'A')!;
    const a2 = k2.find((g) => g.prefix === 'A')!;
    expect(a1.blocks).toEqual([{ start: 900, end: 909 }]);
    expect(a2.blocks).toEqual([
      { start: 910, end: 919 },
      { start: 920, end: 929 },
    ]);
    expect(k1.filter((g) => g.day === '2026-11-26')).toHaveLength(hall.queueCategories.length);
    // Asking again grants nothing new: the kiosk still holds enough.
    expect(value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25'], minFree: 10 })).find((g) => g.prefix === 'A')!.blocks).toHaveLength(1);
    expect(await f.service.lease({ kioskId: 'k1', days: ['2026-11-20'], minFree: 10 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const online = await issue(f, 'qc-integrated');
    f.clock.advanceMinutes(10);
    await issue(f, 'qc-integrated');
    const upload = {
      kioskId: 'k1',
      tickets: [{ requestId: 'offline-req-1', displayNo: 'A900', categoryId: 'qc-integrated', priority: null, issuedAt: '2026-11-25T10:05:00+08:00' }],
    };
    const merged = value(await f.service.mergeOffline(upload));
    expect(merged[0]?.result).toMatchObject({ ok: true, value: { displayNo: 'A900', source: 'offline', status: 'waiting' } });
    expect(value(await f.service.mergeOffline(upload))[0]?.result).toMatchObject({ ok: true, value: { displayNo: 'A900' } });
    expect((await f.db.all("SELECT id FROM queue_tickets WHERE display_no = 'A900'")).length).toBe(1);
    // Joined the line at 10:05: behind A001 (10:00), ahead of A002 (10:10).
    expect(value(await f.service.ticket({ displayNo: 'A900' })).peopleAhead).toBe(1);
    expect(online.ticket.displayNo).toBe('A001');

    const foreign = value(await f.service.mergeOffline({ kioskId: 'k2', tickets: [{ ...upload.tickets[0]!, requestId: 'offline-req-2', displayNo: 'A905' }] }));
    expect(foreign[0]?.result).toMatchObject({ ok: false, error: { code: 'number-not-leased' } });

    // After using numbers, a lease refresh tops the kiosk back up.
    const again = value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25'], minFree: 10 }));
    expect(again.find((g) => g.prefix === 'A')!.blocks).toEqual([
      { start: 900, end: 909 },
      { start: 930, end: 939 },
    ]);
  });

  it('keeps the id an offline ticket was printed with, so its QR page answers; refuses an id already taken', async () => {
    const f = await setup('2026-11-25T10:00:00+08:00');
    value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25'], minFree: 5 }));
    const printedId = '6b1f0d3e-5a0c-4f5e-9a51-2f1c7d9e8a01';
    const upload = { kioskId: 'k1', tickets: [{ id: printedId, requestId: 'offline-qr-1', displayNo: 'A900', categoryId: 'qc-integrated', priority: null, issuedAt: '2026-11-25T09:59:00+08:00' }] };
    expect(value(await f.service.mergeOffline(upload))[0]?.result).toMatchObject({ ok: true, value: { id: printedId, displayNo: 'A900' } });
    expect(value(await f.service.ticket({ id: printedId })).ticket.displayNo).toBe('A900');
    // Uploaded again (a lost reply): the same ticket, same id.
    expect(value(await f.service.mergeOffline(upload))[0]?.result).toMatchObject({ ok: true, value: { id: printedId } });
    const clash = value(await f.service.mergeOffline({ kioskId: 'k1', tickets: [{ ...upload.tickets[0]!, requestId: 'offline-qr-2', displayNo: 'A901' }] }));
    expect(clash[0]?.result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await f.db.all("SELECT id FROM queue_tickets WHERE display_no = 'A901'")).length).toBe(0);
  });

  it('sizes a lease from the last hour of demand, shared by the kiosks, with a floor and a cap (an outage of an hour, not of 10 tickets)', async () => {
    const f = await setup('2026-11-25T09:00:00+08:00', { rules: { leaseFloor: 20, leaseCap: 200 } });
    const free = (grants: Array<{ prefix: string; blocks: Array<{ start: number; end: number }> }>, prefix: string) =>
      grants.find((g) => g.prefix === prefix)!.blocks.reduce((n, b) => n + b.end - b.start + 1, 0);
    // A quiet hall: the floor.
    expect(free(value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25'], minFree: 1 })), 'A')).toBe(20);
    // 90 A tickets in the last hour, two kiosks holding leases: 45 each.
    value(await f.service.lease({ kioskId: 'k2', days: ['2026-11-25'], minFree: 1 }));
    for (let i = 0; i < 90; i++) await issue(f, 'qc-integrated');
    expect(free(value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25'], minFree: 1 })), 'A')).toBe(50);
    // Other categories stay at the floor; the next service day (no demand yet) too.
    expect(free(value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25'], minFree: 1 })), 'H')).toBe(20);
    expect(free(value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-26'], minFree: 1 })), 'A')).toBe(20);
  });

  it('voids a never-delivered online ticket when the kiosk uploads its offline one for the same request', async () => {
    const f = await setup('2026-11-25T10:00:00+08:00');
    value(await f.service.lease({ kioskId: 'k1', days: ['2026-11-25'], minFree: 5 }));
    const lost = value(await f.service.issue({ requestId: 'req-timeout-1', categoryId: 'qc-medical', kioskId: 'k1' }));
    const merged = value(
      await f.service.mergeOffline({ kioskId: 'k1', tickets: [{ requestId: 'req-timeout-1', displayNo: 'C900', categoryId: 'qc-medical', priority: null, issuedAt: '2026-11-25T10:00:01+08:00' }] }),
    );
    expect(merged[0]?.result.ok).toBe(true);
    expect(value(await f.service.ticket({ displayNo: lost.ticket.displayNo })).ticket.status).toBe('void');
    expect(value(await f.service.snapshot()).categories.find((c) => c.id === 'qc-medical')?.waiting).toBe(1);
  });
});
