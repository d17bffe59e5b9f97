import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './kiosk.js';
import { LANGUAGES, MODES, SIZES, setLook } from './screens.js';
import { withLoopbackPlatform } from './support/platform.js';

/**
 * 一号, end to end: a citizen applies with her ID card and scans her 居民身份证;
 * the case reaches the reference platform when her visit ends. She comes back
 * and applies again: the kiosk offers the material she submitted before (name
 * and date, no image), she agrees to reuse it and submits without scanning;
 * the platform holds the second case with the reused material's id.
 */
const terminal = { id: 'kiosk-e2e-reuse', secret: 'kiosk-e2e-reuse-secret-0123456789' };
const CITIZEN_KEY_SECRET = 'hall-citizen-key-secret-e2e-0123';
const SERVICE = 'hr-employment-cert'; // one required material (居民身份证)

const test = withLoopbackPlatform({
  terminal,
  platform: { citizenKeySecret: CITIZEN_KEY_SECRET },
  kioskPlatform: { citizenKeySecret: CITIZEN_KEY_SECRET },
  kiosk: { session: { idleTimeoutSeconds: 600, countdownSeconds: 15 } },
});

type FiledCase = { caseId: string; materials: { index: number; pages: unknown[]; reusedMaterialId?: string }[]; reuseConsentAt?: string };

async function placeCard(page: Page): Promise<void> {
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好', { timeout: 15_000 });
  await page.getByTestId('dev-remove-card').click();
  await page.getByText('关闭').click();
}

/**
 * The reuse states at every kiosk size, mode and language (the layout and a11y
 * walks in screens.ts have no platform, so they cannot reach them): nothing
 * wider than the screen, `mustSee` in the first screenful, touch targets of at
 * least 44 px (60 px in elderly mode), and no serious axe finding.
 */
async function checkLooks(page: Page, state: string, mustSee: readonly string[]): Promise<void> {
  const problems: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const mode of MODES) {
      for (const language of LANGUAGES) {
        await setLook(page, mode, language);
        const found = await page.evaluate(
          ({ ids, minTarget }) => {
            const out: string[] = [];
            if (document.documentElement.scrollWidth > window.innerWidth) out.push(`document ${document.documentElement.scrollWidth}px wide`);
            for (const id of ids) {
              const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
              if (r === undefined || r.width === 0) out.push(`[${id}] missing`);
              else if (r.top < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) out.push(`[${id}] not in view (${Math.round(r.top)}–${Math.round(r.bottom)})`);
              else if (r.height < minTarget) out.push(`[${id}] ${Math.round(r.height)}px high`);
            }
            return out;
          },
          { ids: mustSee, minTarget: mode === 'elderly' ? 60 : 44 },
        );
        problems.push(...found.map((problem) => `${state} ${size.name} ${mode} ${language}: ${problem}`));
      }
    }
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    for (const violation of axe.violations) if (violation.impact === 'serious' || violation.impact === 'critical') problems.push(`${state} ${size.name}: axe ${violation.id} ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  await page.setViewportSize({ width: 1080, height: 1440 });
  await setLook(page, 'normal', 'zh-CN');
  expect(problems).toEqual([]);
}

async function startApplication(page: Page): Promise<void> {
  await page.getByTestId('home-apply').click();
  await page.getByTestId(`apply-service-${SERVICE}`).click();
  for (const digit of '13800000000') await page.getByTestId(`apply-phone-key-${digit}`).click();
  await page.getByTestId('apply-form-next').click();
}

test('a second application by the same citizen reuses her material without scanning it', async ({ kiosk, platform }) => {
  test.setTimeout(240_000);
  const { page } = kiosk;
  const filed = async (): Promise<FiledCase[]> => (await platform.server.store.recordsOfKind('case')).map((record) => record.payload as FiledCase);

  // First application: nothing to reuse yet, she scans.
  await placeCard(page);
  await startApplication(page);
  await expect(page.getByTestId('apply-reuse-checking')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('apply-reuse-offer-0')).toHaveCount(0);
  await page.getByTestId('apply-scan-0').click();
  await expect(page.getByTestId('apply-page')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('apply-materials-next').click();
  await page.getByTestId('apply-submit').click();
  await expect(page.getByTestId('apply-number')).toHaveText(/^YS\d{18}$/, { timeout: 30_000 });

  // Her visit ends: the kiosk pushes the case (and its page) to the platform.
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('attract-screen')).toBeVisible();
  await expect.poll(async () => (await filed()).length, { timeout: 30_000 }).toBe(1);
  const [first] = await filed();

  // Second application: the material she submitted is offered by name and date, without an image.
  await placeCard(page);
  await startApplication(page);
  const offer = page.getByTestId('apply-reuse-offer-0');
  await expect(offer).toContainText('居民身份证', { timeout: 15_000 });
  await expect(offer).toContainText(/\d{4}-\d{2}-\d{2}/);
  await expect(page.getByTestId('apply-material-0').locator('img')).toHaveCount(0);
  await checkLooks(page, 'apply-reuse-offer', ['apply-reuse-0', 'apply-scan-0']);

  // Consent first: declining goes back to scanning, with nothing reused.
  await page.getByTestId('apply-reuse-0').click();
  await expect(page.getByTestId('apply-reuse-consent')).toContainText('只用于您本人的申请');
  await checkLooks(page, 'apply-reuse-consent', ['apply-reuse-agree', 'apply-reuse-decline']);
  await page.getByTestId('apply-reuse-decline').click();
  await expect(page.getByTestId('apply-scan-0')).toBeVisible();
  await expect(page.getByTestId('apply-materials-next')).toBeDisabled();

  // She agrees: the material counts as given, and no scan happens.
  await page.getByTestId('apply-reuse-0').click();
  await page.getByTestId('apply-reuse-agree').click();
  await expect(page.getByTestId('apply-reused-0')).toContainText('无需扫描');
  await expect(page.getByTestId('apply-scan-0')).toHaveCount(0);
  await expect(page.getByTestId('apply-page')).toHaveCount(0);
  await page.getByTestId('apply-materials-next').click();
  await expect(page.getByTestId('apply-review-material-0')).toContainText('提交的材料');
  await page.getByTestId('apply-submit').click();
  await expect(page.getByTestId('apply-number')).toHaveText(/^YS\d{18}$/, { timeout: 30_000 });

  // The platform holds the second case with the reused material's id and no pages of its own.
  await page.getByTestId('logout').click();
  await expect.poll(async () => (await filed()).length, { timeout: 30_000 }).toBe(2);
  const second = (await filed()).find((c) => c.caseId !== first?.caseId);
  expect(second?.materials[0]).toMatchObject({ index: 0, pages: [], reusedMaterialId: `${first?.caseId ?? ''}:0` });
  expect(second?.reuseConsentAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});
