import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './kiosk.js';
import { LANGUAGES, MODES, SIZES, screensConfig, setLook, walkScreens, type Mode } from './screens.js';

/**
 * Accessibility of every screen, in normal and elderly mode, in Chinese and
 * English, at the floor-standing kiosk's size (1080×1920):
 * - axe-core (WCAG 2.1 A/AA and best practice): no serious or critical
 *   violation, and no missing h1 or skipped heading level;
 * - our own text contrast check, because axe leaves text over gradients,
 *   translucent layers and large type "for review": every visible text
 *   (placeholders, the ticket number and every large figure included) at
 *   least 4.5:1 against what is behind it;
 * - touch targets at least 44 px, 60 px in elderly mode.
 */
test.use({ kioskConfig: screensConfig });
// About 2 minutes on an idle machine; the limit leaves room for a busy one.
test.setTimeout(900_000);

const REPORT = join(import.meta.dirname, '..', '..', 'test-results', 'a11y', 'problems.txt');
const MIN_CONTRAST = 4.5;
const MIN_TARGET: Record<Mode, number> = { normal: 44, elderly: 60 };
/** Rules whose findings fail the test whatever axe's impact rating (the "no h1", "heading order"). */
const ALWAYS_FAIL = new Set(['page-has-heading-one', 'heading-order']);

/** Text whose colour is less than 4.5:1 against its backdrop; the worst case over gradient stops and see-through layers. */
async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate((minimum) => {
    type Rgba = [number, number, number, number];
    const parse = (value: string): Rgba[] =>
      Array.from(value.matchAll(/rgba?\(([^)]+)\)/g), (match) => {
        const parts = (match[1] ?? '').split(/[\s,/]+/).filter(Boolean).map(Number);
        return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
      });
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: Rgba): number => {
      const channel = (c: number): number => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const ratio = (a: Rgba, b: Rgba): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    /** Every colour the backdrop of `el` can be: its own and its ancestors' backgrounds, composed, one per gradient stop. */
    const backdrops = (el: Element): Rgba[] => {
      const layers: Rgba[][] = [];
      for (let node: Element | null = el; node !== null; node = node.parentElement) {
        const style = getComputedStyle(node);
        const stops = style.backgroundImage.includes('gradient') ? parse(style.backgroundImage) : [];
        const colour = parse(style.backgroundColor)[0] ?? [0, 0, 0, 0];
        if (stops.length > 0) layers.push(stops);
        else if (colour[3] > 0) layers.push([colour]);
        if (colour[3] >= 1 && stops.length === 0) break;
      }
      let result: Rgba[] = [[255, 255, 255, 1]];
      for (const layer of layers.reverse()) result = layer.flatMap((top) => result.map((below) => over(top, below)));
      return result;
    };
    const opacity = (el: Element): number => {
      let value = 1;
      for (let node: Element | null = el; node !== null; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
      return value;
    };
    const problems: string[] = [];
    const check = (el: Element, text: string, colour: Rgba | undefined): void => {
      if (colour === undefined) return;
      const grounds = backdrops(el);
      const alpha = colour[3] * opacity(el);
      const worst = Math.min(...grounds.map((ground) => ratio(over([colour[0], colour[1], colour[2], alpha], ground), ground)));
      if (worst < minimum) problems.push(`"${text.slice(0, 30)}" ${worst.toFixed(2)}:1 (${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')})`);
    };
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      if (el.closest('svg') !== null || el.closest(':disabled') !== null) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden') continue;
      if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && el.value === '' && el.placeholder !== '') {
        check(el, el.placeholder, parse(getComputedStyle(el, '::placeholder').color)[0]);
        continue;
      }
      const own = Array.from(el.childNodes)
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
        .trim();
      if (own !== '') check(el, own, parse(style.color)[0]);
    }
    return problems;
  }, MIN_CONTRAST);
}

/** Interactive elements smaller than `minimum` px either way. The developer panel's own buttons (simulators, never on in a hall) are left out. */
async function smallTargets(page: Page, minimum: number): Promise<string[]> {
  return page.evaluate((min) => {
    const problems: string[] = [];
    for (const el of Array.from(document.querySelectorAll('button, input, textarea, select, a[href], [role="tab"], [role="button"]'))) {
      if (el.closest('[data-testid^="dev-"]') !== null) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (rect.width < min - 0.5 || rect.height < min - 0.5) {
        const id = el.getAttribute('data-testid') ?? (el.textContent ?? '').trim().slice(0, 20);
        problems.push(`${el.tagName.toLowerCase()}[${id}] ${Math.round(rect.width)}×${Math.round(rect.height)}`);
      }
    }
    return problems;
  }, minimum);
}

test('every screen: no serious axe violation, text contrast ≥ 4.5:1, targets ≥ 44 px (60 px elderly), in both modes and languages', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
  const problems: string[] = [];
  mkdirSync(join(REPORT, '..'), { recursive: true });
  const screens = await walkScreens(page, async (screen) => {
    for (const mode of MODES) {
      for (const language of LANGUAGES) {
        await setLook(page, mode, language);
        const label = `${screen} ${mode} ${language}`;
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
        for (const violation of axe.violations) {
          if (violation.impact !== 'serious' && violation.impact !== 'critical' && !ALWAYS_FAIL.has(violation.id)) continue;
          const where = violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(' | ');
          problems.push(`${label}: axe ${violation.id} (${violation.impact ?? '?'}) ${where}`);
        }
        for (const problem of await lowContrast(page)) problems.push(`${label}: contrast ${problem}`);
        for (const problem of await smallTargets(page, MIN_TARGET[mode])) problems.push(`${label}: small target ${problem}`);
      }
    }
    // Written as the walk goes, so a run cut short still shows what it found.
    writeFileSync(REPORT, `${problems.join('\n')}\n`);
    await setLook(page, 'normal', 'zh-CN');
  });
  expect(screens.length).toBeGreaterThanOrEqual(19);
  expect(problems, problems.join('\n')).toEqual([]);
});
