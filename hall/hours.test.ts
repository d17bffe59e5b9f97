import { describe, expect, it } from 'vitest';
import { isIssuingOpen, nextServiceDay } from './hours.js';
import { hall } from './testing.js';

// 2026-11-25 is a Wednesday; 11-28 Saturday, 11-29 Sunday, 11-30 Monday.
const at = (iso: string): Date => new Date(iso);

function closed(categoryId: string, iso: string, calendar = {}) {
  const status = isIssuingOpen(hall, categoryId, at(iso), calendar);
  if (status.open) throw new Error(`expected closed at ${iso}`);
  return { reason: status.reason, next: status.nextOpening?.toISOString() ?? null, message: status.message };
}

describe('isIssuingOpen', () => {
  it('is open on a weekday morning and afternoon until the ticket cutoff', () => {
    const morning = isIssuingOpen(hall, 'qc-integrated', at('2026-11-25T10:00:00+08:00'));
    expect(morning).toEqual({ open: true, cutoffAt: at('2026-11-25T11:30:00+08:00') });
    expect(isIssuingOpen(hall, 'qc-tax', at('2026-11-25T08:30:00+08:00')).open).toBe(true);
    expect(isIssuingOpen(hall, 'qc-tax', at('2026-11-25T16:59:00+08:00')).open).toBe(true);
  });

  it('developer mode can ignore the hours (ignoreOpeningHours), but an unknown category stays unknown', () => {
    expect(isIssuingOpen(hall, 'qc-tax', at('2026-11-29T03:00:00+08:00'), { ignoreOpeningHours: true }).open).toBe(true);
    expect(isIssuingOpen(hall, 'qc-nope', at('2026-11-25T10:00:00+08:00'), { ignoreOpeningHours: true })).toMatchObject({ open: false, reason: 'unknown-category' });
  });

  it('before opening, says so and gives today’s opening', () => {
    expect(closed('qc-integrated', '2026-11-25T08:29:00+08:00')).toMatchObject({ reason: 'before-opening', next: '2026-11-25T00:30:00.000Z' });
  });

  it('after the morning cutoff and over lunch, points at the afternoon session', () => {
    expect(closed('qc-integrated', '2026-11-25T11:30:00+08:00')).toMatchObject({ reason: 'after-cutoff', next: '2026-11-25T06:00:00.000Z' });
    expect(closed('qc-integrated', '2026-11-25T12:45:00+08:00')).toMatchObject({ reason: 'after-cutoff', next: '2026-11-25T06:00:00.000Z' });
  });

  it('after the afternoon cutoff, points at the next morning', () => {
    const c = closed('qc-integrated', '2026-11-25T17:00:00+08:00');
    expect(c).toMatchObject({ reason: 'after-cutoff', next: '2026-11-26T00:30:00.000Z' });
    expect(c.message).toContain('下次取号时间：11月26日（周四）08:30');
  });

  it('opens Saturday morning only for the Saturday departments', () => {
    expect(isIssuingOpen(hall, 'qc-integrated', at('2026-11-28T09:00:00+08:00')).open).toBe(true);
    expect(isIssuingOpen(hall, 'qc-household', at('2026-11-28T11:00:00+08:00')).open).toBe(true);
    expect(closed('qc-integrated', '2026-11-28T08:59:00+08:00')).toMatchObject({ reason: 'before-opening', next: '2026-11-28T01:00:00.000Z' });
    // 税务 is not open on Saturday: next opening is Monday 08:30.
    expect(closed('qc-tax', '2026-11-28T10:00:00+08:00')).toMatchObject({ reason: 'category-closed-today', next: '2026-11-30T00:30:00.000Z' });
    // Saturday has no afternoon: after the 11:30 cutoff the next opening skips Sunday.
    expect(closed('qc-integrated', '2026-11-28T14:30:00+08:00')).toMatchObject({ reason: 'after-cutoff', next: '2026-11-30T00:30:00.000Z' });
  });

  it('Friday evening: Saturday departments reopen Saturday 09:00, the others Monday', () => {
    expect(closed('qc-hrss', '2026-11-27T18:00:00+08:00').next).toBe('2026-11-28T01:00:00.000Z');
    expect(closed('qc-vehicle', '2026-11-27T18:00:00+08:00').next).toBe('2026-11-30T00:30:00.000Z');
  });

  it('is closed on Sunday', () => {
    const c = closed('qc-integrated', '2026-11-29T10:00:00+08:00');
    expect(c).toMatchObject({ reason: 'closed-day', next: '2026-11-30T00:30:00.000Z' });
    expect(c.message).toContain('今日大厅休息');
  });

  it('honours a holiday calendar and 调休 working days', () => {
    const calendar = { holidays: ['2026-11-25', '2026-11-26'], workdays: ['2026-11-29'] };
    expect(closed('qc-integrated', '2026-11-25T10:00:00+08:00', calendar)).toMatchObject({ reason: 'holiday', next: '2026-11-27T00:30:00.000Z' });
    expect(isIssuingOpen(hall, 'qc-tax', at('2026-11-29T15:00:00+08:00'), calendar).open).toBe(true);
  });

  it('reports an unknown category clearly', () => {
    expect(isIssuingOpen(hall, 'qc-nope', at('2026-11-25T10:00:00+08:00'))).toMatchObject({ open: false, reason: 'unknown-category', nextOpening: null });
  });

  it('knows the next service day for leasing numbers ahead', () => {
    expect(nextServiceDay(hall, at('2026-11-25T10:00:00+08:00'))).toBe('2026-11-26');
    expect(nextServiceDay(hall, at('2026-11-27T10:00:00+08:00'))).toBe('2026-11-28');
    expect(nextServiceDay(hall, at('2026-11-28T10:00:00+08:00'))).toBe('2026-11-30');
  });
});
