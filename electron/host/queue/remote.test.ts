import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { silentLogger } from '../logging/logger.js';
import { RemoteHallQueue } from './remote.js';
import * as store from './offline-store.js';
import { TestClock, hall, openDatabase, requestId, tempDir } from '../../../hall/testing.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A hall service that says welcome and then never answers a call (hung process, half-open link). */
async function hungService(): Promise<{ url: string; calls: () => number }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let calls = 0;
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'challenge', nonce: 'a-challenge-nonce-0123456789' }));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'hello') {
        socket.send(JSON.stringify({ type: 'welcome', day: '2026-11-25', at: new Date().toISOString() }));
        socket.send('garbage that is not JSON');
        socket.send(JSON.stringify({ type: 'result', id: 999, result: { nonsense: true } }));
      } else calls++;
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, calls: () => calls };
}

async function kiosk(url: string, clock: TestClock): Promise<{ queue: RemoteHallQueue; db: Awaited<ReturnType<typeof openDatabase>> }> {
  const dir = tempDir('liuliu-remote-');
  const db = await openDatabase(join(dir, 'kiosk.db'));
  const queue = await RemoteHallQueue.open({ url, secret: 'whatever-secret', kioskId: 'k1', hall, db, logger: silentLogger(), now: clock.now, callTimeoutMs: 300, reconnectMinMs: 5_000, reconnectMaxMs: 5_000 });
  cleanups.push(async () => {
    await queue.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { queue, db };
}

describe('RemoteHallQueue', () => {
  it('falls back to its lease when the service stops answering, then issues offline at once', async () => {
    const service = await hungService();
    const clock = new TestClock('2026-11-25T10:00:00+08:00');
    const { queue, db } = await kiosk(service.url, clock);
    expect(await queue.whenConnected(10_000)).toBe(true);
    // The lease a previous connection would have granted.
    await store.saveKioskLeases(db, '2026-11-25', 'A', [{ start: 930, end: 939 }]);

    const first = await queue.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' });
    expect(first).toMatchObject({ ok: true, value: { offline: true, ticket: { displayNo: 'A930', source: 'offline' }, floor: 1 } });
    expect(queue.connected).toBe(false);
    const callsSoFar = service.calls();
    expect(callsSoFar).toBeGreaterThanOrEqual(1);
    const second = await queue.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' });
    expect(second).toMatchObject({ ok: true, value: { offline: true, ticket: { displayNo: 'A931' } } });
    // No second wait on the hung service: the dead connection was dropped, nothing more was sent to it.
    expect(service.calls()).toBe(callsSoFar);
    expect(await queue.pendingUploads()).toBe(2);
  });

  it('offline it still applies the hall rules: hours, categories, priority proof, no lease', async () => {
    const clock = new TestClock('2026-11-29T10:00:00+08:00');
    const { queue, db } = await kiosk('ws://127.0.0.1:9/ws', clock);
    await store.saveKioskLeases(db, '2026-11-29', 'A', [{ start: 900, end: 909 }]);
    expect(await queue.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' })).toMatchObject({ ok: false, error: { code: 'closed', details: { reason: 'closed-day' } } });
    clock.set('2026-11-30T09:00:00+08:00');
    expect(await queue.issue({ requestId: requestId(), categoryId: 'qc-nope', kioskId: 'k1' })).toMatchObject({ ok: false, error: { code: 'unknown-category' } });
    expect(await queue.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1', priority: 'disabled' })).toMatchObject({ ok: false, error: { code: 'priority-needs-staff' } });
    // Monday's lease was never granted: say so rather than invent a number.
    expect(await queue.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await store.saveKioskLeases(db, '2026-11-30', 'A', [{ start: 900, end: 909 }]);
    const elderly = await queue.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1', birthDate: '19400101', maskedName: '周*' });
    expect(elderly).toMatchObject({ ok: true, value: { offline: true, peopleAhead: null, etaMinutes: null, ticket: { displayNo: 'A900', priority: 'elderly', maskedName: '周*' } } });
    // Counter operations need the service.
    expect(await queue.snapshot()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await queue.callNext({ windowNo: '3', staffId: 's1' })).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
  });
});
