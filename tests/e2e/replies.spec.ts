import { startLoopbackPlatform, type LoopbackPlatform } from '../../platform/testing.js';
import { expect, test as kioskTest } from './kiosk.js';

/**
 * 电子监察 replies, end to end: a citizen leaves a consultation at the kiosk
 * with her ID card; it reaches the reference platform when her visit ends;
 * staff answer it on the platform; when she places her card again, the kiosk
 * pulls the answer and she reads it under 办件查询 → 我的咨询.
 */
const terminal = { id: 'kiosk-e2e-replies', secret: 'kiosk-e2e-replies-secret-0123456789' };
const ANSWER = '请携带身份证原件到 2 楼 5 号窗口办理。';

const test = kioskTest.extend<object, { platform: LoopbackPlatform }>({
  platform: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const platform = await startLoopbackPlatform({ terminals: [terminal] });
      await use(platform);
      await platform.close();
    },
    { scope: 'worker' },
  ],
  kioskConfig: async ({ platform }, use) => {
    await use({
      terminalId: terminal.id,
      platform: { baseUrl: platform.url, secret: terminal.secret, intervalSeconds: 3600 },
      queue: { listen: { port: 0 } },
    });
  },
});

test('a consultation answered on the platform appears at the kiosk after she places her card again', async ({ kiosk, platform }) => {
  test.setTimeout(120_000);
  const { page } = kiosk;
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好', { timeout: 15_000 });
  await page.getByTestId('dev-remove-card').click();
  await page.getByText('关闭').click();

  await page.getByTestId('home-feedback').click();
  await page.getByTestId('feedback-tab-consultation').click();
  await page.getByTestId('feedback-category-materials').click();
  await page.getByTestId('feedback-text-preset-0').click();
  await page.getByTestId('feedback-submit').click();
  await expect(page.getByTestId('feedback-success')).toContainText('您的咨询已提交');

  // Her visit ends: the kiosk pushes what it queued.
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  let consultationId: string | undefined;
  await expect(async () => {
    const [first] = await platform.server.replies.consultations();
    consultationId = first?.id;
    expect(consultationId).toBeDefined();
  }).toPass({ timeout: 20_000 });

  // Staff answer it on the platform's page.
  await platform.admin.answerConsultation(consultationId ?? '', ANSWER);

  // She comes back: placing her card pulls the answer; 办件查询 → 查询我的办件 shows it under 我的咨询.
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好', { timeout: 15_000 });
  await page.getByTestId('dev-remove-card').click();
  await page.getByText('关闭').click();
  await page.getByTestId('home-progress').click();
  await expect(async () => {
    await page.getByTestId('progress-mine').click();
    await expect(page.getByTestId('progress-consultation-reply')).toContainText(ANSWER, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('progress-consultations')).toContainText('我的咨询');
});
