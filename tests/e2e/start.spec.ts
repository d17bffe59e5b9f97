import { expect, test } from './kiosk.js';

test('attract screen → switch language → start → home screen with the main entries', async ({ kiosk }) => {
  const { page } = kiosk;
  const attract = page.getByTestId('attract-screen');
  await expect(attract).toBeVisible();
  await expect(attract).toContainText('示范市民之家');
  await expect(attract).toContainText('请刷身份证或点击开始');

  await page.getByTestId('language-toggle').click();
  await expect(attract).toContainText('Swipe your ID card or tap Start');
  await page.getByTestId('start').click();

  const home = page.getByTestId('home-screen');
  await expect(home).toBeVisible();
  await expect(home).toContainText('What would you like to do?');
  await expect(home.getByRole('button')).toHaveCount(7);

  await page.getByTestId('language-toggle').click();
  for (const label of ['取号', '问浏浏', '办事指南', '自助申请', '办件查询', '预约签到']) await expect(home).toContainText(label);

  // Every screen has a way back to the menu; 结束使用 ends a walk-in's visit.
  await page.getByTestId('home-guide').click();
  await page.getByTestId('back-to-start').click();
  await expect(home).toBeVisible();
  await page.getByTestId('end-visit').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
});

test('返回首页 keeps a logged-in citizen: back to the menu from the robot and the guide, still greeted; only 退出登录 ends the visit', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好', { timeout: 15_000 });
  await page.getByTestId('dev-close').click();
  for (const screen of ['robot', 'guide', 'feedback'] as const) {
    await page.getByTestId(`home-${screen}`).click();
    await expect(page.getByTestId(`${screen}-screen`)).toBeVisible();
    await page.getByTestId('back-to-start').click();
    await expect(page.getByTestId('home-screen')).toBeVisible();
    await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好');
  }
  // The menu itself needs no "back": 退出登录 is the way out.
  await expect(page.getByTestId('back-to-start')).toHaveCount(0);
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await expect(page.getByTestId('greeting')).toHaveCount(0);
});

test('elderly mode enlarges the type', async ({ kiosk }) => {
  const { page } = kiosk;
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  await page.getByTestId('elderly-toggle').click();
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  expect(after).toBeGreaterThanOrEqual(before * 1.4);
  await expect(page.locator('html')).toHaveClass(/elderly/);
});
