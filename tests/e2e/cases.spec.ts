import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, printedJobs, test } from './kiosk.js';

// A citizen pre-applies at the kiosk: ID card (simulated over a pty), a
// self-service item, two pages scanned through scanimage (SANE test backend),
// submit; the receipt slip comes out of the printer simulator, the A4
// receipt is saved as a PDF (no CUPS queue configured), and the number is
// found on the progress screen.
test.use({ kioskConfig: { session: { idleTimeoutSeconds: 600, countdownSeconds: 15 }, queue: { listen: { port: 0 } } } });

const SERVICE = 'hr-employment-cert'; // one required material (居民身份证): front and back

test('a citizen applies with two scanned pages, gets the number on a slip and an A4 receipt, and finds the case by number', async ({ kiosk }) => {
  test.setTimeout(300_000);
  const { page, dataDir } = kiosk;
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好', { timeout: 15_000 });
  await page.getByText('关闭').click();

  await page.getByTestId('home-apply').click();
  await expect(page.getByTestId('apply-screen')).toBeVisible();
  await page.getByTestId(`apply-service-${SERVICE}`).click();

  // Prefilled from the card, masked.
  await expect(page.getByTestId('apply-applicant')).toContainText('张*丰');
  await expect(page.getByTestId('apply-applicant')).toContainText('430181********1239');
  for (const digit of '13800000000') await page.getByTestId(`apply-phone-key-${digit}`).click();
  await expect(page.getByTestId('apply-phone')).toHaveText('13800000000');
  await page.getByTestId('apply-form-next').click();

  // Two pages for the ID card: front and back.
  await page.getByTestId('apply-scan-0').click();
  await expect(page.getByTestId('apply-page')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('apply-scan-0').click();
  await expect(page.getByTestId('apply-page')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('apply-page').first().locator('img')).toHaveAttribute('src', /^data:image\/jpeg;base64,/);
  // In English the step lists the material by the content's English name (asked again on the switch), and one copy is "1 copy".
  await page.getByTestId('language-toggle').click();
  await expect(page.getByTestId('apply-material-0')).toContainText('Resident ID Card');
  await expect(page.getByTestId('apply-material-0')).toContainText('1 copy');
  await expect(page.getByTestId('apply-material-0')).not.toContainText('1 copies');
  await page.getByTestId('language-toggle').click();
  await expect(page.getByTestId('apply-material-0')).toContainText('居民身份证');
  await page.getByTestId('apply-materials-next').click();

  await expect(page.getByTestId('apply-review')).toContainText('2 页');
  await page.getByTestId('apply-submit').click();
  const numberText = page.getByTestId('apply-number');
  await expect(numberText).toHaveText(/^YS\d{18}$/, { timeout: 30_000 });
  const number = (await numberText.textContent()) ?? '';

  // The slip: the printer simulator writes each job's text under <dataDir>/printer-jobs.
  await expect(page.getByTestId('apply-slip')).toContainText('回执已打印', { timeout: 20_000 });
  await expect.poll(() => printedJobs(dataDir), { timeout: 15_000 }).toContain(number);
  const slip = printedJobs(dataDir);
  expect(slip).toContain('自助预申请回执');
  expect(slip).toContain('张*丰');
  expect(slip).not.toContain('张三丰');

  // The A4 receipt: saved under <dataDir>/documents (no document printer configured).
  await page.getByTestId('apply-print-a4').click();
  await expect(page.getByTestId('apply-a4-outcome')).toContainText('已保存，请到', { timeout: 30_000 });
  const documents = join(dataDir, 'documents');
  const pdfs = readdirSync(documents).filter((name) => name.endsWith('.pdf'));
  expect(pdfs).toHaveLength(1);
  const text = execFileSync('pdftotext', ['-layout', join(documents, pdfs[0] ?? ''), '-'], { encoding: 'utf8' });
  expect(text).toContain(number);
  expect(text).toContain('张*丰');
  expect(text).not.toContain('张三丰');

  // Progress, logged in with her card: the 18 digits are enough for her own case.
  await page.getByRole('button', { name: '返回主页' }).click();
  await page.getByTestId('home-progress').click();
  for (const digit of number.slice(2)) await page.getByTestId(`progress-key-${digit}`).click();
  await expect(page.getByTestId('progress-number')).toContainText(number);
  await page.getByTestId('progress-query').click();
  await expect(page.getByTestId('progress-case-number')).toHaveText(number);
  await expect(page.getByTestId('progress-case-stage')).toHaveText('申请');
  await expect(page.getByTestId('progress-timeline')).toContainText('受理');

  // Anonymous (card lifted, logged out): the number alone is not enough; the phone's last 4 digits are.
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-remove-card').click();
  await page.getByText('关闭').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('start').click();
  await page.getByTestId('home-progress').click();
  for (const digit of number.slice(2)) await page.getByTestId(`progress-key-${digit}`).click();
  await page.getByTestId('progress-query').click();
  await expect(page.getByTestId('progress-problem')).toContainText('请输入申请时所留手机号码的后4位');
  await expect(page.getByTestId('progress-case')).toHaveCount(0);
  // The keypad now types the phone digits: a wrong guess gets the same answer as a number that does not exist.
  for (const digit of '1234') await page.getByTestId(`progress-key-${digit}`).click();
  await page.getByTestId('progress-query').click();
  await expect(page.getByTestId('progress-problem')).toContainText('未找到与该预受理号和手机尾号相符的办件');
  await page.getByTestId('progress-key-clear').click();
  for (const digit of '0000') await page.getByTestId(`progress-key-${digit}`).click();
  await expect(page.getByTestId('progress-phone')).toContainText('0000');
  await page.getByTestId('progress-query').click();
  await expect(page.getByTestId('progress-case-number')).toHaveText(number);
  await expect(page.getByTestId('progress-case')).toContainText('张*丰');

  // A number that does not exist (with digits): the same clear message, nothing about whether it exists.
  await page.getByTestId('progress-number').click();
  await page.getByTestId('progress-key-clear').click();
  for (const digit of '261125000199990000') await page.getByTestId(`progress-key-${digit}`).click();
  await page.getByTestId('progress-query').click();
  await expect(page.getByTestId('progress-problem')).toContainText('未找到与该预受理号和手机尾号相符的办件');
});

test('an anonymous visitor is asked to place the ID card before applying', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('start').click();
  await page.getByTestId('home-apply').click();
  await expect(page.getByTestId('apply-card-required')).toContainText('请将身份证放在感应区');
  await page.getByTestId(`apply-service-${SERVICE}`).click();
  await expect(page.getByTestId('apply-problem')).toContainText('请将身份证放在感应区');
});
