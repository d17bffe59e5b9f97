import { readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, protocol, session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../common/csp.js';
import { loadConfig } from '../host/config/load.js';
import { startHost, type KioskHost } from '../host/index.js';
import { rendererDist } from '../host/paths.js';
import type { Connection } from '../host/rpc/server.js';

/**
 * The Electron shell. It only opens one locked-down kiosk window and carries
 * the contract over IPC; everything else is the host, which runs here in the
 * main process (see electron/README.md for why).
 */
const SCHEME = 'liuliu';
const ORIGIN = `${SCHEME}://app`;
const CHANNEL = 'liuliu:rpc';
const args = process.argv.slice(2);
const windowed = args.includes('--windowed');

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
Menu.setApplicationMenu(null);

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

function serveRenderer(): void {
  const root = rendererDist();
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

/** One IPC connection per window's webContents; messages from any other frame are dropped. */
function ipcConnection(contents: WebContents): Connection {
  const listeners: Array<(text: string) => void> = [];
  ipcMain.on(CHANNEL, (event, text: unknown) => {
    if (event.sender !== contents) return;
    if (event.senderFrame?.parent !== null || !event.senderFrame.url.startsWith(`${ORIGIN}/`)) return;
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

function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'speaker-selection'));
}

async function main(): Promise<void> {
  const configArg = args.indexOf('--config');
  const config = loadConfig(configArg >= 0 ? args[configArg + 1] : undefined);
  let host: KioskHost;
  try {
    host = await startHost(config, { logToStderr: true });
  } catch (err) {
    console.error(`Liuliu cannot start: ${(err as Error).message}`);
    app.exit(1);
    return;
  }
  serveRenderer();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );
  app.on('web-contents-created', (_event, contents) => lockDown(contents));

  const window = new BrowserWindow({
    kiosk: !windowed,
    fullscreen: !windowed,
    width: 1080,
    height: 1920,
    autoHideMenuBar: true,
    backgroundColor: '#0b3d91',
    webPreferences: {
      preload: join(import.meta.dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  host.attach(ipcConnection(window.webContents));
  await window.loadURL(`${ORIGIN}/`);
  app.on('window-all-closed', () => {
    void host.stop().then(() => app.quit());
  });
}

void app.whenReady().then(main);
