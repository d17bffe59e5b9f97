import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { HEADLESS_CHROMIUM_ARGS, chromiumPath } from '../electron/browser-shell/chromium.js';
import { runBrowserShell } from '../electron/browser-shell/run.js';
import { loadConfig } from '../electron/host/config/load.js';
import { parseFlags } from './cli.js';

/**
 * `npm run smoke -- --out FILE.png`: boots the browser shell headless, loads
 * the start screen in headless Chromium, saves a screenshot and prints the
 * host's boot time and the time to first rendered screen. Exits 0 only when
 * the attract screen really rendered the hall's name.
 */
async function main(): Promise<number> {
  const { values } = parseFlags(process.argv.slice(2));
  const out = resolve(values.get('out') ?? 'smoke.png');
  process.env['LIULIU_DATA_DIR'] ??= mkdtempSync(join(tmpdir(), 'liuliu-smoke-'));
  const config = loadConfig(values.get('config'));
  const executable = chromiumPath(config.browserShell.chromiumPath);
  if (!executable) {
    console.error('smoke: Chromium not found (install the Debian package chromium or set CHROMIUM)');
    return 1;
  }
  const shell = await runBrowserShell(config);
  const browser = await chromium.launch({ executablePath: executable, args: HEADLESS_CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1080, height: 1440 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const navigated = performance.now();
    await page.goto(shell.server.launchUrl);
    const attract = page.getByTestId('attract-screen');
    await attract.waitFor({ state: 'visible', timeout: 15_000 });
    const wallMs = Math.round(performance.now() - navigated);
    const firstScreenMs = await page.evaluate(() => Math.round(performance.getEntriesByName('liuliu:first-screen')[0]?.startTime ?? -1));
    const title = (await page.locator('.attract-hall').textContent())?.trim() ?? '';
    await page.screenshot({ path: out, fullPage: false });
    const rendered = title.length > 0 && firstScreenMs >= 0 && errors.length === 0;
    console.log('smoke check');
    console.log(`  host boot              ${shell.host.bootMs} ms`);
    console.log(`  first rendered screen  ${firstScreenMs} ms after navigation (${wallMs} ms wall clock)`);
    console.log(`  attract screen title   ${title || '(missing)'}`);
    console.log(`  screenshot             ${out}`);
    if (errors.length > 0) console.log(`  page errors            ${errors.join(' | ')}`);
    console.log(JSON.stringify({ ok: rendered, hostBootMs: shell.host.bootMs, firstScreenMs, wallMs, screenshot: out }));
    return rendered ? 0 : 1;
  } finally {
    await browser.close();
    await shell.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('smoke: failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
