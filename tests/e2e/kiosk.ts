import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, _electron as electron, chromium, expect, type Page } from '@playwright/test';

/**
 * The `kiosk` fixture: a fresh data dir, the product started as a user starts
 * it, and a Page on its renderer — in the browser shell (Chromium) or the
 * Electron shell, by project. Specs never know which.
 */
export interface Kiosk {
  page: Page;
  dataDir: string;
  shell: 'browser' | 'electron';
  /** Output of the host process (browser shell), for assertions on logs. */
  output(): string;
}

const root = join(import.meta.dirname, '..', '..');
const CHROMIUM_ARGS = ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

export function electronBinary(): string | undefined {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

async function startBrowserShell(dataDir: string, configFile: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [join(root, 'dist', 'scripts', 'start.js'), '--shell', 'browser', '--headless', '--config', configFile], {
    env: { ...process.env, LIULIU_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kiosk did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /open (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`kiosk exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

export const test = base.extend<{ kioskConfig: Record<string, unknown>; kiosk: Kiosk }>({
  kioskConfig: [{}, { option: true }],
  kiosk: async ({ kioskConfig }, use, testInfo) => {
    const shell = testInfo.project.metadata['shell'] === 'electron' ? 'electron' : 'browser';
    const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-e2e-'));
    const configFile = join(dataDir, 'config.json');
    // Each kiosk's embedded hall server takes a free port unless the spec names one (tests run beside other kiosks).
    const queue = (kioskConfig['queue'] ?? {}) as Record<string, unknown>;
    // E2E drives the simulators from the developer panel, which a config must turn on (default off).
    writeFileSync(configFile, JSON.stringify({ developerMode: true, ...kioskConfig, queue: { ...queue, listen: { port: 0, ...((queue['listen'] as object | undefined) ?? {}) } } }));
    if (shell === 'electron') {
      const binary = electronBinary();
      if (binary === undefined) console.log(`[${testInfo.title}] electron-shell skipped: Electron's binary is not installed here`);
      test.skip(binary === undefined, "Electron's binary is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); the browser-shell project runs the same spec");
      const app = await electron.launch({
        executablePath: binary as string,
        args: [root, '--windowed', '--config', configFile],
        env: { ...process.env, LIULIU_DATA_DIR: dataDir },
      });
      const page = await app.firstWindow();
      await use({ page, dataDir, shell, output: () => '' });
      await app.close();
      return;
    }
    const started = await startBrowserShell(dataDir, configFile);
    const browser = await chromium.launch({ executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    // A context of its own (not browser.newPage): @axe-core/playwright needs one to analyse the page.
    const context = await browser.newContext({ viewport: { width: 1080, height: 1440 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(started.url);
    await use({ page, dataDir, shell, output: started.output });
    await browser.close();
    started.child.kill('SIGTERM');
    await new Promise((resolve) => started.child.once('exit', resolve));
  },
});

export { expect };

/** Decoded text of each job the printer simulator has received so far (it writes `<dataDir>/printer-jobs/job-NNNN.txt`). */
function jobTexts(dataDir: string): string[] {
  const dir = join(dataDir, 'printer-jobs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

/** Every print job's text, joined. */
export function printedJobs(dataDir: string): string {
  return jobTexts(dataDir).join('\n');
}

/** Waits for the print job whose text holds `needle` and returns that job's text. */
export async function printedJob(dataDir: string, needle: string, timeout = 20_000): Promise<string> {
  let found = '';
  await expect
    .poll(() => {
      found = jobTexts(dataDir).find((text) => text.includes(needle)) ?? '';
      return found !== '';
    }, { timeout })
    .toBe(true);
  return found;
}

/** Holds a finger on an element for longer than the staff hold (3 s): how staff reach their screen. */
export async function holdForStaff(page: Page, testId: string): Promise<void> {
  const box = await page.getByTestId(testId).boundingBox();
  if (box === null) throw new Error(`${testId} is not on screen`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(3500);
  await page.mouse.up();
}
