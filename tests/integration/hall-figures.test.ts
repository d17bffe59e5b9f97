import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { queueFigures, startFiguresReport } from '../../hall/figures-report.js';
import { PIN, requestId, serviceFixture, startFixtureSync } from '../../hall/testing.js';
import { startLoopbackPlatform, TEST_ADMIN_TOKEN } from '../../platform/testing.js';

/**
 * The hall's figures reach the platform (record kind `hall.figures`) through
 * the service's own outbox and sync worker: one report per day and finished
 * hour; an unchanged report is not queued again, a changed one overwrites the
 * platform's figures for that day/hour instead of adding a second copy.
 */
const PLATFORM_SECRET = 'hall-figures-platform-secret-0123';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const Figures = z.object({
  day: z.string(),
  ratingsByDepartment: z.array(z.object({ departmentId: z.string(), count: z.number(), average: z.number(), stars: z.array(z.number()) })),
  figures: z.array(
    z.object({
      terminalId: z.string(),
      figuresKey: z.string(),
      hour: z.number().nullable(),
      generatedAt: z.string(),
      rows: z.array(z.looseObject({ scope: z.string(), key: z.string(), issued: z.number(), served: z.number() })),
      ratings: z.array(z.looseObject({ departmentId: z.string(), count: z.number(), average: z.number() })).nullable(),
    }),
  ),
});

describe('hall figures → platform', () => {
  it('sends each day and finished hour once per revision; a re-send overwrites on the platform', async () => {
    const f = await serviceFixture('2026-11-25T09:10:00+08:00');
    cleanups.push(() => f.cleanup());
    const platform = await startLoopbackPlatform({ terminals: [{ id: 'hall-01', secret: PLATFORM_SECRET }], now: f.clock.now });
    cleanups.push(() => platform.close());
    const sync = await startFixtureSync(f, platform, { id: 'hall-01', secret: PLATFORM_SECRET });
    cleanups.push(() => sync.stop());
    const report = await startFiguresReport({ service: f.service, db: f.db, outbox: f.outbox, now: f.clock.now, logger: silentLogger(), intervalMs: 3_600_000 });
    cleanups.push(() => report.stop());

    const session = await f.service.counterLogin({ windowNo: '3', staffId: 's1', pin: PIN });
    if (!session.ok) throw new Error(session.error.message);
    for (let i = 0; i < 3; i++) expect((await f.service.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' })).ok).toBe(true);
    f.clock.advanceMinutes(10);
    await f.service.callNext({ windowNo: '3', staffId: 's1' });
    f.clock.advanceMinutes(8);
    await f.service.finish({ windowNo: '3', staffId: 's1' });
    // 09:28: the 9 o'clock hour is still running: only the day so far is reported.
    expect(await report.runNow()).toBe(1);
    expect(await report.runNow()).toBe(0);
    f.clock.set('2026-11-25T10:05:00+08:00');
    // Now the 9 o'clock hour is over: its report; the day's is unchanged.
    expect(await report.runNow()).toBe(1);
    await sync.worker.syncNow();

    const read = async () => {
      const response = await fetch(new URL('/admin/hall-figures?day=2026-11-25', platform.url), { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      expect(response.status).toBe(200);
      return Figures.parse(await response.json());
    };
    let figures = (await read()).figures;
    expect(figures.map((x) => x.figuresKey)).toEqual(['2026-11-25/day', '2026-11-25/9']);
    const hall = (rows: (typeof figures)[number]['rows']) => rows.find((r) => r.scope === 'hall')!;
    expect(hall(figures[0]!.rows)).toMatchObject({ issued: 3, served: 1 });
    expect(hall(figures[1]!.rows)).toMatchObject({ issued: 3, served: 1 });

    // More happens at 10:xx: the day's report changes and is sent again — over the old one.
    await f.service.callNext({ windowNo: '3', staffId: 's1' });
    f.clock.advanceMinutes(5);
    await f.service.finish({ windowNo: '3', staffId: 's1' });
    expect(await queueFigures({ service: f.service, db: f.db, outbox: f.outbox, now: f.clock.now })).toBe(1);
    await sync.worker.syncNow();
    figures = (await read()).figures;
    expect(figures.map((x) => x.figuresKey)).toEqual(['2026-11-25/day', '2026-11-25/9']);
    expect(hall(figures[0]!.rows)).toMatchObject({ issued: 3, served: 2 });
    // Every revision is a record of its own id on the platform (no duplicates), the figures table keeps the newest:
    // at start yesterday's (empty) day and today's empty day, then today's day twice more and the 9 o'clock hour.
    const stats = z.object({ perKind: z.record(z.string(), z.number()), duplicatesSeen: z.number() }).parse(await (await fetch(new URL('/admin/stats', platform.url), { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json());
    expect(stats.perKind['hall.figures']).toBe(5);
    expect(stats.duplicatesSeen).toBe(0);

    // Ratings come from the kiosks' feedback flow as `rating` records; the platform gives them by department beside the figures.
    await f.db.transaction(async (tx) => {
      for (const [stars, departmentId] of [[5, 'dep-a'], [2, 'dep-a'], [4, 'dep-b']] as const) {
        await f.outbox.append(tx, { kind: 'rating', schemaVersion: 1, payload: { stars, at: f.clock.now().toISOString(), departmentId, reasons: stars <= 2 ? ['waiting-time'] : [] } }, f.clock.now());
      }
    });
    await sync.worker.syncNow();
    expect((await read()).ratingsByDepartment).toEqual([
      { departmentId: 'dep-a', count: 2, average: 3.5, stars: [0, 1, 0, 0, 1] },
      { departmentId: 'dep-b', count: 1, average: 4, stars: [0, 0, 0, 1, 0] },
    ]);

    // The kiosks also report their ratings to the hall service: the day's report carries them by department, sent once more.
    expect(figures[0]!.ratings).toEqual([]);
    expect(figures[1]!.ratings).toBeNull();
    const reported = await f.service.reportRatings({
      kioskId: 'k1',
      ratings: [
        { id: 'rating-0001', at: f.clock.now().toISOString(), stars: 5, departmentId: 'taxation', reasons: [] },
        { id: 'rating-0002', at: f.clock.now().toISOString(), stars: 2, departmentId: 'taxation', reasons: ['long-wait'] },
      ],
    });
    expect(reported.ok).toBe(true);
    expect(await queueFigures({ service: f.service, db: f.db, outbox: f.outbox, now: f.clock.now })).toBe(1);
    await sync.worker.syncNow();
    figures = (await read()).figures;
    expect(figures[0]!.ratings).toEqual([{ day: '2026-11-25', departmentId: 'taxation', count: 2, average: 3.5, stars: [0, 1, 0, 0, 1], lowPercent: 50, topReasons: [{ reason: 'long-wait', count: 1 }] }]);
    expect(hall(figures[0]!.rows)).toMatchObject({ issued: 3, served: 2 });

    // A hall service of an earlier version sends day reports without ratings: still taken, its ratings unknown (null).
    f.clock.advanceMinutes(1);
    await f.db.transaction(async (tx) => {
      await f.outbox.append(tx, { kind: 'hall.figures', schemaVersion: 1, payload: { figuresKey: '2026-11-25/day', day: '2026-11-25', hour: null, generatedAt: f.clock.now().toISOString(), rows: figures[0]!.rows } }, f.clock.now());
    });
    await sync.worker.syncNow();
    figures = (await read()).figures;
    expect(figures[0]!.generatedAt).toBe(f.clock.now().toISOString());
    expect(figures[0]!.ratings).toBeNull();
  });
});
