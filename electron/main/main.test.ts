import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, WebContents } from 'electron';
import { silentLogger } from '../host/logging/logger.js';
import type { RestartRecord } from '../contract/index.js';
import { FakeBrowserWindow, FakeWebContents, app, ipcEvent, ipcMain, protocol } from './testing.js';

// electron/main runs against the test double: Electron's binary is not installed here.
vi.mock('electron', () => import('./testing.js'));
const { CHANNEL, ORIGIN, SCHEME, createKioskWindow, ipcConnection, lockDown, serveRenderer, watchRenderer } = await import('./shell.js');

const asContents = (fake: FakeWebContents): WebContents => fake as unknown as WebContents;
const asWindow = (fake: FakeBrowserWindow): BrowserWindow => fake as unknown as BrowserWindow;

describe('the kiosk window', () => {
  it('is a full-screen kiosk with the renderer sandboxed and isolated, no Node in it', () => {
    const options = (createKioskWindow('/app/preload/index.cjs', false) as unknown as FakeBrowserWindow).options;
    expect(options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect((createKioskWindow('/p', true) as unknown as FakeBrowserWindow).options).toMatchObject({ kiosk: false, fullscreen: false });
  });

  it('blocks new windows, navigation and redirects away from the app, webviews, and every permission but one', () => {
    const contents = new FakeWebContents();
    lockDown(asContents(contents));
    expect((contents.windowOpenHandler as unknown as () => unknown)()).toEqual({ action: 'deny' });
    const navigate = (event: string, url: string): boolean => {
      const preventDefault = vi.fn();
      contents.emit(event, { preventDefault }, url);
      return preventDefault.mock.calls.length > 0;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'liuliu://app.evil/')).toBe(true);
    expect(navigate('will-navigate', `${ORIGIN}/index.html`)).toBe(false);
    expect(navigate('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    const attach = vi.fn();
    contents.emit('will-attach-webview', { preventDefault: attach });
    expect(attach).toHaveBeenCalled();

    const answers = new Map<string, boolean>();
    const request = contents.session.permissionRequestHandler as unknown as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'speaker-selection']) request(contents, permission, (ok) => answers.set(permission, ok));
    expect(Object.fromEntries(answers)).toEqual({ media: false, geolocation: false, notifications: false, openExternal: false, 'clipboard-read': false, 'speaker-selection': true });
    const check = contents.session.permissionCheckHandler as unknown as (c: unknown, p: string) => boolean;
    expect(check(contents, 'media')).toBe(false);
  });

  it('serves only the renderer folder over liuliu://app, with the CSP', async () => {
    const root = mkdtempSync(join(tmpdir(), 'liuliu-main-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<html></html>');
    serveRenderer(root);
    const handler = protocol.handlers.get(SCHEME) as (request: Request) => Response;
    const index = handler(new Request(`${ORIGIN}/`));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(handler(new Request(`${ORIGIN}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect(handler(new Request(`${SCHEME}://other/index.html`)).status).toBe(404);
    expect(handler(new Request(`${ORIGIN}/missing.js`)).status).toBe(404);
  });
});

describe('the IPC transport', () => {
  beforeEach(() => ipcMain.removeAllListeners());

  it('takes messages only from its own window, top frame, app origin, as text', () => {
    const own = new FakeWebContents();
    const other = new FakeWebContents();
    const received: string[] = [];
    const connection = ipcConnection(asContents(own));
    connection.onMessage((text) => received.push(text));
    ipcMain.emit(CHANNEL, ipcEvent(other, `${ORIGIN}/`), 'from another window');
    ipcMain.emit(CHANNEL, ipcEvent(own, `${ORIGIN}/`, {}), 'from a subframe');
    ipcMain.emit(CHANNEL, ipcEvent(own, 'https://evil.example/'), 'from another origin');
    ipcMain.emit(CHANNEL, { sender: own, senderFrame: null }, 'from a frame already gone');
    ipcMain.emit(CHANNEL, ipcEvent(own, `${ORIGIN}/`), { not: 'text' });
    ipcMain.emit(CHANNEL, ipcEvent(own, `${ORIGIN}/`), 'hello');
    expect(received).toEqual(['hello']);
    connection.send('reply');
    expect(own.sent).toEqual([[CHANNEL, 'reply']]);
    own.destroyed = true;
    connection.send('after the end');
    expect(own.sent).toHaveLength(1);
  });
});

describe('the renderer watch', () => {
  let window: FakeBrowserWindow;
  let reports: Array<Omit<RestartRecord, 'at'>>;
  let relaunches: string[];
  let endedSessions: number;
  let clock: number;

  beforeEach(() => {
    vi.useFakeTimers();
    app.removeAllListeners();
    window = new FakeBrowserWindow({});
    reports = [];
    relaunches = [];
    endedSessions = 0;
    clock = 0;
    watchRenderer(asWindow(window), {
      logger: silentLogger(),
      endSession: () => void (endedSessions += 1),
      report: (record) => reports.push(record),
      relaunch: (reason) => relaunches.push(reason),
      windowMs: 60_000,
      maxFailures: 3,
      unresponsiveGraceMs: 5_000,
      now: () => clock,
    });
  });
  afterEach(() => vi.useRealTimers());

  it('reloads a renderer that is gone, ending the citizen session, and relaunches after repeated failures', () => {
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(window.webContents.reloads).toBe(1);
    expect(endedSessions).toBe(1);
    expect(reports).toEqual([{ part: 'renderer', reason: "the page's renderer is gone (crashed)", action: 'reload', delayMs: 0 }]);
    clock = 10_000;
    window.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 0 });
    expect(window.webContents.reloads).toBe(2);
    clock = 20_000;
    window.webContents.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
    expect(window.webContents.reloads).toBe(2);
    expect(relaunches).toHaveLength(1);
    expect(reports.at(-1)?.action).toBe('relaunch');
  });

  it('forgets failures older than the window', () => {
    for (const at of [0, 70_000, 140_000, 210_000]) {
      clock = at;
      window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    }
    expect(window.webContents.reloads).toBe(4);
    expect(relaunches).toEqual([]);
  });

  it('ignores a clean exit', () => {
    window.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(window.webContents.reloads).toBe(0);
    expect(reports).toEqual([]);
  });

  it('crashes a renderer that stays unresponsive, which reloads it; one that answers again is left alone', () => {
    window.emit('unresponsive');
    vi.advanceTimersByTime(4_000);
    window.emit('responsive');
    vi.advanceTimersByTime(10_000);
    expect(window.webContents.reloads).toBe(0);
    window.emit('unresponsive');
    vi.advanceTimersByTime(5_001);
    expect(window.webContents.reloads).toBe(1);
    expect(reports[0]?.reason).toContain('killed');
  });

  it('relaunches when the GPU process keeps crashing, not for one utility process', () => {
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'crashed' });
    for (let i = 0; i < 2; i++) app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed' });
    expect(relaunches).toEqual([]);
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed' });
    expect(relaunches).toEqual(['GPU process crash loop']);
  });
});
