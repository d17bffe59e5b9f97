import { describe, expect, it } from 'vitest';
import { hallFigures, percentile, ratingFigures, type StatsEvent, type StatsRating } from './stats.js';
import { statsCsv, type HallStats } from './protocol/stats.js';

const layout = { categories: [{ id: 'civil' }, { id: 'tax' }] };
/** 2026-11-25 hall time (UTC+8). */
const at = (hhmm: string): string => `2026-11-25T${hhmm}:00+08:00`;
const ev = (ticketId: string, kind: string, hhmm: string, categoryId = 'civil', windowNo: string | null = null, fromCategoryId?: string): StatsEvent => ({
  ticketId,
  kind,
  at: new Date(at(hhmm)).toISOString(),
  categoryId,
  windowNo,
  ...(fromCategoryId === undefined ? {} : { fromCategoryId }),
});

function row(rows: ReturnType<typeof hallFigures>, scope: string, key: string, hour: number | null = null) {
  const found = rows.find((r) => r.scope === scope && r.key === key && r.hour === hour);
  if (found === undefined) throw new Error(`no row ${scope} ${key} ${hour}`);
  return found;
}

describe('percentile (nearest rank)', () => {
  it('gives known p50/p90', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 50)).toBe(5);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 90)).toBe(4);
  });
});

describe('hallFigures', () => {
  // Ten civil tickets issued 09:00, called at 09:01…09:10 at window 1 (waits 1…10 min), each served 2×k minutes… finishing after.
  const served: StatsEvent[] = [];
  for (let k = 1; k <= 10; k++) {
    served.push(ev(`t${k}`, 'issued', '09:00'));
  }
  for (let k = 1; k <= 10; k++) {
    const call = `09:${String(k).padStart(2, '0')}`;
    served.push(ev(`t${k}`, 'called', call, 'civil', '1'));
    served.push(ev(`t${k}`, 'finished', `10:${String(k * 3).padStart(2, '0')}`, 'civil', '1'));
  }

  it('counts issued and served and gives p50/p90 of waiting and service times', () => {
    const rows = hallFigures(served, layout, '2026-11-25', '2026-11-25');
    const day = row(rows, 'category', 'civil');
    expect(day).toMatchObject({ issued: 10, served: 10, noShows: 0, transfers: 0, waitP50: 5, waitP90: 9 });
    // service k = (60 + 3k) − k = 60 + 2k minutes: 62…80; p50 = 70, p90 = 78
    expect(day.serviceP50).toBe(70);
    expect(day.serviceP90).toBe(78);
    expect(row(rows, 'window', '1')).toMatchObject({ issued: 0, served: 10, waitP50: 5, serviceP90: 78 });
    expect(row(rows, 'hall', '')).toMatchObject({ issued: 10, served: 10 });
    // by hour: issued at 09, served at 10
    expect(row(rows, 'hall', '', 9)).toMatchObject({ issued: 10, served: 0, waitP50: 5 });
    expect(row(rows, 'hall', '', 10)).toMatchObject({ issued: 0, served: 10, serviceP50: 70, waitP50: null });
    // empty scopes still have their day row
    expect(row(rows, 'category', 'tax')).toMatchObject({ issued: 0, served: 0, waitP50: null, serviceP50: null });
    // a window that did nothing has no row
    expect(rows.some((r) => r.scope === 'window' && r.key === '5')).toBe(false);
  });

  it('counts a skip never called again as a no-show, but not one re-queued and served', () => {
    const rows = hallFigures(
      [
        ev('a', 'issued', '09:00'),
        ev('a', 'called', '09:10', 'civil', '2'),
        ev('a', 'skipped', '09:12', 'civil', '2'),
        ev('a', 'dropped', '09:45'),
        ev('b', 'issued', '09:00'),
        ev('b', 'called', '09:20', 'civil', '2'),
        ev('b', 'skipped', '09:21', 'civil', '2'),
        ev('b', 'requeued', '09:25', 'civil', '2'),
        ev('b', 'called', '09:40', 'civil', '1'),
        ev('b', 'finished', '09:46', 'civil', '1'),
      ],
      layout,
      '2026-11-25',
      '2026-11-25',
    );
    expect(row(rows, 'category', 'civil')).toMatchObject({ issued: 2, served: 1, noShows: 1, waitP50: 10, waitP90: 20, serviceP50: 6 });
    expect(row(rows, 'window', '2')).toMatchObject({ noShows: 1, served: 0 });
  });

  it('counts a transfer for the category and window it left; the service is measured from the new call', () => {
    const rows = hallFigures(
      [
        ev('t', 'issued', '14:00'),
        ev('t', 'called', '14:05', 'civil', '1'),
        ev('t', 'transferred', '14:08', 'tax', '1', 'civil'),
        ev('t', 'called', '14:30', 'tax', '5'),
        ev('t', 'finished', '14:34', 'tax', '5'),
      ],
      layout,
      '2026-11-25',
      '2026-11-25',
    );
    expect(row(rows, 'category', 'civil')).toMatchObject({ issued: 1, transfers: 1, served: 0, waitP50: 5 });
    expect(row(rows, 'window', '1')).toMatchObject({ transfers: 1 });
    expect(row(rows, 'category', 'tax')).toMatchObject({ transfers: 0, served: 1, serviceP50: 4, waitP50: null });
  });

  it('leaves voided tickets out and buckets by hall day, not UTC day', () => {
    const rows = hallFigures(
      [ev('v', 'issued', '09:00'), ev('v', 'voided', '09:05'), { ticketId: 'early', kind: 'issued', at: '2026-11-25T00:30:00Z', categoryId: 'civil', windowNo: null }],
      layout,
      '2026-11-25',
      '2026-11-25',
    );
    // 00:30 UTC is 08:30 in the hall
    expect(row(rows, 'hall', '')).toMatchObject({ issued: 1 });
    expect(row(rows, 'hall', '', 8)).toMatchObject({ issued: 1 });
  });
});

describe('ratingFigures', () => {
  const rating = (at: string, stars: number, departmentId: string | null, reasons: string[] = []): StatsRating => ({ at, stars, departmentId, reasons });

  it('counts, averages, spreads and ranks reasons per department and hall day', () => {
    const rows = ratingFigures(
      [
        rating('2026-11-25T01:00:00Z', 5, 'dep-police'),
        rating('2026-11-25T02:00:00Z', 2, 'dep-police', ['long-wait', 'staff-attitude']),
        rating('2026-11-25T03:00:00Z', 4, 'dep-police'),
        rating('2026-11-25T03:10:00Z', 1, 'dep-police', ['long-wait', 'long-wait']),
        rating('2026-11-25T04:00:00Z', 3, null),
        rating('2026-11-25T05:00:00Z', 1, 'dep-tax', ['system-failure', 'long-wait', 'other', 'repeat-visits']),
      ],
      '2026-11-25',
      '2026-11-25',
    );
    expect(rows).toEqual([
      { day: '2026-11-25', departmentId: '', count: 1, average: 3, stars: [0, 0, 1, 0, 0], lowPercent: 0, topReasons: [] },
      {
        day: '2026-11-25',
        departmentId: 'dep-police',
        count: 4,
        // (5 + 2 + 4 + 1) / 4 = 3; two of four at ≤ 2 stars; a reason given twice in one rating counts once
        average: 3,
        stars: [1, 1, 0, 1, 1],
        lowPercent: 50,
        topReasons: [
          { reason: 'long-wait', count: 2 },
          { reason: 'staff-attitude', count: 1 },
        ],
      },
      {
        day: '2026-11-25',
        departmentId: 'dep-tax',
        count: 1,
        average: 1,
        stars: [1, 0, 0, 0, 0],
        lowPercent: 100,
        // at most three, ties by code
        topReasons: [
          { reason: 'long-wait', count: 1 },
          { reason: 'other', count: 1 },
          { reason: 'repeat-visits', count: 1 },
        ],
      },
    ]);
  });

  it('rounds the mean and the low share to one decimal', () => {
    const rows = ratingFigures([rating('2026-11-25T01:00:00Z', 5, 'd'), rating('2026-11-25T01:00:00Z', 5, 'd'), rating('2026-11-25T01:00:00Z', 2, 'd', ['long-wait'])], '2026-11-25', '2026-11-25');
    expect(rows[0]).toMatchObject({ count: 3, average: 4, lowPercent: 33.3 });
    const seven = ratingFigures([5, 4, 4, 4, 4, 4, 1].map((stars) => rating('2026-11-25T01:00:00Z', stars, 'd')), '2026-11-25', '2026-11-25');
    // 26 / 7 = 3.714…; 1 / 7 = 14.28…%
    expect(seven[0]).toMatchObject({ count: 7, average: 3.7, lowPercent: 14.3 });
  });

  it('buckets by hall day (UTC+8), keeps to the range and gives one row per day', () => {
    const rows = ratingFigures(
      [
        // 23:30 UTC on the 24th is 07:30 on the 25th in the hall
        rating('2026-11-24T23:30:00Z', 4, 'd'),
        rating('2026-11-25T15:59:00Z', 2, 'd', ['long-wait']),
        // 16:30 UTC on the 25th is the 26th in the hall
        rating('2026-11-25T16:30:00Z', 5, 'd'),
        rating('2026-11-27T02:00:00Z', 5, 'd'),
      ],
      '2026-11-25',
      '2026-11-26',
    );
    expect(rows.map((r) => [r.day, r.count, r.average])).toEqual([
      ['2026-11-25', 2, 3],
      ['2026-11-26', 1, 5],
    ]);
  });

  it('has no rows for a day without ratings', () => {
    expect(ratingFigures([], '2026-11-25', '2026-11-25')).toEqual([]);
  });
});

describe('statsCsv', () => {
  it('writes one line per row with names, empty cells for no figure, and defuses formulas', () => {
    const stats: HallStats = {
      from: '2026-11-25',
      to: '2026-11-25',
      generatedAt: '2026-11-25T10:00:00.000Z',
      categories: [{ id: 'civil', name: '=户政, "综合"' }],
      rows: hallFigures([ev('x', 'issued', '09:00')], { categories: [{ id: 'civil' }] }, '2026-11-25', '2026-11-25'),
      departments: [{ id: 'dep-police', name: '公安', nameEn: 'Police' }],
      ratings: ratingFigures(
        [
          { at: '2026-11-25T01:00:00Z', stars: 2, departmentId: 'dep-police', reasons: ['long-wait', 'staff-attitude'] },
          { at: '2026-11-25T02:00:00Z', stars: 5, departmentId: null, reasons: [] },
        ],
        '2026-11-25',
        '2026-11-25',
      ),
    };
    const lines = statsCsv(stats).split('\r\n');
    expect(lines[0]).toBe('day,hour,scope,key,name,issued,served,noShows,transfers,waitP50,waitP90,serviceP50,serviceP90,ratings,averageStars,stars1,stars2,stars3,stars4,stars5,lowPercent,topReasons');
    expect(lines[1]).toBe('2026-11-25,,hall,,,1,0,0,0,,,,,,,,,,,,,');
    expect(lines[2]).toBe(`2026-11-25,,category,civil,"'=户政, ""综合""",1,0,0,0,,,,,,,,,,,,,`);
    expect(lines[3]).toBe('2026-11-25,9,hall,,,1,0,0,0,,,,,,,,,,,,,');
    // then the ratings by department: queue columns empty, '' for the ratings that named no department
    expect(lines[5]).toBe('2026-11-25,,department,,,,,,,,,,,1,5,0,0,0,0,1,0,');
    expect(lines[6]).toBe('2026-11-25,,department,dep-police,公安,,,,,,,,,1,2,0,1,0,0,0,100,long-wait:1;staff-attitude:1');
    expect(lines).toHaveLength(8);
    for (const line of lines.slice(0, -1).filter((l) => !l.includes('"'))) expect(line.split(',').length, line).toBe(22);
  });
});
