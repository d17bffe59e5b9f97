import { hashPin } from '../../electron/host/staff/credentials.js';
import { expect, holdForStaff, test } from './kiosk.js';

/**
 * Maintenance mode from the staff screen: staff take the kiosk out of
 * service naming information desk 2, and every citizen then sees the
 * full-screen notice sending them there (in Chinese, in English when the
 * hall's default language is English) — no way into a visit. Staff reach
 * their screen by holding the notice's title and bring the kiosk back.
 */
const PIN = '135790';

test.use({ kioskConfig: { staffPinHash: hashPin(PIN), queue: { listen: { port: 0 } } } });
// Two kiosk starts and three 3.5 s holds; the machine may be busy.
test.setTimeout(180_000);

test('staff put the kiosk out of service; citizens see 请到2号咨询台 until staff bring it back', async ({ kiosk }) => {
  const { page } = kiosk;
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await expect(page.getByTestId('out-of-service')).toHaveCount(0);

  await holdForStaff(page, 'attract-hall');
  for (const digit of PIN) await page.getByTestId(`staff-key-${digit}`).click();
  await page.getByTestId('staff-pin-submit').click();
  await expect(page.getByTestId('staff-ops-state')).toHaveText('正常服务中');
  await page.getByTestId('staff-ops-desk-2').click();
  await page.getByTestId('staff-ops-enter').click();
  await expect(page.getByTestId('staff-ops-state')).toHaveAttribute('data-out-of-service', 'true');
  await expect(page.getByTestId('staff-ops-state')).toContainText('已暂停服务（2号咨询台）');
  // The staff screen itself is not covered.
  await expect(page.getByTestId('out-of-service')).toHaveCount(0);

  await page.getByTestId('staff-exit').click();
  const notice = page.getByTestId('out-of-service');
  await expect(notice).toBeVisible();
  await expect(page.getByTestId('out-of-service-message')).toHaveText('本机暂停服务，请到2号咨询台');
  // It covers the whole window: the attract screen's start cannot be reached.
  const box = await notice.boundingBox();
  const viewport = page.viewportSize();
  expect(box).toMatchObject({ x: 0, y: 0, width: viewport?.width, height: viewport?.height });
  await expect(page.getByTestId('back-to-start')).toHaveCount(0);

  // A reload (or a restarted kiosk) still shows it: the state is the host's.
  await page.reload();
  await expect(page.getByTestId('out-of-service-message')).toHaveText('本机暂停服务，请到2号咨询台');

  // Staff hold the notice's title, enter the PIN, and bring the kiosk back.
  await holdForStaff(page, 'out-of-service-title');
  await expect(page.getByTestId('staff-screen')).toBeVisible();
  for (const digit of PIN) await page.getByTestId(`staff-key-${digit}`).click();
  await page.getByTestId('staff-pin-submit').click();
  await page.getByTestId('staff-ops-exit').click();
  await expect(page.getByTestId('staff-ops-state')).toHaveText('正常服务中');
  await page.getByTestId('staff-exit').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await expect(page.getByTestId('out-of-service')).toHaveCount(0);
});

test.describe('in English', () => {
  test.use({ kioskConfig: { staffPinHash: hashPin(PIN), defaultLocale: 'en', operations: { desk: '5' }, queue: { listen: { port: 0 } } } });

  test('the notice names the configured desk in English', async ({ kiosk }) => {
    const { page } = kiosk;
    await expect(page.getByTestId('attract-screen')).toBeVisible();
    await holdForStaff(page, 'attract-hall');
    for (const digit of PIN) await page.getByTestId(`staff-key-${digit}`).click();
    await page.getByTestId('staff-pin-submit').click();
    await page.getByTestId('staff-ops-enter').click();
    await expect(page.getByTestId('staff-ops-state')).toContainText('Out of service (information desk 5)');
    await page.getByTestId('staff-exit').click();
    await expect(page.getByTestId('out-of-service-message')).toHaveText('This kiosk is out of service. Please go to information desk 5.');
  });
});
