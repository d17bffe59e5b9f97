import { join } from 'node:path';
import { app, Menu, protocol, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../common/csp.js';
import { HEARTBEAT_INTERVAL_MS } from '../contract/index.js';
import { loadConfig } from '../host/config/load.js';
import { startHost, type KioskHost } from '../host/index.js';
import { rendererDist } from '../host/paths.js';
import { ORIGIN, SCHEME, createKioskWindow, ipcConnection, lockDown, serveRenderer, supervisorChannel, watchRenderer } from './shell.js';

/**
 * The Electron shell. It only opens one locked-down kiosk window and carries
 * the contract over IPC; everything else is the host, which runs here in the
 * main process (see electron/README.md for why). Started by the supervisor
 * (electron/supervisor), it beats over the IPC channel and reports what it
 * recovered by itself.
 */
const args = process.argv.slice(2);
const windowed = args.includes('--windowed');
const supervisor = supervisorChannel();

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
Menu.setApplicationMenu(null);
app.on('web-contents-created', (_event, contents) => lockDown(contents));

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
  if (supervisor.supervised) setInterval(() => supervisor.send({ type: 'alive' }), HEARTBEAT_INTERVAL_MS).unref();
  serveRenderer(rendererDist());
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );

  const window = createKioskWindow(join(import.meta.dirname, '..', 'preload', 'index.cjs'), windowed);
  host.attach(ipcConnection(window.webContents));
  watchRenderer(window, {
    logger: host.logger,
    endSession: () => void host.sessions.end('timeout'),
    report: (record) => supervisor.send({ type: 'recovered', record: { at: new Date().toISOString(), ...record } }),
    relaunch: (reason) => {
      host.logger.error({ reason }, 'restarting the Electron shell');
      void host.stop().finally(() => {
        // Under the supervisor, exiting is the restart (it keeps the process tree); alone, Electron relaunches itself.
        if (!supervisor.supervised) app.relaunch();
        app.exit(1);
      });
    },
    windowMs: 60_000,
    maxFailures: 3,
    unresponsiveGraceMs: 5_000,
  });
  await window.loadURL(`${ORIGIN}/`);
  supervisor.send({ type: 'ready' });
  app.on('window-all-closed', () => {
    void host.stop().then(() => app.quit());
  });
}

void app.whenReady().then(main);
