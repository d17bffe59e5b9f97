import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './kiosk.js';
import { LANGUAGES, MODES, SIZES, screensConfig, setLook, walkScreens, type Language, type Mode, type Size } from './screens.js';

/**
 * Every screen fits the real kiosks: 1080×1920 (floor-standing), 1920×1080
 * (desk) and 1280×1024, in normal and elderly mode, in Chinese and English.
 * Fails on a page wider than the screen, any interactive element past the
 * screen's edges, and a primary action or keyboard key below the fold.
 * Screenshots go to test-results/screens/<screen>--<size>--<mode>--<language>.png
 * (and the problems found to problems.txt) for people to look at.
 */
test.use({ kioskConfig: screensConfig });
// About 2½ minutes on an idle machine; the limit leaves room for a busy one.
test.setTimeout(900_000);

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screens');

/**
 * Which looks get a picture (every look is checked; a screenshot costs ~0.7 s):
 * normal in Chinese and elderly in English at the two main sizes, elderly in
 * Chinese at 1280×1024.
 */
function pictured(size: Size, mode: Mode, language: Language): boolean {
  if (size.name === 'square-1280x1024') return mode === 'elderly' && language === 'zh-CN';
  return (mode === 'normal') === (language === 'zh-CN');
}

interface Misfit {
  what: string;
  rect: { left: number; right: number; top: number; bottom: number };
}

/** Measured in the page: horizontal overflow, interactive elements past the sides, required elements below the fold. */
async function misfits(page: Page, mustSee: readonly string[]): Promise<Misfit[]> {
  return page.evaluate((required) => {
    const found: Misfit[] = [];
    const width = window.innerWidth;
    const height = window.innerHeight;
    const root = document.documentElement;
    if (root.scrollWidth > width) found.push({ what: `document is ${root.scrollWidth}px wide`, rect: { left: 0, right: root.scrollWidth, top: 0, bottom: 0 } });
    const describe = (el: Element): string => {
      const id = el.getAttribute('data-testid');
      const text = (el.textContent ?? '').trim().slice(0, 20);
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''} "${text}"`;
    };
    const shown = (el: Element): boolean => {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && r.width > 0 && r.height > 0;
    };
    for (const el of Array.from(document.querySelectorAll('button, input, textarea, select, a[href], [role="tab"], [role="button"]'))) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.right > width + 0.5) found.push({ what: `${describe(el)} past the side`, rect: { left: r.left, right: r.right, top: r.top, bottom: r.bottom } });
    }
    for (const id of required) {
      const el = document.querySelector(`[data-testid="${id}"]`);
      if (el === null || !shown(el)) {
        found.push({ what: `[${id}] missing`, rect: { left: 0, right: 0, top: 0, bottom: 0 } });
        continue;
      }
      const r = el.getBoundingClientRect();
      // In the first screenful: a kiosk citizen does not know to scroll.
      if (r.top < -0.5 || r.bottom > height + 0.5 || r.left < -0.5 || r.right > width + 0.5)
        found.push({ what: `${describe(el)} not in view (${Math.round(r.top)}–${Math.round(r.bottom)} of ${height})`, rect: { left: r.left, right: r.right, top: r.top, bottom: r.bottom } });
    }
    return found;
  }, mustSee);
}

/** The conversation keeps the latest question and the start of its answer in view, inside the chat and on the screen. */
async function conversationInView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const chat = document.querySelector('[data-testid="robot-chat"]');
    const questions = document.querySelectorAll('[data-testid="robot-bubble-citizen"]');
    const answers = document.querySelectorAll('[data-testid="robot-bubble-robot"]');
    const question = questions[questions.length - 1];
    const answer = answers[answers.length - 1];
    if (!chat || !question || !answer) return ['no conversation'];
    const box = chat.getBoundingClientRect();
    const top = Math.max(box.top, 0);
    const bottom = Math.min(box.bottom, window.innerHeight);
    const problems: string[] = [];
    const q = question.getBoundingClientRect();
    if (q.top < top - 1 || q.bottom > bottom + 1) problems.push(`latest question at ${Math.round(q.top)}–${Math.round(q.bottom)}, chat shows ${Math.round(top)}–${Math.round(bottom)}`);
    const a = answer.getBoundingClientRect();
    // The answer's first lines (48 px) at least: the rest scrolls inside the chat.
    if (a.top < top - 1 || a.top + 48 > bottom + 1) problems.push(`latest answer starts at ${Math.round(a.top)}, chat shows ${Math.round(top)}–${Math.round(bottom)}`);
    return problems;
  });
}

test('every screen fits 1080×1920, 1920×1080 and 1280×1024 in both modes and languages', async ({ kiosk }, testInfo) => {
  const { page } = kiosk;
  mkdirSync(SHOTS, { recursive: true });
  const problems: string[] = [];
  const screens = await walkScreens(page, async (screen, mustSee) => {
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const mode of MODES) {
        for (const language of LANGUAGES) {
          await setLook(page, mode, language);
          const label = `${screen} ${size.name} ${mode} ${language}`;
          // The screen is not scrolled: what the citizen sees first is what counts.
          await page.evaluate(() => window.scrollTo(0, 0));
          for (const misfit of await misfits(page, mustSee)) problems.push(`${label}: ${misfit.what}`);
          if (screen === 'robot-answer') for (const problem of await conversationInView(page)) problems.push(`${label}: ${problem}`);
          if (pictured(size, mode, language)) await page.screenshot({ path: join(SHOTS, `${screen}--${size.name}--${mode}--${language}.png`), animations: 'disabled' });
        }
      }
    }
    // Written as the walk goes, so a run cut short still shows what it found.
    writeFileSync(join(SHOTS, 'problems.txt'), `${problems.join('\n')}\n`);
    // Back to the size the walk clicks at, and the hall's defaults.
    await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
    await setLook(page, 'normal', 'zh-CN');
  });
  writeFileSync(join(SHOTS, 'problems.txt'), `${problems.join('\n') || 'none'}\n`);
  await testInfo.attach('layout-problems.txt', { body: problems.join('\n') || 'none', contentType: 'text/plain' });
  expect(screens.length).toBeGreaterThanOrEqual(19);
  expect(problems, problems.join('\n')).toEqual([]);
});
