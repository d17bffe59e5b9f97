import { describe, expect, it } from 'vitest';
import { ageOn } from '../electron/common/age.js';
import {
  chooseNext,
  decidePriority,
  etaMinutes,
  formatTicketNumber,
  nextLeaseBlock,
  nextOnlineNumber,
  offlineLineKey,
  parseTicketNumber,
  peopleAhead,
  requeueLineKey,
  serviceMinutes,
  streakAfter,
  withinGrace,
  type WaitingTicket,
} from './rules.js';

describe('numbering', () => {
  it('issues online numbers 1–899, then 1000–8999, then none', () => {
    expect(nextOnlineNumber(null)).toBe(1);
    expect(nextOnlineNumber(41)).toBe(42);
    expect(nextOnlineNumber(899)).toBe(1000);
    expect(nextOnlineNumber(8998)).toBe(8999);
    expect(nextOnlineNumber(8999)).toBeNull();
  });

  it('leases reserve blocks from 900–999, then 9000–9999, never straddling', () => {
    expect(nextLeaseBlock(null, 10)).toEqual({ start: 900, end: 909 });
    expect(nextLeaseBlock(909, 10)).toEqual({ start: 910, end: 919 });
    expect(nextLeaseBlock(989, 20)).toEqual({ start: 9000, end: 9019 });
    expect(nextLeaseBlock(999, 10)).toEqual({ start: 9000, end: 9009 });
    expect(nextLeaseBlock(9995, 10)).toBeNull();
  });

  it('formats at least three digits and parses back', () => {
    expect(formatTicketNumber('A', 1)).toBe('A001');
    expect(formatTicketNumber('H', 899)).toBe('H899');
    expect(formatTicketNumber('H', 1000)).toBe('H1000');
    expect(parseTicketNumber('a012')).toEqual({ prefix: 'A', number: 12 });
    expect(parseTicketNumber('A12')).toBeNull();
    expect(parseTicketNumber('AB123')).toBeNull();
  });
});

describe('priority', () => {
  it('computes full years from an ID card birth date', () => {
    expect(ageOn('19561125', '2026-11-25')).toBe(70);
    expect(ageOn('1956-11-26', '2026-11-25')).toBe(69);
    expect(ageOn('1956-12-01', '2026-11-25')).toBe(69);
    expect(ageOn('1956-13-01', '2026-11-25')).toBeNull();
    expect(ageOn('not a date', '2026-11-25')).toBeNull();
  });

  it('gives elderly priority from 70, disabled priority only with a verified staff credential, and appointment priority never from a claim', () => {
    expect(decidePriority({ birthDate: '19561125' }, '2026-11-25')).toEqual({ ok: true, priority: 'elderly' });
    expect(decidePriority({ birthDate: '19561126' }, '2026-11-25')).toEqual({ ok: true, priority: null });
    expect(decidePriority({}, '2026-11-25')).toEqual({ ok: true, priority: null });
    expect(decidePriority({ priority: 'disabled' }, '2026-11-25')).toMatchObject({ ok: false, code: 'priority-needs-staff' });
    expect(decidePriority({ priority: 'disabled', staffVerified: false }, '2026-11-25')).toMatchObject({ ok: false, code: 'priority-needs-staff' });
    expect(decidePriority({ priority: 'disabled', staffVerified: true }, '2026-11-25')).toEqual({ ok: true, priority: 'disabled' });
    expect(decidePriority({ priority: 'appointment' }, '2026-11-25')).toMatchObject({ ok: false, code: 'priority-needs-appointment' });
    expect(decidePriority({ priority: 'appointment', staffVerified: true }, '2026-11-25')).toMatchObject({ ok: false, code: 'priority-needs-appointment' });
  });
});

/** Calls everyone in `waiting` with chooseNext and returns the order of ids. */
function callAll(waiting: WaitingTicket[], streak: number, k: number): string[] {
  const line = [...waiting];
  const order: string[] = [];
  for (;;) {
    const next = chooseNext(line, streak, k);
    if (next === null) return order;
    order.push(next.id);
    streak = streakAfter(streak, next.priority);
    line.splice(line.indexOf(next), 1);
  }
}

describe('calling order', () => {
  const t = (id: string, priority: boolean, lineKey: number): WaitingTicket => ({ id, priority, lineKey });

  it('calls priority first, but at most K in a row while regular tickets wait', () => {
    const waiting = [t('R1', false, 1), t('R2', false, 2), t('R3', false, 3), t('P1', true, 4), t('P2', true, 5), t('P3', true, 6), t('P4', true, 7), t('P5', true, 8)];
    expect(callAll(waiting, 0, 3)).toEqual(['P1', 'P2', 'P3', 'R1', 'P4', 'P5', 'R2', 'R3']);
    expect(callAll(waiting, 0, 1)).toEqual(['P1', 'R1', 'P2', 'R2', 'P3', 'R3', 'P4', 'P5']);
  });

  it('takes the streak from calls already made', () => {
    const waiting = [t('R1', false, 1), t('P1', true, 2)];
    expect(chooseNext(waiting, 3, 3)?.id).toBe('R1');
    expect(chooseNext(waiting, 2, 3)?.id).toBe('P1');
    // With no regular ticket waiting, priority calls continue regardless of the streak.
    expect(chooseNext([t('P1', true, 2)], 9, 3)?.id).toBe('P1');
    expect(chooseNext([], 0, 3)).toBeNull();
  });

  it('people ahead equals the replayed calling order for every small line', () => {
    for (let regular = 0; regular <= 6; regular++) {
      for (let priority = 0; priority <= 6; priority++) {
        for (let streak = 0; streak <= 3; streak++) {
          const waiting = [
            ...Array.from({ length: regular }, (_, i) => t(`R${i}`, false, i * 2)),
            ...Array.from({ length: priority }, (_, i) => t(`P${i}`, true, i * 2 + 1)),
          ];
          const order = callAll(waiting, streak, 3);
          for (const ticket of waiting) {
            const sameClass = waiting.filter((w) => w.priority === ticket.priority);
            const position = {
              priority: ticket.priority,
              sameClassAhead: sameClass.filter((w) => w.lineKey < ticket.lineKey).length,
              otherClassWaiting: waiting.length - sameClass.length,
            };
            expect(peopleAhead(position, streak, 3), `${ticket.id} R${regular} P${priority} s${streak}`).toBe(order.indexOf(ticket.id));
          }
        }
      }
    }
  });
});

describe('estimates', () => {
  it('uses the mean of recent services, or the configured average with too few samples', () => {
    expect(serviceMinutes([60_000, 120_000], 15, { minSamples: 3 })).toBe(15);
    expect(serviceMinutes([4 * 60_000, 6 * 60_000, 5 * 60_000], 15, { minSamples: 3 })).toBe(5);
    expect(serviceMinutes([4 * 60_000, -1, Number.NaN, 6 * 60_000], 15, { minSamples: 2 })).toBe(5);
  });

  it('divides the work ahead by the open windows, assuming full staffing when none is open', () => {
    expect(etaMinutes(5, 10, 2, 6)).toBe(25);
    expect(etaMinutes(5, 10, 0, 5)).toBe(10);
    expect(etaMinutes(0, 10, 3, 6)).toBe(0);
    expect(etaMinutes(1, 8, 3, 6)).toBe(3);
  });
});

describe('skip, re-queue, grace', () => {
  it('allows re-queueing within the grace period only', () => {
    const skipped = new Date('2026-11-25T09:00:00+08:00');
    expect(withinGrace(skipped, new Date('2026-11-25T09:30:00+08:00'), 30)).toBe(true);
    expect(withinGrace(skipped, new Date('2026-11-25T09:30:01+08:00'), 30)).toBe(false);
  });

  it('puts a re-queued ticket behind the next N waiting tickets, or at the end', () => {
    expect(requeueLineKey([10, 20, 30, 40, 50], 3, 100)).toBe(35);
    expect(requeueLineKey([50, 10, 30], 3, 100)).toBe(100);
    expect(requeueLineKey([50, 10, 30], 3, 20)).toBe(51);
    expect(requeueLineKey([10, 20], 0, 100)).toBe(9);
    expect(requeueLineKey([], 3, 100)).toBe(100);
    expect(requeueLineKey([7, 7, 7, 7, 7], 3, 100)).toBeGreaterThan(7);
  });

  it('merges offline tickets at their issue time, never in the future', () => {
    expect(offlineLineKey(1000, 5000)).toBe(1000);
    expect(offlineLineKey(9000, 5000)).toBe(5000);
  });
});
