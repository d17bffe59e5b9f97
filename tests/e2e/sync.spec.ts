import { hashPin } from '../../electron/host/staff/credentials.js';
import { queueRatings, openTerminalStorage } from '../../electron/host/sync/testing.js';
import { expect } from './kiosk.js';
import { withLoopbackPlatform } from './support/platform.js';

/**
 * Staff screen against a real reference platform: the platform runs in this
 * worker (loopback, port 0) and the kiosk's config points at it. The platform
 * starts out failing every request, so the kiosk first sees it offline with a
 * backlog; staff then press "立即同步" once it is back.
 */
const terminal = { id: 'kiosk-e2e', secret: 'kiosk-e2e-secret-0123456789' };
const PIN = '135790';

const test = withLoopbackPlatform({ terminal, platform: { faults: { failPercent: 100 } }, kiosk: { staffPinHash: hashPin(PIN) } });

test('staff hold the hall name, enter the PIN, and see the platform online with backlog 0 after 立即同步', async ({ kiosk, platform }) => {
  const { page, dataDir } = kiosk;
  await expect(page.getByTestId('attract-screen')).toBeVisible();

  // Three records wait in the kiosk's outbox (queued straight into its storage, as a module would).
  const storage = await openTerminalStorage(dataDir);
  const ids = await queueRatings(storage, 'e2e-rating', 3);
  await storage.db.close();

  // A short press does nothing; a 3 s hold on the hall name opens the staff screen.
  const hall = page.getByTestId('attract-hall');
  await hall.click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  const box = await hall.boundingBox();
  if (box === null) throw new Error('the hall name is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(3500);
  await page.mouse.up();
  await expect(page.getByTestId('staff-screen')).toBeVisible();

  // A wrong PIN is refused in plain words; the right one opens the dashboard.
  for (const digit of '0000') await page.getByTestId(`staff-key-${digit}`).click();
  await page.getByTestId('staff-pin-submit').click();
  await expect(page.getByTestId('staff-pin-error')).toHaveText('密码错误，请重试');
  for (const digit of PIN) await page.getByTestId(`staff-key-${digit}`).click();
  await page.getByTestId('staff-pin-submit').click();

  // The platform has been failing: offline, the records still waiting.
  await expect(page.getByTestId('staff-sync-state')).toHaveText('离线');
  await expect(page.getByTestId('staff-sync-backlog')).toHaveText('3');
  await expect(page.getByTestId('staff-device-platform')).toHaveAttribute('data-state', 'disconnected');
  // Device reasons come as codes and are said in the staff screen's language.
  await expect(page.getByTestId('staff-device-platform').locator('.staff-device-reason')).toHaveText(/^未连接平台/);
  await expect(page.getByTestId('staff-device-hall')).toContainText('本机叫号服务运行中');
  await expect(page.getByTestId('staff-dead-empty')).toBeVisible();

  // The platform recovers; staff sync now.
  await platform.admin.setFaults({ failPercent: 0 });
  await page.getByTestId('staff-sync-now').click();
  await expect(page.getByTestId('staff-sync-state')).toHaveText('在线', { timeout: 30_000 });
  await expect(page.getByTestId('staff-sync-backlog')).toHaveText('0');
  await expect(page.getByTestId('staff-device-platform')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('staff-device-platform')).toContainText('正常');
  expect((await platform.admin.recordIds()).filter((id) => id.startsWith('e2e-rating')).sort()).toEqual([...ids].sort());

  // Leaving ends the staff session: the next visit needs the PIN again.
  await page.getByTestId('staff-exit').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(3500);
  await page.mouse.up();
  await expect(page.getByTestId('staff-pin-submit')).toBeVisible();
  await expect(page.getByTestId('staff-sync-now')).toHaveCount(0);
});
