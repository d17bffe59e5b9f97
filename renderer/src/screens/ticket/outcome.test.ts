import { describe, expect, it } from 'vitest';
import { formatOpening, hallClosedUntil, resultReturnsByItself } from './outcome.js';

const open = { issuing: { open: true } } as const;
const closed = (nextOpening: string) => ({ issuing: { open: false, reason: 'closed-day', nextOpening } }) as const;

describe('ticket result', () => {
  it('returns to the start by itself only when the ticket was printed; with paper out it waits for 完成', () => {
    expect(resultReturnsByItself({ ok: true })).toBe(true);
    expect(resultReturnsByItself({ ok: false, reason: 'paper_out', say: { code: 'queue.notPrinted', params: { reason: 'paper_out' } } })).toBe(false);
    expect(resultReturnsByItself({ ok: false, reason: 'no_printer', say: { code: 'queue.notPrinted', params: { reason: 'no_printer' } } })).toBe(false);
  });
});

describe('opening hours in the header', () => {
  it('names the earliest next opening when no category issues tickets', () => {
    expect(hallClosedUntil([closed('2026-11-30T01:00:00.000Z'), closed('2026-11-30T00:30:00.000Z')])).toBe('2026-11-30T00:30:00.000Z');
  });

  it('says nothing while any category is open (each closed one is marked on its own button)', () => {
    expect(hallClosedUntil([closed('2026-11-30T00:30:00.000Z'), open])).toBeNull();
    expect(hallClosedUntil([])).toBeNull();
  });

  it('shows the opening in hall time whatever the kiosk clock zone, in the citizen language', () => {
    expect(formatOpening('2026-11-30T00:30:00.000Z', 'zh-CN')).toMatch(/11月30日.*08:30/);
    expect(formatOpening('2026-11-30T00:30:00.000Z', 'en')).toMatch(/30 Nov.*08:30/);
  });
});
