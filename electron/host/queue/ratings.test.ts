import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { SessionManager } from '../session/manager.js';
import { guideModule } from '../guide/module.js';
import { freePort } from '../../../tests/support/ports.js';
import { eventually, moduleHarness } from '../../../tests/support/host.js';
import { startHallServer } from '../../../hall/server.js';
import { hall, openDatabase, serviceFixture, tempDir } from '../../../hall/testing.js';
import type { HallRating } from '../../../hall/protocol/index.js';
import { RemoteHallQueue } from './remote.js';
import { queueModule } from './module.js';

/**
 * The kiosk's side of the ratings channel (issue #17 item 5): ratings are
 * kept in the kiosk's own SQLite until the hall service has them, sent on
 * reconnect, counted once however often they are sent; and a rating left
 * through the guide reaches the hall's figures without anything personal.
 */
const SECRET = 'ratings-kiosk-test-secret';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const rating = (n: number, stars: number, departmentId?: string, reasons: string[] = []): HallRating => ({
  id: `kiosk-rating-${n}`,
  at: '2026-11-25T10:0' + String(n) + ':00+08:00',
  stars,
  reasons,
  ...(departmentId === undefined ? {} : { departmentId }),
});

describe('kept ratings, hall service unreachable', () => {
  it('keeps them while the service is down, sends them on reconnect, and a re-send counts once', async () => {
    const port = await freePort();
    const dir = tempDir('liuliu-kiosk-ratings-');
    const db = await openDatabase(join(dir, 'kiosk.db'));
    const kiosk = await RemoteHallQueue.open({ url: `ws://127.0.0.1:${port}/ws`, secret: SECRET, kioskId: 'k1', hall, db, logger: silentLogger(), callTimeoutMs: 2000, reconnectMinMs: 50, reconnectMaxMs: 200 });
    cleanups.push(async () => {
      await kiosk.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // Nobody listens yet: the ratings wait in the kiosk's database.
    await kiosk.reportRating(rating(1, 5, 'taxation'));
    await kiosk.reportRating(rating(2, 1, 'taxation', ['long-wait']));
    await kiosk.reportRating(rating(3, 2, 'no-such-department', ['staff-attitude']));
    await kiosk.reportRating(rating(1, 5, 'taxation'));
    expect(kiosk.connected).toBe(false);
    expect(await kiosk.pendingRatings()).toBe(3);

    // The hall service comes up on that port: the kiosk reconnects and its sync sends them.
    const f = await serviceFixture('2026-11-25T11:00:00+08:00');
    cleanups.push(() => f.cleanup());
    const server = await startHallServer({ service: f.service, secret: SECRET, port, host: '127.0.0.1', logger: silentLogger() });
    cleanups.push(() => server.close());
    expect(await kiosk.whenConnected(20_000)).toBe(true);
    await eventually(() => kiosk.pendingRatings(), (n) => n === 0);
    const stored = async () => f.db.all<{ id: string; kiosk_id: string; stars: number }>('SELECT id, kiosk_id, stars FROM hall_ratings ORDER BY id');
    expect(await stored()).toEqual([
      { id: 'kiosk-rating-1', kiosk_id: 'k1', stars: 5 },
      { id: 'kiosk-rating-2', kiosk_id: 'k1', stars: 1 },
    ]);
    // The refused one is kept with the reason and not sent again.
    expect(await db.get('SELECT refused, sent_at FROM queue_kiosk_ratings WHERE id = ?', ['kiosk-rating-3'])).toEqual({ refused: '没有这个部门：no-such-department', sent_at: null });

    // The answer was lost (the kiosk crashed before noting it): the next send is a duplicate, counted once.
    await db.run('UPDATE queue_kiosk_ratings SET sent_at = NULL WHERE id IN (?, ?)', ['kiosk-rating-1', 'kiosk-rating-2']);
    expect(await kiosk.pendingRatings()).toBe(2);
    await kiosk.sendRatings();
    expect(await kiosk.pendingRatings()).toBe(0);
    expect(await stored()).toHaveLength(2);
    const figures = await f.service.figures('2026-11-25', '2026-11-25');
    expect(figures.ratings).toEqual([{ day: '2026-11-25', departmentId: 'taxation', count: 2, average: 3, stars: [1, 0, 0, 0, 1], lowPercent: 50, topReasons: [{ reason: 'long-wait', count: 1 }] }]);
  });
});

describe('a rating left at the kiosk reaches the hall figures', () => {
  it('goes from feedback.submit through the embedded hall service, with the service\'s department and nothing personal', async () => {
    const harness = await moduleHarness(cleanups);
    const port = await freePort();
    harness.context.config.queue.listen = { host: '127.0.0.1', port };
    const sessions = new SessionManager(harness.context);
    cleanups.push(() => sessions.stop());
    const queue = queueModule(harness.context, sessions);
    await harness.serve(queue);
    const client = await harness.serve(guideModule(harness.context, sessions, { hallRatings: queue.hallRatings }));

    const rated = await client.call('feedback.submit', { kind: 'rating', stars: 2, reasons: ['long-wait', 'other'], text: '等了一个小时 13800138000', serviceId: 'ps-idcard-reissue' });
    if (!rated.ok) throw new Error(rated.error.code);
    // Embedded: the hall service shares the kiosk's database.
    const row = await eventually(
      () => harness.context.db.get<Record<string, unknown>>('SELECT * FROM hall_ratings WHERE id = ?', [rated.value.id]),
      (r) => r !== undefined,
    );
    expect(row).toMatchObject({ stars: 2, department_id: 'public-security', service_id: 'ps-idcard-reissue', reasons: '["long-wait","other"]' });
    expect(await harness.context.db.get('SELECT sent_at IS NOT NULL AS sent FROM queue_kiosk_ratings WHERE id = ?', [rated.value.id])).toEqual({ sent: 1 });
    const kept = JSON.stringify(await harness.context.db.all('SELECT * FROM queue_kiosk_ratings'));
    for (const personal of ['等了一个小时', '13800138000']) {
      expect(kept).not.toContain(personal);
      expect(JSON.stringify(row)).not.toContain(personal);
    }
  }, 60_000);
});
