import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';

/**
 * The kiosk left alone: started as a hall starts it (one command, the
 * supervisor), then its host killed -9, its renderer killed, its Chromium
 * made to exit. Each time the kiosk must come back to its attract screen by
 * itself within 15 s, the page reconnecting to the restarted host. The
 * window here is headless Chromium, reached by Playwright over the DevTools
 * port the test config adds (a hall's config has none).
 */
const root = join(import.meta.dirname, '..', '..');
const RECOVERY_MS = 15_000;

interface Running {
  child: ChildProcess;
  dataDir: string;
  output(): string;
}

function state(dataDir: string): { pid: number; parts: { host: number | null; window: number | null } } | undefined {
  const file = join(dataDir, 'run', 'supervisor.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; parts: { host: number | null; window: number | null } }) : undefined;
}

function restarts(dataDir: string): Array<{ part: string; reason: string; action: string }> {
  return (JSON.parse(readFileSync(join(dataDir, 'run', 'restarts.json'), 'utf8')) as { restarts: Array<{ part: string; reason: string; action: string }> }).restarts;
}

/** Live (not zombie) processes, with their process group and command line. */
function processes(): Array<{ pid: number; pgid: number; state: string; cmdline: string; environ: string }> {
  const list = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let environ = '';
      try {
        environ = readFileSync(`/proc/${name}/environ`, 'utf8');
      } catch {
        // another user's process: not readable, which is the point
      }
      list.push({ pid: Number(name), state: fields[0] ?? '', pgid: Number(fields[2]), cmdline, environ });
    } catch {
      // gone meanwhile
    }
  }
  return list.filter((p) => p.state !== 'Z');
}

async function startKiosk(): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-e2e-supervisor-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      developerMode: true,
      session: { idleTimeoutSeconds: 600, countdownSeconds: 15 },
      queue: { listen: { port: 0 } },
      browserShell: { chromiumArgs: ['--headless', '--disable-gpu', '--remote-debugging-port=0'] },
    }),
  );
  const child = spawn(process.execPath, [join(root, 'dist', 'scripts', 'start.js'), '--config', configFile], {
    env: { ...process.env, LIULIU_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, dataDir, output: () => output };
}

/** Connects to the kiosk's current Chromium (after a relaunch: the new one) and returns its kiosk page. */
async function attach(running: Running, previousWindow?: number | null): Promise<{ browser: Browser; page: Page; window: number }> {
  let window = 0;
  await expect
    .poll(() => {
      window = state(running.dataDir)?.parts.window ?? 0;
      return window !== 0 && window !== previousWindow;
    }, { timeout: 90_000 })
    .toBe(true);
  const portFile = join(running.dataDir, 'chromium-profile', 'DevToolsActivePort');
  let browser: Browser | undefined;
  await expect
    .poll(async () => {
      if (!existsSync(portFile)) return false;
      const port = readFileSync(portFile, 'utf8').split('\n')[0];
      browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => undefined);
      return browser !== undefined;
    }, { timeout: 90_000 })
    .toBe(true);
  const connected = browser as Browser;
  let page: Page | undefined;
  await expect
    .poll(() => {
      page = connected.contexts().flatMap((context) => context.pages()).find((p) => p.url().startsWith('http://127.0.0.1:'));
      return page !== undefined;
    }, { timeout: 90_000 })
    .toBe(true);
  return { browser: connected, page: page as Page, window };
}

/** When the host logged the page (re)connecting after `since` (epoch ms), from its log files. */
function pageConnectedAfter(dataDir: string, since: number): number | undefined {
  const dir = join(dataDir, 'logs');
  if (!existsSync(dir)) return undefined;
  const times = readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.includes('"msg":"renderer connected"'))
    .map((line) => (JSON.parse(line) as { time: number }).time)
    .filter((time) => time > since);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/**
 * Recovered = the page is connected to a serving host again, within 15 s of the failure; then it must be
 * on the attract screen. How long the page then takes to draw depends on the machine's load (a headless
 * renderer starved on a shared 2-core machine took 10 s for it), so the total is printed, not bounded here.
 */
async function expectRecovered(running: Running, page: Page, killedAt: number, what: string): Promise<void> {
  let connectedAt: number | undefined;
  await expect
    .poll(() => {
      connectedAt = pageConnectedAfter(running.dataDir, killedAt);
      return connectedAt !== undefined;
    }, { timeout: RECOVERY_MS })
    .toBe(true);
  expect((connectedAt as number) - killedAt).toBeLessThan(RECOVERY_MS);
  await expect(page.getByTestId('attract-screen')).toBeVisible({ timeout: 60_000 });
  console.log(`[supervisor e2e] ${what}: page reconnected after ${(connectedAt as number) - killedAt} ms, attract screen after ${Date.now() - killedAt} ms`);
}

let running: Running | undefined;
test.afterEach(async () => {
  if (!running) return;
  const { child } = running;
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  running = undefined;
});

test('the kiosk comes back to its attract screen by itself after its host, its renderer or its Chromium dies', async () => {
  test.skip(test.info().project.metadata['shell'] !== 'browser', 'the browser shell under its supervisor (the Electron shell is tested against its test double)');
  test.setTimeout(400_000);
  running = await startKiosk();
  let { browser, page, window } = await attach(running);
  await expect(page.getByTestId('attract-screen')).toBeVisible({ timeout: 90_000 });

  // The token reached the page, but no process's arguments or environment carry it.
  const token = await page.evaluate(() => sessionStorage.getItem('liuliu.token'));
  expect(token).toMatch(/^[\w-]{20,}$/);
  for (const p of processes()) {
    expect(p.cmdline, `process ${p.pid}`).not.toContain(token as string);
    expect(p.environ, `process ${p.pid}`).not.toContain(token as string);
  }

  // 1. kill -9 of the host: the page says it is restoring within 2 s, then is back on the attract screen,
  //    and nothing the host had started (the ID-card simulator's socat) is left behind.
  const host = state(running.dataDir)?.parts.host as number;
  expect(processes().some((p) => p.pgid === host && p.cmdline.startsWith('socat'))).toBe(true);
  let killedAt = Date.now();
  process.kill(host, 'SIGKILL');
  // The page noticed within 2 s (the notice carries the moment it did). It is read as soon as it appears, in one
  // go: with the warm standby host the kiosk may be back before a second look.
  const notice = await page.waitForFunction(
    () => {
      const element = document.querySelector('[data-testid="restoring"]');
      return element ? { text: element.textContent ?? '', since: Number(element.getAttribute('data-since')) } : null;
    },
    undefined,
    { timeout: 10_000, polling: 50 },
  );
  const { text, since } = (await notice.jsonValue()) as { text: string; since: number };
  expect(since - killedAt).toBeLessThan(2_000);
  expect(text).toContain('系统正在恢复，请稍候');
  expect(text).toContain('Restoring, please wait');
  await expectRecovered(running, page, killedAt, 'kill -9 of the host');
  expect(processes().filter((p) => p.pgid === host)).toEqual([]);
  expect(restarts(running.dataDir)).toContainEqual(expect.objectContaining({ part: 'host', reason: 'killed by SIGKILL', action: 'restart' }));

  // 2. The renderer is killed in the middle of a citizen's session: the page is reloaded onto the attract
  //    screen, and the host ended her session as a timeout would.
  await page.getByTestId('dev-open').click();
  await page.getByTestId('dev-place-zhang').click();
  await expect(page.getByTestId('greeting')).toHaveText('张*丰，您好', { timeout: 15_000 });
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
  const renderers = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  expect(renderers.length).toBeGreaterThan(0);
  await browser.close();
  killedAt = Date.now();
  for (const pid of renderers) process.kill(pid, 'SIGKILL');
  // Attach once the supervisor has reloaded the page (Playwright does not adopt a page while its renderer is dead).
  await expect.poll(() => restarts(running?.dataDir as string).some((r) => r.part === 'renderer'), { timeout: RECOVERY_MS }).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  ({ browser, page } = await attach(running));
  await expectRecovered(running, page, killedAt, 'kill of the renderer');
  await expect(page.getByTestId('greeting')).toHaveCount(0);
  expect(restarts(running.dataDir)).toContainEqual(expect.objectContaining({ part: 'renderer', action: 'reload' }));
  expect(running.output()).toMatch(/"reason":"timeout".*"msg":"session ended"|"msg":"session ended".*"reason":"timeout"/);
  expect(await page.content()).not.toContain('张*丰');

  // 3. Chromium exits: it is started again and the page opened on the attract screen.
  await browser.close();
  killedAt = Date.now();
  process.kill(window, 'SIGTERM');
  ({ browser, page, window } = await attach(running, window));
  await expectRecovered(running, page, killedAt, 'exit of Chromium');
  expect(restarts(running.dataDir)).toContainEqual(expect.objectContaining({ part: 'window', action: 'restart' }));
  await browser.close();

  // A clean stop: SIGTERM to the supervisor stops the host completely before anything exits; nothing is left.
  const groups = [state(running.dataDir)?.parts.host, window];
  running.child.kill('SIGTERM');
  await new Promise((resolve) => running?.child.once('exit', resolve));
  expect(running.output()).toContain('"msg":"host stopped"');
  expect(processes().filter((p) => groups.includes(p.pgid))).toEqual([]);
});
