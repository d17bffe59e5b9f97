import { describe, expect, it } from 'vitest';
import { ratingsByDepartment } from './hall-figures.js';

describe('ratingsByDepartment', () => {
  it('counts a hall day\'s ratings per department with their mean and spread', () => {
    const rating = (stars: number, at: string, departmentId?: string) => ({ payload: { stars, at, ...(departmentId === undefined ? {} : { departmentId }) }, createdAt: at });
    const result = ratingsByDepartment(
      [
        rating(5, '2026-11-25T01:00:00.000Z', 'dep-police'),
        rating(2, '2026-11-25T02:00:00.000Z', 'dep-police'),
        rating(4, '2026-11-25T03:00:00.000Z', 'dep-police'),
        rating(3, '2026-11-25T03:00:00.000Z'),
        // 23:30 UTC on the 24th is 07:30 on the 25th in the hall; 16:30 UTC on the 25th is the 26th there.
        rating(1, '2026-11-24T23:30:00.000Z', 'dep-tax'),
        rating(5, '2026-11-25T16:30:00.000Z', 'dep-tax'),
        { payload: { stars: 9 }, createdAt: '2026-11-25T03:00:00.000Z' },
      ],
      '2026-11-25',
    );
    expect(result).toEqual([
      { departmentId: '', count: 1, average: 3, stars: [0, 0, 1, 0, 0] },
      { departmentId: 'dep-police', count: 3, average: 3.7, stars: [0, 1, 0, 1, 1] },
      { departmentId: 'dep-tax', count: 1, average: 1, stars: [1, 0, 0, 0, 0] },
    ]);
  });
});
