import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, printedJobs, test } from './kiosk.js';

/** The content's English name of the service this walk opens (services.json `nameEn`). */
const NAME_EN = 'Resident ID card: replacement (lost card)';

// A free port for the embedded hall queue, so this spec never collides with another kiosk on the machine.
test.use({ kioskConfig: { queue: { listen: { port: 0 } }, session: { idleTimeoutSeconds: 600, countdownSeconds: 15 } } });

test('guide: search "sfz" on the letter keypad → 居民身份证补领 → where, materials, fee → print the short form', async ({ kiosk }) => {
  const { page, dataDir } = kiosk;
  await page.getByTestId('start').click();
  await page.getByTestId('home-guide').click();
  const screen = page.getByTestId('guide-screen');
  await expect(screen).toBeVisible();

  // Browsing by department lists that department's services.
  await page.getByTestId('guide-facet-public-security').click();
  await expect(page.getByTestId('guide-results')).toContainText('居民身份证补领');

  // Touching the search box opens the on-screen letter keypad (the kiosk has no keyboard).
  await expect(page.getByTestId('letter-keypad')).toHaveCount(0);
  await page.getByTestId('guide-search').click();
  for (const key of ['s', 'f', 'z']) await page.getByTestId(`key-${key}`).click();
  await expect(page.getByTestId('guide-search')).toHaveValue('sfz');
  const hit = page.getByTestId('guide-result-ps-idcard-reissue');
  await expect(hit).toBeVisible();
  await hit.click();

  const detail = page.getByTestId('guide-detail');
  await expect(page.getByTestId('guide-service-name')).toHaveText('居民身份证补领');
  await expect(page.getByTestId('guide-where')).toContainText('公安局');
  await expect(page.getByTestId('guide-where')).toContainText('53、54号窗口');
  await expect(page.getByTestId('guide-materials')).toContainText('居民户口簿');
  await expect(page.getByTestId('guide-fee')).toContainText('20元');
  await expect(page.getByTestId('guide-basis')).toContainText('居民身份证法');
  await expect(page.getByTestId('guide-steps')).toContainText('受理');
  await expect(page.getByTestId('guide-time')).toContainText('15个工作日');
  await expect(page.getByTestId('guide-ticket')).toBeVisible();
  await expect(page.getByTestId('guide-apply')).toHaveCount(0); // not a self-service item

  // Switching the language on this screen renames the service and its place at once (the host is asked again).
  await page.getByTestId('language-toggle').click();
  await expect(page.getByTestId('guide-service-name')).toHaveText(NAME_EN);
  await expect(page.getByTestId('guide-where')).toContainText('Floor 2');
  // …and its long texts, from the content's English: every one has it, so no "shown in Chinese" notice anywhere.
  await expect(page.getByTestId('guide-materials')).toContainText('Household Register');
  await expect(page.getByTestId('guide-materials')).toContainText('not needed elsewhere');
  await expect(page.getByTestId('guide-conditions')).toContainText('Your Resident ID Card is lost');
  await expect(page.getByTestId('guide-steps')).toContainText('Apply in person for a replacement');
  await expect(page.getByTestId('guide-fee')).toContainText('CNY 20');
  await expect(page.getByTestId('guide-chinese-note')).toHaveCount(0);
  await page.getByTestId('language-toggle').click();
  await expect(page.getByTestId('guide-service-name')).toHaveText('居民身份证补领');

  await page.getByTestId('guide-print-receipt').click();
  await expect(page.getByTestId('print-status')).toContainText('已打印', { timeout: 30_000 });
  await expect.poll(() => printedJobs(dataDir), { timeout: 20_000 }).toContain('居民身份证补领');
  expect(printedJobs(dataDir)).toContain('收费标准');

  await page.getByTestId('guide-print-a4').click();
  // No A4 printer: the PDF is saved for staff, and the citizen is told where to collect it (from the content), never a file path.
  await expect(page.getByTestId('print-status')).toHaveText('已保存，请到1楼咨询导服台打印', { timeout: 30_000 });
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-outcome', 'saved');
  expect(readdirSync(join(dataDir, 'documents')).some((name) => name.endsWith('.pdf'))).toBe(true);

  // Elderly mode keeps the detail usable; back returns to the search results.
  await page.getByTestId('elderly-toggle').click();
  await expect(detail).toBeVisible();
  await page.getByTestId('guide-back').click();
  await expect(page.getByTestId('guide-search')).toHaveValue('sfz');

  // 取号 hands the service to the ticket screen.
  await hit.click();
  await page.getByTestId('guide-ticket').click();
  await expect(page.getByTestId('guide-screen')).toHaveCount(0);
});

test('feedback: a rating of 2 needs a reason, then is thanked; a bad phone number is refused', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('start').click();
  await page.getByTestId('home-feedback').click();
  await expect(page.getByTestId('feedback-screen')).toBeVisible();

  await page.getByTestId('feedback-tab-rating').click();
  await page.getByTestId('star-2').click();
  await expect(page.getByTestId('feedback-submit')).toBeDisabled();
  await page.getByTestId('feedback-reason-long-wait').click();
  await page.getByTestId('feedback-text-preset-0').click();
  await page.getByTestId('feedback-submit').click();
  await expect(page.getByTestId('feedback-success')).toContainText('感谢您的评价');

  await page.getByTestId('feedback-tab-consultation').click();
  await page.getByTestId('feedback-category-materials').click();
  await page.getByTestId('feedback-text-preset-0').click();
  for (const digit of ['1', '2', '3', '4', '5']) await page.getByTestId(`phone-key-${digit}`).click();
  await page.getByTestId('feedback-submit').click();
  await expect(page.getByTestId('feedback-problem')).toContainText('请输入11位手机号码');
  // Corrected: a full mobile number goes through.
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: /删除/ }).click();
  for (const digit of '13812345678') await page.getByTestId(`phone-key-${digit}`).click();
  await page.getByTestId('feedback-submit').click();
  await expect(page.getByTestId('feedback-success')).toContainText('您的咨询已提交');
});
