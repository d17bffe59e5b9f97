import { hashPin } from '../../electron/host/staff/credentials.js';
import type { Page } from '@playwright/test';
import { expect } from './kiosk.js';

/**
 * Walks the kiosk through every screen (and the states of a screen that look
 * different: a tab, a keyboard, a result) and calls `visit` at each, for the
 * layout and accessibility specs. The screen is reached once; `visit` then
 * varies size, mode and language on the spot, so the walk stays short.
 *
 * Needs the kiosk started with `screensConfig` (no receipt printer, so the
 * ticket result waits for 完成; a staff PIN; opening hours ignored).
 */
export const STAFF_PIN = '2580';
export const screensConfig = {
  staffPinHash: hashPin(STAFF_PIN),
  devices: { printer: { kind: 'none' } },
  session: { idleTimeoutSeconds: 3600, countdownSeconds: 15 },
  queue: { ignoreOpeningHours: true },
} as const;

export const SIZES = [
  { name: 'portrait-1080x1920', width: 1080, height: 1920 },
  { name: 'landscape-1920x1080', width: 1920, height: 1080 },
  { name: 'square-1280x1024', width: 1280, height: 1024 },
] as const;
export type Size = (typeof SIZES)[number];
export const MODES = ['normal', 'elderly'] as const;
export type Mode = (typeof MODES)[number];
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * What must be in the first screenful (no scrolling) on a screen: the
 * primary actions and any on-screen keyboard. Test ids.
 */
export type Visit = (screen: string, mustSee: readonly string[]) => Promise<void>;

/**
 * Switches elderly mode and language with the header buttons, as a citizen
 * does — clicked inside the page (the visit varies them a dozen times per
 * screen; Playwright's clicks would double the run) — and waits two frames
 * so styles are applied and laid out before anyone measures.
 */
export async function setLook(page: Page, mode: Mode, language: Language): Promise<void> {
  const applied = await page.evaluate(
    async ({ elderly, lang }) => {
      const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      const toggle = document.querySelector<HTMLButtonElement>('[data-testid="elderly-toggle"]');
      if (toggle && toggle.getAttribute('aria-pressed') !== String(elderly)) toggle.click();
      const chrome = (): HTMLElement | null => document.querySelector('.chrome');
      if (chrome()?.getAttribute('lang') !== lang) document.querySelector<HTMLButtonElement>('[data-testid="language-toggle"]')?.click();
      for (let i = 0; i < 20 && (chrome()?.getAttribute('lang') !== lang || document.documentElement.classList.contains('elderly') !== elderly); i++) await frame();
      await frame();
      await frame();
      return chrome()?.getAttribute('lang') === lang && document.documentElement.classList.contains('elderly') === elderly;
    },
    { elderly: mode === 'elderly', lang: language },
  );
  expect(applied, `${mode} ${language} applied`).toBe(true);
}

async function backToMenu(page: Page): Promise<void> {
  await page.getByTestId('back-to-start').click();
  await expect(page.getByTestId('home-screen')).toBeVisible();
}

export async function walkScreens(page: Page, visit: Visit): Promise<string[]> {
  const seen: string[] = [];
  const at = async (screen: string, mustSee: readonly string[] = []): Promise<void> => {
    seen.push(screen);
    await visit(screen, mustSee);
  };

  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await at('attract', ['start', 'no-card-ticket']);

  // Staff: hold the hall name.
  const hall = page.getByTestId('attract-hall');
  const box = await hall.boundingBox();
  if (box === null) throw new Error('hall name not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect(page.getByTestId('staff-screen')).toBeVisible({ timeout: 10_000 });
  await page.mouse.up();
  await at('staff-pin', ['staff-key-0', 'staff-pin-submit']);
  for (const digit of STAFF_PIN) await page.getByTestId(`staff-key-${digit}`).click();
  await page.getByTestId('staff-pin-submit').click();
  await expect(page.getByTestId('staff-devices')).toBeVisible();
  await at('staff-dashboard', ['staff-exit']);
  await page.getByTestId('staff-exit').click();

  // A walk-in takes a number.
  await page.getByTestId('start').click();
  await expect(page.getByTestId('home-screen')).toBeVisible();
  await at('home', ['home-ticket', 'home-appointment', 'home-robot', 'home-guide', 'home-apply', 'home-progress', 'home-feedback']);
  await page.getByTestId('home-ticket').click();
  await expect(page.getByTestId('ticket-dept-public-security')).toBeVisible();
  await at('ticket-departments', ['ticket-tab-department', 'ticket-tab-todo']);
  await page.getByTestId('ticket-tab-todo').click();
  await at('ticket-life-events', ['ticket-tab-todo']);
  await page.getByTestId('ticket-life-养老').click();
  await at('ticket-services', ['ticket-life-back']);
  await page.getByTestId('ticket-service-hr-pension-claim').click();
  await expect(page.getByTestId('ticket-confirm')).toBeVisible();
  await at('ticket-confirm', ['ticket-take', 'ticket-back']);
  await page.getByTestId('ticket-take').click();
  await expect(page.getByTestId('ticket-number')).toBeVisible({ timeout: 15_000 });
  await at('ticket-result', ['ticket-number', 'ticket-done']);
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();

  // A citizen with her ID card.
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('dev-close').click();
  await expect(page.getByTestId('home-screen')).toBeVisible();
  await at('home-citizen', ['home-ticket', 'home-feedback', 'logout']);

  // 预约签到: the two ways in, the code keypad, and a refusal (an unknown code).
  await page.getByTestId('home-appointment').click();
  await expect(page.getByTestId('appointment-screen')).toBeVisible();
  await at('appointment', ['appointment-card', 'appointment-code']);
  await page.getByTestId('appointment-code').click();
  await at('appointment-code', ['appointment-key-1', 'appointment-key-0', 'appointment-submit', 'appointment-back']);
  for (const digit of '99999999') await page.getByTestId(`appointment-key-${digit}`).click();
  await page.getByTestId('appointment-submit').click();
  await expect(page.getByTestId('appointment-outcome')).toBeVisible({ timeout: 15_000 });
  await at('appointment-outcome', ['appointment-back']);

  await backToMenu(page);
  await page.getByTestId('home-robot').click();
  await expect(page.getByTestId('robot-screen')).toBeVisible();
  await at('robot', ['robot-input', 'robot-input-submit', 'robot-input-space', 'robot-input-key-p', 'robot-input-key-m']);
  await page.getByTestId('robot-input').fill('身份证丢了怎么办');
  await page.getByTestId('robot-input-submit').click();
  await expect(page.getByTestId('robot-answer').last()).toBeVisible({ timeout: 20_000 });
  // Asking hides the keyboard so the answer has the room; the toggle brings it back for the next question.
  await expect(page.getByTestId('robot-input-keyboard')).toBeHidden();
  await at('robot-answer', ['robot-input', 'robot-input-submit', 'robot-input-keyboard-toggle']);

  await backToMenu(page);
  await page.getByTestId('home-guide').click();
  await expect(page.getByTestId('guide-screen')).toBeVisible();
  await at('guide', ['guide-search', 'guide-tab-department']);
  await page.getByTestId('guide-search').click();
  await page.getByTestId('key-s').click();
  await page.getByTestId('key-f').click();
  await page.getByTestId('key-z').click();
  await expect(page.getByTestId('guide-results')).toBeVisible();
  await at('guide-search', ['guide-search', 'key-a', 'key-z', 'key-back', 'key-clear']);
  await page.getByTestId('guide-results').getByRole('button').first().click();
  await expect(page.getByTestId('guide-detail')).toBeVisible();
  await page.getByTestId('guide-print-a4').click();
  await expect(page.getByTestId('print-status')).not.toHaveClass(/is-busy/, { timeout: 20_000 });
  await at('guide-detail', ['guide-back', 'guide-ticket', 'guide-print-a4', 'print-status']);

  await backToMenu(page);
  await page.getByTestId('home-apply').click();
  await expect(page.getByTestId('apply-screen')).toBeVisible();
  await expect(page.getByTestId('apply-screen').getByRole('button').first()).toBeVisible();
  await at('apply-choose', []);
  await page.locator('[data-testid^="apply-service-"]').first().click();
  await expect(page.getByTestId('apply-form-next')).toBeVisible();
  await at('apply-form', []);
  // The materials step: the 一号 lookup finds no platform here, so nothing is offered (reuse.spec.ts checks the offer and consent states).
  for (const digit of '13800000000') await page.getByTestId(`apply-phone-key-${digit}`).click();
  await page.getByTestId('apply-form-next').click();
  await expect(page.getByTestId('apply-materials-next')).toBeVisible();
  await expect(page.getByTestId('apply-reuse-checking')).toHaveCount(0, { timeout: 10_000 });
  await at('apply-materials', []);

  await backToMenu(page);
  await page.getByTestId('home-progress').click();
  await expect(page.getByTestId('progress-screen')).toBeVisible();
  await at('progress', ['progress-key-1', 'progress-key-0', 'progress-query']);

  await backToMenu(page);
  await page.getByTestId('home-feedback').click();
  await expect(page.getByTestId('feedback-screen')).toBeVisible();
  await page.getByTestId('star-2').click();
  await at('feedback-rating', ['feedback-tab-rating', 'star-5']);
  await page.getByTestId('feedback-tab-complaint').click();
  await at('feedback-complaint', ['feedback-tab-complaint']);
  // Sent: the slip outcome (no receipt printer in this walk, so it says the slip was not printed).
  await page.getByTestId('feedback-category-efficiency').click();
  await page.getByTestId('feedback-text-preset-0').click();
  await page.getByTestId('feedback-submit').click();
  await expect(page.getByTestId('feedback-slip')).not.toContainText('…', { timeout: 15_000 });
  await at('feedback-sent', ['feedback-slip']);

  await backToMenu(page);
  await page.getByTestId('home-ticket').click();
  await page.getByTestId('ticket-mine').click();
  await expect(page.getByTestId('ticket-mine-list')).toBeVisible();
  await at('ticket-mine', ['ticket-mine-back']);
  return seen;
}
