import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import type { CallResult } from '../electron/host/sync/client.js';
import type { AppointmentPage } from '../platform-contract/contract.js';
import { startLoopbackPlatform } from '../platform/testing.js';
import type { AppointmentBook } from './appointment-book.js';
import { startAppointmentUpkeep } from './appointment-pull.js';
import { serviceFixture, startFixtureSync, until } from './testing.js';

function page(): CallResult<AppointmentPage> {
  return { ok: true, status: 200, headers: {}, value: { appointments: [], cursor: '1', more: false } };
}

/** Issue #15/#17 gap: a hall started in the morning pulls its appointments at once, not one interval (a minute) later. */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('appointment pull schedule', () => {
  it('pulls at once on start, then every interval; a failed pull retries with the one backoff', async () => {
    vi.useFakeTimers();
    const pulls: number[] = [];
    const answers: Array<CallResult<AppointmentPage>> = [
      page(),
      { ok: false, error: { kind: 'network', message: 'platform unreachable' } },
      page(),
    ];
    const book = { cursor: async () => null, apply: async () => undefined, releaseNoShows: async () => 0 } as unknown as AppointmentBook;
    const upkeep = startAppointmentUpkeep({
      book,
      source: {
        appointments: async () => {
          pulls.push(Date.now());
          return answers.shift() ?? page();
        },
      },
      logger: silentLogger(),
      now: () => new Date(),
      intervalMs: 60_000,
      backoff: { baseMs: 2_000, maxMs: 300_000 },
      random: () => 0,
    });
    cleanups.push(() => upkeep.stop());
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(pulls.map((at) => at - start)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(pulls.map((at) => at - start)).toEqual([0, 60_000]);
    // The failed pull backs off (random 0: half the first ceiling = 1 s), then the interval again.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pulls.map((at) => at - start)).toEqual([0, 60_000, 61_000]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(pulls.map((at) => at - start)).toEqual([0, 60_000, 61_000, 121_000]);
  });

  it('the standalone service holds the platform\'s appointments right after start, with an hour\'s interval', async () => {
    const f = await serviceFixture('2026-11-25T08:20:00+08:00');
    cleanups.push(() => f.cleanup());
    const terminal = { id: 'hall-01', secret: 'hall-pull-platform-secret-0123' };
    const platform = await startLoopbackPlatform({ terminals: [terminal], citizenKeySecret: 'pull-citizen-key-secret' });
    cleanups.push(() => platform.close());
    const booked = await platform.admin.createAppointment({ idNumber: '430181198001011239', name: '张三丰', serviceId: 'svc-1', categoryId: 'qc-integrated', slotStart: '2026-11-25T01:00:00.000Z', slotEnd: '2026-11-25T01:30:00.000Z' });
    const sync = await startFixtureSync(f, platform, terminal, { appointmentIntervalMs: 3_600_000 });
    cleanups.push(() => sync.stop());
    await until('the first appointment pull', async () => (await f.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM hall_appointments'))!.n === 1, 10_000);
    const row = await f.db.get<{ code: string }>('SELECT code FROM hall_appointments');
    expect(row?.code).toBe(booked.code);
  });
});
