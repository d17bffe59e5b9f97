import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { z } from 'zod';
import { hashPin, pageKey } from '../../hall/index.js';
import { killHard, spawnHallService, type HallChild } from '../../hall/testing.js';

/**
 * The hall's statistics page end to end (issue #17 item 5): a simulated day
 * (scripts/simulate-hall-day.ts, a few hundred tickets over a simulated
 * clock, and the ratings its simulated kiosks reported) in a hall service
 * data directory; the standalone service on it with a manager PIN; the page
 * in Chromium shows the day's real figures and ratings by department, and
 * the CSV it downloads says exactly what the page shows.
 */
const root = join(import.meta.dirname, '..', '..');
const SECRET = 'e2e-stats-hall-secret';
const PIN = '864213';
const DAY = '2026-11-25';

const Summary = z.object({
  issued: z.number(),
  hall: z.object({ issued: z.number(), served: z.number(), noShows: z.number(), transfers: z.number(), waitP50: z.number(), waitP90: z.number() }),
  ratingsSent: z.number(),
  ratings: z.number(),
  ratedDepartments: z.number(),
});

let dir: string;
let hall: HallChild;
let browser: Browser;
let summary: z.infer<typeof Summary>;

test.beforeAll(async () => {
  // The simulated day issues and serves a few hundred tickets: give it time on a loaded machine.
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), 'liuliu-e2e-stats-'));
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/simulate-hall-day.ts', '--data-dir', dir, '--day', DAY, '--tickets', '300', '--seed', '11'], { cwd: root, encoding: 'utf8' });
  summary = Summary.parse(JSON.parse(out.trim().split('\n').at(-1)!));
  writeFileSync(join(dir, 'manager.json'), JSON.stringify({ pinHash: hashPin(PIN) }), { mode: 0o600 });
  hall = await spawnHallService(['--port', '0', '--host', '127.0.0.1', '--secret', SECRET, '--data-dir', dir, '--manager', join(dir, 'manager.json'), '--clock-start', `${DAY}T18:00:00+08:00`, '--static', join(root, 'dist', 'renderer'), '--log-level', 'warn']);
  browser = await chromium.launch({ executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium', args: ['--disable-gpu', '--no-first-run'] });
});

test.afterAll(async () => {
  await browser?.close();
  if (hall !== undefined) await killHard(hall.child);
  rmSync(dir, { recursive: true, force: true });
});

async function openStats(viewport: { width: number; height: number }, query = ''): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${hall.httpUrl}/stats/${query}#key=${pageKey(SECRET, 'stats')}`);
  return page;
}

async function logIn(page: Page): Promise<void> {
  await page.getByTestId('stats-pin').fill(PIN);
  await page.getByTestId('stats-login').click();
  await expect(page.getByTestId('stats-categories')).toBeVisible();
}

/** The page's rows: key `day|hour|scope|key` → the figures as shown ('' where the page shows —). */
async function shownRows(page: Page, testId: string): Promise<Map<string, string[]>> {
  const rows = await page.getByTestId(testId).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row') ?? '', ...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')]));
  return new Map(rows.map(([key, ...cells]) => [key!, cells.map((c) => (c === '—' ? '' : c))]));
}

test('the manager PIN opens the day\'s figures; the CSV matches the page', async () => {
  const page = await openStats({ width: 1920, height: 1080 });
  // Without the manager PIN nothing is shown; a wrong one is refused.
  await page.getByTestId('stats-pin').fill('000000');
  await page.getByTestId('stats-login').click();
  await expect(page.getByTestId('stats-problem')).toContainText('密码不正确');
  await expect(page.getByTestId('stats-categories')).toHaveCount(0);
  await logIn(page);

  // The simulated day's own totals, as the simulation computed them.
  await expect(page.getByTestId('stats-day')).toHaveValue(DAY);
  const categories = await shownRows(page, 'stats-categories');
  const hallDay = categories.get(`${DAY}||hall|`)!;
  expect(summary.issued).toBeGreaterThanOrEqual(250);
  expect(hallDay.slice(0, 6)).toEqual([summary.hall.issued, summary.hall.served, summary.hall.noShows, summary.hall.transfers, summary.hall.waitP50, summary.hall.waitP90].map(String));
  expect(Number(hallDay[0])).toBe(summary.issued);
  const windows = await shownRows(page, 'stats-windows');
  expect(windows.size).toBeGreaterThan(5);
  const hours = await shownRows(page, 'stats-hours');
  expect(hours.size).toBeGreaterThanOrEqual(8);
  // The charts are drawn (Chart.js canvases with a size).
  for (const kind of ['bar', 'line']) expect((await page.getByTestId(`stats-chart-${kind}`).boundingBox())!.height).toBeGreaterThan(100);

  // The CSV: one line per row, the same figures the page shows.
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('stats-csv').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`hall-stats-${DAY}.csv`);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...lines] = text.slice(1).trimEnd().split('\r\n');
  expect(header).toBe('day,hour,scope,key,name,issued,served,noShows,transfers,waitP50,waitP90,serviceP50,serviceP90,ratings,averageStars,stars1,stars2,stars3,stars4,stars5,lowPercent,topReasons');
  const queueLines = lines.filter((line) => line.split(',')[2] !== 'department');
  const csv = new Map(queueLines.map((line) => {
    const cells = line.split(',');
    // The queue rows leave the rating columns empty.
    expect(cells.slice(13).join(''), line).toBe('');
    return [cells.slice(0, 4).join('|'), cells.slice(5, 13)];
  }));
  expect(csv.size).toBe(queueLines.length);
  const compare = (shown: Map<string, string[]>): void => {
    for (const [key, cells] of shown) expect(csv.get(key), key).toEqual(cells);
  };
  compare(categories);
  compare(windows);
  compare(hours);
  // Every day row of the CSV is on the page.
  const dayKeys = [...csv.keys()].filter((key) => key.split('|')[1] === '');
  expect(dayKeys.sort()).toEqual([...categories.keys(), ...windows.keys()].sort());
  // The hourly rows of a category too, once the page shows that category's hours.
  const categoryScope = [...csv.keys()].find((key) => key.split('|')[2] === 'category' && key.split('|')[1] !== '')!.split('|');
  await page.getByTestId('stats-hour-scope').selectOption(`category|${categoryScope[3]}`);
  const categoryHours = await shownRows(page, 'stats-hours');
  expect(categoryHours.size).toBe([...csv.keys()].filter((key) => key.split('|')[1] !== '' && key.endsWith(`|category|${categoryScope[3]}`)).length);
  compare(categoryHours);

  // Ratings by department: the simulated kiosks' ratings, each counted once, the chart drawn, and the CSV's rating rows say what the table says.
  expect(summary.ratings).toBe(summary.ratingsSent);
  expect(summary.ratings).toBeGreaterThan(50);
  const ratings = await shownRows(page, 'stats-ratings');
  expect(ratings.size).toBe(summary.ratedDepartments);
  expect(ratings.size).toBeGreaterThanOrEqual(3);
  expect([...ratings.values()].reduce((sum, cells) => sum + Number(cells[0]), 0)).toBe(summary.ratings);
  expect((await page.getByTestId('stats-chart-ratings').boundingBox())!.height).toBeGreaterThan(100);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920);
  await expect(page.getByTestId('stats-ratings').locator('thead')).toContainText('平均星级');
  const reasonsShown = new Map(
    await page.getByTestId('stats-ratings').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row') ?? '', tr.querySelector('[data-reasons]')?.getAttribute('data-reasons') ?? ''] as const)),
  );
  const ratingLines = lines.filter((line) => line.split(',')[2] === 'department');
  expect(ratingLines).toHaveLength(ratings.size);
  for (const line of ratingLines) {
    const cells = line.split(',');
    const key = cells.slice(0, 4).join('|');
    // Queue columns empty; then count, average, 1–5 stars, low share as the page shows them, and the reasons it names.
    expect(cells.slice(5, 13).join(''), line).toBe('');
    expect(ratings.get(key)?.slice(0, 8), key).toEqual(cells.slice(13, 21));
    expect(reasonsShown.get(key), key).toBe(cells[21]);
  }
  // A department row names the department (Chinese in the CSV, as on this page).
  const named = ratingLines.find((line) => line.split(',')[3] !== '')!.split(',');
  await expect(page.locator(`[data-testid="stats-ratings"] tr[data-row="${named.slice(0, 4).join('|')}"] th`)).toHaveText(named[4]!);

  // The day before has no tickets: zeros, not an error; and no ratings.
  await page.getByTestId('stats-previous').click();
  await expect(page.getByTestId('stats-day')).toHaveValue('2026-11-24');
  expect((await shownRows(page, 'stats-categories')).get('2026-11-24||hall|')!.slice(0, 2)).toEqual(['0', '0']);
  await expect(page.getByTestId('stats-no-ratings')).toBeVisible();
  await page.context().close();
});

test('fits 1280×1024 without sideways scrolling, speaks English, and has no serious axe finding', async () => {
  const page = await openStats({ width: 1280, height: 1024 }, '?lang=en');
  await logIn(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hall statistics');
  await expect(page.getByRole('heading', { name: 'By queue category' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ratings by department' })).toBeVisible();
  await expect(page.getByTestId('stats-ratings').locator('thead')).toContainText('Average stars');
  // Department names in English where the content has them; reasons translated.
  await expect(page.getByTestId('stats-ratings')).toContainText('Bureau');
  await expect(page.getByTestId('stats-ratings')).toContainText('Long wait');
  await expect(page.getByTestId('stats-ratings')).not.toContainText('long-wait');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.context().close();
});
