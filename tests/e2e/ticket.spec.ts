import { chromium, type Browser, type Page } from '@playwright/test';
import { hashPin } from '../../hall/index.js';
import { pageKey } from '../../hall/index.js';
import { freePort } from '../support/ports.js';
import { expect, printedJob, test } from './kiosk.js';

/**
 * Queue tickets end to end: the kiosk issues and prints (printer simulator,
 * decoded job files), the counter page served by the kiosk's embedded hall
 * server logs in with a PIN and calls the number, and the display page shows
 * and announces it. The counter and display run in their own Chromium, as on
 * a staff PC and a wall screen.
 */
const SECRET = 'e2e-hall-secret-0123';
const PIN = '2468';

const HALL_PORT = await freePort();
const HALL_URL = `http://127.0.0.1:${HALL_PORT}`;
const PUBLIC_BASE = 'https://queue.hall.example';

test.use({
  kioskConfig: {
    queue: {
      secret: SECRET,
      listen: { port: HALL_PORT },
      counters: [{ staffId: 's1', pinHash: hashPin(PIN) }],
      // The tests run at any hour; a hall never sets this (developer mode only).
      ignoreOpeningHours: true,
      // The address phones open for the ticket's QR code (the default, the kiosk's own loopback URL, gives none).
      publicBaseUrl: PUBLIC_BASE,
    },
  },
});

let staffBrowser: Browser | undefined;
test.afterEach(async () => {
  await staffBrowser?.close();
  staffBrowser = undefined;
});

async function staffPage(path: string, role: 'counter' | 'display'): Promise<Page> {
  staffBrowser ??= await chromium.launch({ executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium', args: ['--disable-gpu', '--no-first-run'] });
  const page = await staffBrowser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await page.goto(`${HALL_URL}${path}#key=${pageKey(SECRET, role)}`);
  return page;
}

test('a walk-in takes a number: printed with number, windows and QR; the counter calls it and the display shows it', async ({ kiosk }) => {
  const { page, dataDir } = kiosk;
  await page.getByTestId('no-card-ticket').click();
  await expect(page.getByTestId('ticket-screen')).toBeVisible();
  // The language switched on this screen: its categories follow (they stayed Chinese until the screen was opened again).
  await page.getByTestId('language-toggle').click();
  await expect(page.getByTestId('ticket-screen')).toContainText('Social insurance and employment');
  await page.getByTestId('language-toggle').click();
  await expect(page.getByTestId('ticket-screen')).toContainText('社保就业');
  await page.getByTestId('ticket-tab-department').click();
  await page.getByTestId('ticket-dept-public-security').click();
  await expect(page.getByTestId('ticket-confirm')).toContainText('户政治安');
  await page.getByTestId('ticket-take').click();

  await expect(page.getByTestId('ticket-number')).toHaveText('H001', { timeout: 15_000 });
  await expect(page.getByTestId('ticket-place')).toContainText('2楼');
  await expect(page.getByTestId('ticket-ahead')).toHaveText('0 人');
  await expect(page.getByTestId('ticket-printer-problem')).toHaveCount(0);
  const qrUrl = await page.getByTestId('ticket-qr').getAttribute('data-url');
  expect(qrUrl).toMatch(new RegExp(`^${PUBLIC_BASE}/t/[\\w-]+$`));

  const job = await printedJob(dataDir, 'H001');
  expect(job).toContain('51、52、53、54、55、56号窗口');
  expect(job).toContain(`[QR: ${qrUrl ?? '?'}]`);

  // The display board is up before the call, so it hears the call live.
  const display = await staffPage('/display/', 'display');
  await expect(display.getByTestId('display-page')).toHaveAttribute('data-link', 'open');
  await expect(display.getByTestId('display-waiting-qc-household')).toContainText('1');
  expect(display.url()).not.toContain('key='); // the key leaves the address bar

  const counter = await staffPage('/counter/', 'counter');
  await counter.getByTestId('counter-category-qc-household').click();
  await counter.getByTestId('counter-window-53').click();
  await counter.getByTestId('counter-staff').fill('s1');
  for (const digit of PIN) await counter.getByTestId(`counter-pin-${digit}`).click();
  await counter.getByTestId('counter-login').click();
  await expect(counter.getByTestId('counter-who')).toContainText('53号窗口');
  await expect(counter.getByTestId('counter-waiting')).toContainText('等候 1 人');
  await counter.getByTestId('counter-call-next').click();
  await expect(counter.getByTestId('counter-current')).toHaveText('H001');

  await expect(display.getByTestId('display-latest')).toContainText('H001');
  await expect(display.getByTestId('display-latest')).toContainText('53号窗口');
  await expect(display.getByTestId('display-announcement')).toHaveText('请H001号到53号窗口办理');
  // Spoken by the hall service's own voice (espeak-ng), not the browser's: the board's <audio> gets the call's WAV.
  const voice = display.getByTestId('display-voice');
  await expect(voice).toHaveAttribute('src', /\/speech\/call\.wav\?no=H001&window=53&lang=zh-CN$/);
  const wav = await display.request.get(new URL((await voice.getAttribute('src')) ?? '', display.url()).toString());
  expect(wav.headers()['content-type']).toBe('audio/wav');
  expect((await wav.body()).length).toBeGreaterThan(22_050); // over half a second of 16-bit speech

  // Nobody else waits: the counter says so rather than failing.
  await counter.getByTestId('counter-call-next').click();
  await expect(counter.getByTestId('counter-message')).toHaveText('当前无人等候');

  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
});

test('a logged-in 75-year-old gets an elderly priority number with her masked name, listed under 我的排队号', async ({ kiosk }) => {
  const { page, dataDir } = kiosk;
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-elder').click();
  await expect(page.getByTestId('greeting')).toContainText('李*英', { timeout: 15_000 });
  // 70 and over: elderly mode comes on by itself, and says so.
  await expect(page.locator('html')).toHaveClass(/elderly/);
  await expect(page.getByTestId('elderly-announcement')).toContainText('已为您开启长辈模式');
  await page.getByText('关闭').click();
  await page.getByTestId('home-ticket').click();

  await page.getByTestId('ticket-tab-todo').click();
  await page.getByTestId('ticket-life-养老').click();
  await page.getByTestId('ticket-service-hr-pension-claim').click();
  await expect(page.getByTestId('ticket-confirm')).toContainText('职工基本养老保险待遇申领');
  await expect(page.getByTestId('ticket-confirm')).toContainText('70周岁');
  await page.getByTestId('ticket-take').click();

  await expect(page.getByTestId('ticket-number')).toHaveText('B001', { timeout: 15_000 });
  await expect(page.getByTestId('ticket-priority')).toHaveText('老年人优先');
  await expect(page.getByTestId('ticket-name')).toHaveText('李*英');
  const job = await printedJob(dataDir, 'B001');
  expect(job).toContain('老年人优先');
  expect(job).toContain('姓名：李*英');
  expect(job).not.toContain('李秀英');

  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('home-screen')).toBeVisible();
  await page.getByTestId('home-ticket').click();
  await page.getByTestId('ticket-mine').click();
  await expect(page.getByTestId('ticket-mine-list')).toContainText('B001');
  await expect(page.getByTestId('ticket-mine-list')).toContainText('等候中');
});
