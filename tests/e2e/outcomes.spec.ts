import { hashPin } from '../../electron/host/staff/credentials.js';
import { expect, test } from './kiosk.js';
import { STAFF_PIN } from './screens.js';

/**
 * Honest outcomes with the default queue address (the kiosk's loopback URL,
 * which no phone can open) and no receipt printer: the ticket shows no QR
 * code, says to remember the number and stays until 完成; the staff screen
 * says why there is no QR code (nor one on consultation slips).
 */
test.use({
  kioskConfig: {
    staffPinHash: hashPin(STAFF_PIN),
    devices: { printer: { kind: 'none' } },
    session: { idleTimeoutSeconds: 600, countdownSeconds: 15 },
    // The tests run at any hour; a hall never sets this (developer mode only).
    queue: { ignoreOpeningHours: true },
  },
});

// The test waits out the 20 s a printed ticket would stay.
test.setTimeout(120_000);

test('no paper copy: the number stays on screen with "请记住您的号码" until 完成, with no dead QR code; staff are told why', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('no-card-ticket').click();
  await page.getByTestId('ticket-dept-public-security').click();
  await page.getByTestId('ticket-take').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('H001', { timeout: 15_000 });
  await expect(page.getByTestId('ticket-remember')).toHaveText('请记住您的号码');
  await expect(page.getByTestId('ticket-printer-problem')).toBeVisible();
  await expect(page.getByTestId('ticket-qr')).toHaveCount(0);

  // A printed ticket would have gone back to the start after 20 s; this one waits for the citizen.
  await page.waitForTimeout(22_000);
  await expect(page.getByTestId('ticket-number')).toHaveText('H001');
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();

  const hall = page.getByTestId('attract-hall');
  const box = await hall.boundingBox();
  if (box === null) throw new Error('hall name not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect(page.getByTestId('staff-screen')).toBeVisible({ timeout: 10_000 });
  await page.mouse.up();
  for (const digit of STAFF_PIN) await page.getByTestId(`staff-key-${digit}`).click();
  await page.getByTestId('staff-pin-submit').click();
  await expect(page.getByTestId('staff-ticket-qr')).toHaveAttribute('data-on', 'false');
  await expect(page.getByTestId('staff-ticket-qr')).toContainText('queue.publicBaseUrl');
  // Consultation slips: no public platform address configured, so no QR either, and staff are told so.
  await expect(page.getByTestId('staff-slip-qr')).toHaveAttribute('data-on', 'false');
  await expect(page.getByTestId('staff-slip-qr')).toContainText('platform.publicUrl');
});
