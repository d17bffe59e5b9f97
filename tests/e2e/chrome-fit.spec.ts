import type { Page } from '@playwright/test';
import { expect, test } from './kiosk.js';
import { LANGUAGES, MODES, SIZES, screensConfig, setLook } from './screens.js';

/**
 * Two layout promises checked at every size × mode × language, quickly (the
 * full walk is layout.spec.ts): with developer mode on (the fixture sets it)
 * the developer banner sits above the header and covers none of its buttons
 * (返回首页, 长辈模式, 中文/English), and its simulators button covers no
 * control of the progress or robot screen (floating in a corner it covered
 * 提问 at 1280×1024 in elderly mode); and the progress entry shows both hint
 * lines (what to type, and why the phone digits) with 查询 still in view.
 */
test.use({ kioskConfig: screensConfig });
test.setTimeout(300_000);

type Box = { top: number; bottom: number; left: number; right: number };

async function measure(page: Page): Promise<{ banner: Box | null; header: Box[]; devOpen: Box | null; controls: Array<{ id: string; box: Box }>; hints: Array<{ id: string; box: Box | null }>; query: Box | null; height: number }> {
  return page.evaluate(() => {
    const box = (el: Element | null): Box | null => {
      if (el === null) return null;
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return style.display === 'none' || style.visibility === 'hidden' || r.width === 0 || r.height === 0 ? null : { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    return {
      banner: box(document.querySelector('[data-testid="dev-banner"]')),
      header: Array.from(document.querySelectorAll('.chrome-bar button')).flatMap((el) => {
        const b = box(el);
        return b === null ? [] : [b];
      }),
      devOpen: box(document.querySelector('[data-testid="dev-open"]')),
      controls: Array.from(document.querySelectorAll('button, input, textarea, a[href]')).flatMap((el) => {
        const b = el.closest('[data-testid^="dev-"]') === null ? box(el) : null;
        return b === null ? [] : [{ id: el.getAttribute('data-testid') ?? el.textContent ?? el.tagName, box: b }];
      }),
      hints: ['progress-number-hint', 'progress-phone-hint'].map((id) => ({ id, box: box(document.querySelector(`[data-testid="${id}"]`)) })),
      query: box(document.querySelector('[data-testid="progress-query"]')),
      height: window.innerHeight,
    };
  });
}

const overlaps = (a: Box, b: Box): boolean => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

test('the developer banner covers no header button, and the progress entry keeps its hints and 查询 in view', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('start').click();
  await expect(page.getByTestId('home-screen')).toBeVisible();
  await page.getByTestId('home-progress').click();
  await expect(page.getByTestId('progress-screen')).toBeVisible();
  const problems: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const mode of MODES) {
      for (const language of LANGUAGES) {
        await setLook(page, mode, language);
        await page.evaluate(() => window.scrollTo(0, 0));
        const label = `${size.name} ${mode} ${language}`;
        const seen = await measure(page);
        if (seen.banner === null) problems.push(`${label}: no developer banner`);
        else
          for (const button of seen.header) {
            if (overlaps(seen.banner, button)) problems.push(`${label}: the banner (${Math.round(seen.banner.top)}–${Math.round(seen.banner.bottom)}) covers a header button at ${Math.round(button.top)}–${Math.round(button.bottom)}`);
          }
        for (const hint of seen.hints) {
          if (hint.box === null) problems.push(`${label}: ${hint.id} not shown`);
          else if (hint.box.bottom > seen.height + 0.5) problems.push(`${label}: ${hint.id} below the fold`);
        }
        if (seen.query === null || seen.query.bottom > seen.height + 0.5) problems.push(`${label}: 查询 not in view (${seen.query === null ? 'missing' : Math.round(seen.query.bottom)} of ${seen.height})`);
        problems.push(...devOpenCovers(seen, `${label} progress`));
      }
    }
  }
  // The robot screen, whose input row sits at the bottom edge.
  await page.getByTestId('back-to-start').click();
  await page.getByTestId('home-robot').click();
  await expect(page.getByTestId('robot-screen')).toBeVisible();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const mode of MODES) {
      for (const language of LANGUAGES) {
        await setLook(page, mode, language);
        problems.push(...devOpenCovers(await measure(page), `${size.name} ${mode} ${language} robot`));
      }
    }
  }
  expect(problems, problems.join('\n')).toEqual([]);
});

function devOpenCovers(seen: Awaited<ReturnType<typeof measure>>, label: string): string[] {
  if (seen.devOpen === null) return [`${label}: no simulators button`];
  const devOpen = seen.devOpen;
  return seen.controls.filter((control) => overlaps(devOpen, control.box)).map((control) => `${label}: the simulators button covers ${control.id}`);
}
