import { expect, printedJob } from './kiosk.js';
import { withLoopbackPlatform } from './support/platform.js';

/**
 * 电子监察 replies, end to end: a citizen leaves a consultation at the kiosk
 * with her ID card; it reaches the reference platform when her visit ends;
 * staff answer it on the platform; when she places her card again, the kiosk
 * pulls the answer and she reads it under 办件查询 → 我的咨询 — and on her
 * phone, behind the QR printed on her consultation slip (the platform's page,
 * reached through the configured public URL).
 */
const terminal = { id: 'kiosk-e2e-replies', secret: 'kiosk-e2e-replies-secret-0123456789' };
const ANSWER = '请携带身份证原件到 2 楼 5 号窗口办理。';
/** The platform's public address as phones reach it; the test opens the same path on the loopback platform. */
const PUBLIC_URL = 'https://zwfw.example.gov.cn/liuliu';

const test = withLoopbackPlatform({ terminal, kioskPlatform: { publicUrl: PUBLIC_URL } });

test('a consultation answered on the platform appears at the kiosk after she places her card again', async ({ kiosk, platform }) => {
  test.setTimeout(120_000);
  const { page, dataDir } = kiosk;
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
  // Her slip: printed at once, with the QR to her phone page.
  await expect(page.getByTestId('feedback-slip')).toContainText('二维码', { timeout: 20_000 });
  const slip = await printedJob(dataDir, '咨询回执');
  const qr = /\[QR: (\S+)\]/.exec(slip)?.[1] ?? '';
  expect(qr.startsWith(`${PUBLIC_URL}/m/consultations/`)).toBe(true);
  const phonePage = new URL(qr.slice(PUBLIC_URL.length), platform.url);

  // Her visit ends: the kiosk pushes what it queued.
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  let consultationId: string | undefined;
  await expect(async () => {
    const [first] = await platform.server.replies.consultations();
    consultationId = first?.id;
    expect(consultationId).toBeDefined();
  }).toPass({ timeout: 20_000 });

  // Her phone page says it is waiting; staff answer it on the platform's page; the phone page shows the answer.
  expect(await (await fetch(phonePage)).text()).toContain('待答复');
  await platform.admin.answerConsultation(consultationId ?? '', ANSWER);
  const answered = await (await fetch(phonePage)).text();
  expect(answered).toContain(ANSWER);
  expect(answered).not.toContain('张');

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
