import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hashPin } from '../electron/host/staff/credentials.js';
import { pageKey, startHallServer, type HallServer } from './server.js';
import { recordingLogger, serviceFixture, testSocket, until, type Fixture } from './testing.js';
import { HallStats, type HallRating } from './protocol/index.js';

/**
 * The kiosk → hall service ratings channel (`reportRatings`, issue #17 item 5)
 * over the real server: kiosks only, in their own name, idempotent by rating
 * id; bad reports refused and logged with nothing stored; what is stored shows
 * in the manager's figures as ratings by department.
 */
const SECRET = 'hall-secret-for-ratings-tests';
const MANAGER_PIN = '975310';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = recordingLogger(lines);
  const f: Fixture = await serviceFixture('2026-11-25T10:00:00+08:00', { logger, managerPinHash: hashPin(MANAGER_PIN) });
  cleanups.push(() => f.cleanup());
  const server: HallServer = await startHallServer({ service: f.service, secret: SECRET, port: 0, host: '127.0.0.1', logger });
  cleanups.push(() => server.close());
  return { f, server, lines };
}

/** A socket of the given role: a kiosk proves the hall secret (no kiosk registered), a page its page key. */
const connect = (url: string, role: 'kiosk' | 'counter' | 'display' | 'stats', kioskId?: string) => testSocket(url, role, role === 'kiosk' ? SECRET : pageKey(SECRET, role), cleanups, kioskId);

let seq = 0;
function rating(stars: number, departmentId?: string, reasons: string[] = [], at = '2026-11-25T09:30:00+08:00'): HallRating {
  seq++;
  return { id: `rating-${String(seq).padStart(4, '0')}`, at, stars, reasons, ...(departmentId === undefined ? {} : { departmentId }) };
}

async function storedCount(f: Fixture): Promise<number> {
  return (await f.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM hall_ratings'))?.n ?? 0;
}

async function figures(server: HallServer) {
  const stats = await connect(server.wsUrl, 'stats');
  const login = await stats('managerLogin', { pin: MANAGER_PIN });
  const token = z.object({ token: z.string() }).parse(login.value).token;
  const reply = await stats('hallStats', { token, from: '2026-11-25', to: '2026-11-25' });
  return HallStats.parse(reply.value);
}

describe('ratings from the kiosks', () => {
  it('stores a kiosk\'s ratings once: a re-send is a duplicate and counts nothing twice', async () => {
    const { f, server } = await setup();
    const kiosk = await connect(server.wsUrl, 'kiosk', 'kiosk-07');
    const batch = [rating(5, 'public-security'), rating(2, 'public-security', ['long-wait', 'staff-attitude']), rating(4, 'taxation'), rating(3)];
    const first = await kiosk('reportRatings', { kioskId: 'kiosk-07', ratings: batch });
    expect(first.ok).toBe(true);
    expect(first.value).toEqual(batch.map((r) => ({ id: r.id, outcome: 'stored' })));
    // The kiosk did not hear the answer and sends the same ratings again, with one new one.
    const extra = rating(1, 'public-security', ['long-wait']);
    const again = await kiosk('reportRatings', { kioskId: 'kiosk-07', ratings: [...batch, extra] });
    expect(again.value).toEqual([...batch.map((r) => ({ id: r.id, outcome: 'duplicate' })), { id: extra.id, outcome: 'stored' }]);
    expect(await storedCount(f)).toBe(5);

    const stats = await figures(server);
    expect(stats.ratings).toEqual([
      { day: '2026-11-25', departmentId: '', count: 1, average: 3, stars: [0, 0, 1, 0, 0], lowPercent: 0, topReasons: [] },
      { day: '2026-11-25', departmentId: 'public-security', count: 3, average: 2.7, stars: [1, 1, 0, 0, 1], lowPercent: 66.7, topReasons: [{ reason: 'long-wait', count: 2 }, { reason: 'staff-attitude', count: 1 }] },
      { day: '2026-11-25', departmentId: 'taxation', count: 1, average: 4, stars: [0, 0, 0, 1, 0], lowPercent: 0, topReasons: [] },
    ]);
    expect(stats.departments.find((d) => d.id === 'public-security')).toEqual({ id: 'public-security', name: '公安局', nameEn: 'Public Security Bureau' });
  });

  it('refuses the counter, display and statistics pages and the HTTP API, logged, storing nothing', async () => {
    const { f, server, lines } = await setup();
    const report = { kioskId: 'kiosk-07', ratings: [rating(5, 'taxation')] };
    for (const role of ['counter', 'display', 'stats'] as const) {
      const call = await connect(server.wsUrl, role);
      expect((await call('reportRatings', report)).error?.code, role).toBe('unauthorized');
    }
    expect(lines.filter((l) => l.msg === 'queue server: a page called a method its key does not open' && l.method === 'reportRatings')).toHaveLength(3);
    // The hall secret over HTTP is the manager's tool, not a kiosk: it cannot make up ratings either.
    const http = await fetch(`${server.httpUrl}/api/reportRatings`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify(report) });
    expect(z.object({ ok: z.literal(false), error: z.looseObject({ code: z.string() }) }).parse(await http.json()).error.code).toBe('unauthorized');
    expect(lines.some((l) => l.msg === 'queue server: ratings refused: not a kiosk connection' && l.caller === 'manager')).toBe(true);
    // A kiosk only in its own name.
    const kiosk = await connect(server.wsUrl, 'kiosk', 'kiosk-08');
    expect((await kiosk('reportRatings', report)).error?.code).toBe('unauthorized');
    await until('the refusal logged', () => lines.some((l) => l.msg === "queue: ratings refused: reported in another kiosk's name" && l.claimed === 'kiosk-07'));
    expect(await storedCount(f)).toBe(0);
  });

  it('refuses bad reports whole (stars out of range, personal data, oversize, bad id) and logs them', async () => {
    const { f, server, lines } = await setup();
    const kiosk = await connect(server.wsUrl, 'kiosk', 'kiosk-07');
    const good = rating(4, 'taxation');
    const bad: Array<[string, unknown]> = [
      ['six stars', { ...rating(5, 'taxation'), stars: 6 }],
      ['no stars', { ...rating(5, 'taxation'), stars: 0 }],
      ['half a star', { ...rating(5, 'taxation'), stars: 3.5 }],
      ['free text', { ...rating(2, 'taxation', ['other']), text: '张三 110101199003074578' }],
      ['a name', { ...rating(2, 'taxation', ['long-wait']), maskedName: '张*' }],
      ['bad id', { ...rating(5, 'taxation'), id: "x'; DROP TABLE hall_ratings; --" }],
      ['bad reason', rating(2, 'taxation', ['<script>'])],
      ['no time', { ...rating(5, 'taxation'), at: 'yesterday' }],
    ];
    for (const [what, wrong] of bad) {
      const reply = await kiosk('reportRatings', { kioskId: 'kiosk-07', ratings: [good, wrong] });
      expect(reply.error?.code, what).toBe('bad-request');
    }
    const oversize = await kiosk('reportRatings', { kioskId: 'kiosk-07', ratings: Array.from({ length: 201 }, () => rating(5)) });
    expect(oversize.error?.code).toBe('bad-request');
    expect((await kiosk('reportRatings', { kioskId: 'kiosk-07', ratings: [] })).error?.code).toBe('bad-request');
    expect(lines.filter((l) => l.msg === 'queue: ratings refused: bad report')).toHaveLength(bad.length + 2);
    // Nothing of a refused report was stored, not even its good rating.
    expect(await storedCount(f)).toBe(0);
    // Never the refused text in the log.
    expect(JSON.stringify(lines)).not.toContain('110101199003074578');
  });

  it('refuses a rating of a department the hall does not have, keeps the others, and logs it', async () => {
    const { f, server, lines } = await setup();
    const kiosk = await connect(server.wsUrl, 'kiosk', 'kiosk-07');
    const unknown = rating(1, 'ministry-of-magic', ['long-wait']);
    const known = rating(5, 'notary');
    const reply = await kiosk('reportRatings', { kioskId: 'kiosk-07', ratings: [unknown, known] });
    expect(reply.value).toEqual([
      { id: unknown.id, outcome: 'refused', reason: '没有这个部门：ministry-of-magic' },
      { id: known.id, outcome: 'stored' },
    ]);
    await until('the refusal logged', () => lines.some((l) => l.msg === 'queue: rating refused' && l.ratingId === unknown.id));
    expect(await storedCount(f)).toBe(1);
    expect((await figures(server)).ratings.map((r) => r.departmentId)).toEqual(['notary']);
  });
});
