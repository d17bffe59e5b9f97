import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './kiosk.js';

test.use({ kioskConfig: { session: { idleTimeoutSeconds: 10, countdownSeconds: 5 } } });

function storedText(dir: string): string {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (name === 'chromium-profile') return [];
      return statSync(path).isDirectory() ? [storedText(path)] : [readFileSync(path).toString('utf8')];
    })
    .join('\n');
}

test('a placed ID card greets the citizen; the idle timeout returns to the attract screen with no trace of the name', async ({ kiosk }) => {
  const { page, dataDir } = kiosk;
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await expect(page.getByTestId('attract-screen')).toContainText('请将身份证放在感应区');

  // The simulator, driven from the developer panel, places 张三丰's card on the reader (over a real pty).
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好', { timeout: 15_000 });
  await expect(page.getByTestId('home-screen')).toBeVisible();
  await page.getByTestId('dev-remove-card').click();
  await page.getByText('关闭').click();

  // No touch: the countdown appears, then the session ends.
  await expect(page.getByTestId('idle-countdown')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('attract-screen')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('greeting')).toHaveCount(0);

  const html = await page.content();
  for (const trace of ['张三丰', '张*丰', '430181198001011239', '430181********1239']) expect(html).not.toContain(trace);
  await page.waitForTimeout(500);
  const stored = storedText(dataDir);
  expect(stored).not.toContain('张三丰');
  expect(stored).not.toContain('430181198001011239');
});

test('a card that fails its check digit is refused in plain words; no card needed to take a number', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-badCheckDigit').click();
  await expect(page.getByTestId('card-notice')).toContainText(/身份号码|校验/, { timeout: 15_000 });
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await page.getByText('关闭').click();
  await page.getByTestId('no-card-ticket').click();
  await expect(page.getByTestId('back-to-start')).toBeVisible();
});
