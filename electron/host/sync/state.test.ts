import { describe, expect, it } from 'vitest';
import type { QueuedRow } from '../storage/outbox.js';
import { backoffDelay, interpretAcks, planAnswer, planBatch, platformHealth, retrySchedule } from './state.js';

const now = new Date('2026-03-02T08:00:00.000Z');

function row(seq: number, kind: string, extra: Partial<QueuedRow> = {}): QueuedRow {
  return {
    seq,
    id: `r${seq}`,
    kind,
    schemaVersion: 1,
    payload: { n: seq },
    createdAt: now.toISOString(),
    state: 'pending',
    attempts: 0,
    lastError: null,
    nextAttemptAt: null,
    unreadable: null,
    ...extra,
  };
}

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it('doubles per failure between half and all of the ceiling, and stops growing at the cap', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(999);
    expect(backoffDelay(2, policy, () => 0)).toBe(1000);
    expect(backoffDelay(4, policy, () => 0)).toBe(4000);
    expect(backoffDelay(7, policy, () => 0.5)).toBe(45_000); // ceiling 60 s (64 s capped)
    expect(backoffDelay(500, policy, () => 0.999999)).toBeLessThan(60_000);
    expect(backoffDelay(500, policy, () => 0)).toBe(30_000);
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
  });

  it('spreads terminals that failed together', () => {
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5, policy, random)));
    expect(delays.size).toBeGreaterThan(40);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(8000);
  });
});

describe('planBatch', () => {
  const limits = { maxRecords: 3, maxBytes: 100_000 };

  it('takes rows in queue order up to the batch size', () => {
    const plan = planBatch([row(1, 'a'), row(2, 'b'), row(3, 'a'), row(4, 'b')], now, limits);
    expect(plan.records.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(plan.unsendable).toEqual([]);
    expect(plan.nextDueAt).toBeNull();
  });

  it('holds back every later row of a kind whose earlier row is backing off, but not other kinds', () => {
    const later = new Date(now.getTime() + 5000).toISOString();
    const plan = planBatch([row(1, 'a', { nextAttemptAt: later, attempts: 2 }), row(2, 'b'), row(3, 'a'), row(4, 'b')], now, limits);
    expect(plan.records.map((r) => r.id)).toEqual(['r2', 'r4']);
    expect(plan.nextDueAt?.toISOString()).toBe(later);
  });

  it('sends a row whose retry time has come', () => {
    const past = new Date(now.getTime() - 1).toISOString();
    expect(planBatch([row(1, 'a', { nextAttemptAt: past })], now, limits).records).toHaveLength(1);
  });

  it('dead-letters unreadable and oversized rows without holding back their kind', () => {
    const big = row(2, 'a', { payload: { blob: 'x'.repeat(2000) } });
    const plan = planBatch([row(1, 'a', { payload: null, unreadable: 'payload cannot be opened' }), big, row(3, 'a')], now, { maxRecords: 10, maxBytes: 1000 });
    expect(plan.unsendable.map((u) => u.id)).toEqual(['r1', 'r2']);
    expect(plan.unsendable[1]?.reason).toMatch(/larger than the 1000-byte/);
    expect(plan.records.map((r) => r.id)).toEqual(['r3']);
  });

  it('stops before the byte limit', () => {
    const rows = [1, 2, 3].map((seq) => row(seq, 'a', { payload: { blob: 'x'.repeat(300) } }));
    expect(planBatch(rows, now, { maxRecords: 10, maxBytes: 900 }).records).toHaveLength(2);
  });
});

describe('interpretAcks', () => {
  it('marks accepted and duplicate as synced, rejected as dead, missing as unacked, strays apart', () => {
    const outcome = interpretAcks(
      ['a', 'b', 'c', 'd'],
      [
        { id: 'a', status: 'accepted' },
        { id: 'b', status: 'duplicate' },
        { id: 'c', status: 'rejected', reason: 'unknown record kind "x"' },
        { id: 'zz', status: 'accepted' },
      ],
    );
    expect(outcome).toEqual({ synced: ['a', 'b'], rejected: [{ id: 'c', reason: 'unknown record kind "x"' }], unacked: ['d'], strays: ['zz'] });
  });

  it('treats an empty answer as nothing acknowledged', () => {
    expect(interpretAcks(['a'], []).unacked).toEqual(['a']);
  });
});

describe('planAnswer', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  const sent = [
    { id: 'a', attempts: 0 },
    { id: 'b', attempts: 2 },
    { id: 'c', attempts: 0 },
  ];

  it('resends the unacknowledged rest of a partial answer at once, without a backoff or an attempt', () => {
    const plan = planAnswer(sent, [{ id: 'a', status: 'accepted' }], now, policy, () => 0);
    expect(plan.synced).toEqual(['a']);
    expect(plan.resendNow).toEqual(['b', 'c']);
    expect(plan.backOff).toEqual([]);
  });

  it('counts a rejection as progress too', () => {
    const plan = planAnswer(sent, [{ id: 'c', status: 'rejected', reason: 'unknown kind' }], now, policy, () => 0);
    expect(plan.rejected).toEqual([{ id: 'c', reason: 'unknown kind' }]);
    expect(plan.resendNow).toEqual(['a', 'b']);
  });

  it('backs off every row of an answer that acknowledged nothing, from its own failure count', () => {
    const plan = planAnswer(sent, [{ id: 'stray', status: 'accepted' }], now, policy, () => 0);
    expect(plan.resendNow).toEqual([]);
    expect(plan.strays).toEqual(['stray']);
    expect(plan.backOff.map((row) => [row.id, row.nextAttemptAt.getTime() - now.getTime()])).toEqual([
      ['a', 500],
      ['b', 2000],
      ['c', 500],
    ]);
  });

  it('leaves nothing to do when everything was acknowledged', () => {
    const plan = planAnswer(sent, sent.map((row) => ({ id: row.id, status: 'duplicate' as const })), now, policy, () => 0);
    expect(plan).toMatchObject({ synced: ['a', 'b', 'c'], resendNow: [], backOff: [] });
  });
});

describe('retrySchedule and platformHealth', () => {
  it('schedules each row from its own failure count', () => {
    const schedule = retrySchedule(
      [
        { id: 'a', attempts: 0 },
        { id: 'b', attempts: 3 },
      ],
      now,
      { baseMs: 100, maxMs: 10_000 },
      () => 0,
    );
    expect(schedule.map((s) => s.nextAttemptAt.getTime() - now.getTime())).toEqual([50, 400]);
  });

  it('maps the sync status to device health', () => {
    expect(platformHealth({ online: true, backlog: 3, deadLetters: 0, lastSyncAt: null, lastError: null }).state).toBe('ok');
    expect(platformHealth({ online: false, backlog: 3, deadLetters: 0, lastSyncAt: null, lastError: 'timeout' })).toEqual({ state: 'disconnected', reason: { code: 'device.platformOffline', params: { detail: 'timeout' } } });
    expect(platformHealth({ online: true, backlog: 0, deadLetters: 2, lastSyncAt: null, lastError: null }).reason).toEqual({ code: 'device.platformRejected', params: { records: 2 } });
    expect(platformHealth({ online: true, backlog: 0, deadLetters: 2, lastSyncAt: null, lastError: null }).state).toBe('degraded');
  });
});
