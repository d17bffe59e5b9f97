import { readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../common/csp.js';
import type { FromSupervised, RestartRecord } from '../contract/index.js';
import type { Logger } from '../host/logging/logger.js';
import type { Connection } from '../host/rpc/server.js';

/**
 * The Electron shell's parts, each a function over Electron's API so that
 * they are tested against a test double of the `electron` module
 * (main.test.ts): the locked-down kiosk window, the renderer's protocol, the
 * IPC transport with its sender check, and the renderer watch that reloads a
 * crashed or hung page and has the whole shell restarted after repeated
 * failures.
 */
export const SCHEME = 'liuliu';
export const ORIGIN = `${SCHEME}://app`;
export const CHANNEL = 'liuliu:rpc';

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

/** The only permission the page may have: choosing the speaker for the robot's voice. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['speaker-selection']);

/** The kiosk window. The options are written out here, in the constructor call, so that electronegativity can check them. */
export function createKioskWindow(preload: string, windowed: boolean): BrowserWindow {
  return new BrowserWindow({
    kiosk: !windowed,
    fullscreen: !windowed,
    width: 1080,
    height: 1920,
    autoHideMenuBar: true,
    backgroundColor: '#0b3d91',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click must not open a link in a new window (the window-open handler denies it too).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
}

/** Serves the built renderer on liuliu://app, nothing outside it, every response with the CSP. */
export function serveRenderer(root: string): void {
  protocol.handle(SCHEME, (request) => {
    const url = new URL(request.url);
    const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = normalize(join(root, path));
    if (url.host !== 'app' || !file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    try {
      return new Response(readFileSync(file), {
        headers: { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

/** One IPC connection per window's webContents; messages from any other webContents, a subframe or another origin are dropped. */
export function ipcConnection(contents: WebContents): Connection {
  const listeners: Array<(text: string) => void> = [];
  ipcMain.on(CHANNEL, (event, text: unknown) => {
    if (event.sender !== contents) return;
    if (!event.senderFrame || event.senderFrame.parent !== null || !event.senderFrame.url.startsWith(`${ORIGIN}/`)) return;
    if (typeof text === 'string') listeners.forEach((listener) => listener(text));
  });
  return {
    label: `ipc:webContents#${contents.id}`,
    send: (text) => {
      if (!contents.isDestroyed()) contents.send(CHANNEL, text);
    },
    onMessage: (listener) => void listeners.push(listener),
    onClose: (listener) => void contents.once('destroyed', listener),
  };
}

/** Every webContents: no new windows, no navigation away from the app, no webviews, no permissions but one. */
export function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  contents.session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

export interface RendererWatchOptions {
  logger: Logger;
  /** The citizen's screen is gone: end her session as a timeout would. */
  endSession(): void;
  /** For the supervisor's restart record. */
  report(record: Omit<RestartRecord, 'at'>): void;
  /** Give up on reloading: the shell restarts (under the supervisor: exit and be restarted). */
  relaunch(reason: string): void;
  /** Crashes within this window count together. */
  windowMs: number;
  /** This many renderer failures (or GPU process crashes) within the window and the shell restarts. */
  maxFailures: number;
  /** A renderer reported unresponsive this long is crashed on purpose and reloaded. */
  unresponsiveGraceMs: number;
  now?: () => number;
}

/**
 * Watches the window's renderer: a renderer that is gone (crashed, killed,
 * out of memory) is reloaded; one that stops answering is crashed on purpose
 * after a grace, then reloaded; the shell restarts after repeated failures.
 * A GPU process that keeps dying restarts the shell too.
 */
export function watchRenderer(window: BrowserWindow, options: RendererWatchOptions): void {
  const now = options.now ?? Date.now;
  const failures: number[] = [];
  const gpuCrashes: number[] = [];
  let unresponsiveTimer: NodeJS.Timeout | undefined;
  const contents = window.webContents;

  const tooMany = (list: number[]): boolean => {
    const at = now();
    list.push(at);
    while (list.length > 0 && at - (list[0] as number) > options.windowMs) list.shift();
    return list.length >= options.maxFailures;
  };

  const recover = (reason: string): void => {
    options.endSession();
    if (tooMany(failures)) {
      options.report({ part: 'renderer', reason: `${reason}; ${options.maxFailures} failures within ${Math.round(options.windowMs / 1000)} s`, action: 'relaunch', delayMs: 0 });
      options.relaunch(reason);
      return;
    }
    options.report({ part: 'renderer', reason, action: 'reload', delayMs: 0 });
    if (!contents.isDestroyed()) contents.reload();
  };

  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    clearTimeout(unresponsiveTimer);
    options.logger.error({ reason: details.reason, exitCode: details.exitCode }, 'renderer process gone');
    recover(`the page's renderer is gone (${details.reason})`);
  });
  window.on('unresponsive', () => {
    options.logger.warn('renderer unresponsive');
    clearTimeout(unresponsiveTimer);
    unresponsiveTimer = setTimeout(() => {
      options.logger.error('renderer still unresponsive: crashing it on purpose to reload it');
      // forcefullyCrashRenderer fires render-process-gone (reason: killed), which reloads.
      if (!contents.isDestroyed()) contents.forcefullyCrashRenderer();
    }, options.unresponsiveGraceMs);
  });
  window.on('responsive', () => clearTimeout(unresponsiveTimer));
  app.on('child-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    options.logger.error({ type: details.type, reason: details.reason }, 'child process gone');
    if (details.type === 'GPU' && tooMany(gpuCrashes)) {
      options.report({ part: 'window', reason: `the GPU process keeps crashing (${details.reason})`, action: 'relaunch', delayMs: 0 });
      options.relaunch('GPU process crash loop');
    }
  });
}

/** Messages to the supervisor when there is one (the shell was started by `npm start` with an IPC channel). */
export function supervisorChannel(): { send(message: FromSupervised): void; readonly supervised: boolean } {
  return {
    supervised: typeof process.send === 'function',
    send(message) {
      if (process.connected) process.send?.(message);
    },
  };
}
