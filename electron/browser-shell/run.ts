import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../host/config/load.js';
import { startHost, type KioskHost } from '../host/index.js';
import { appRoot, rendererDist } from '../host/paths.js';
import { startBrowserShellServer, type BrowserShellServer } from './server.js';

/**
 * The browser shell's host side: the host in this Node process and the
 * renderer served on 127.0.0.1. The kiosk window (Chromium) is the
 * supervisor's to start and watch (electron/supervisor), never this process's.
 */
export interface BrowserShell {
  host: KioskHost;
  server: BrowserShellServer;
  /** Closes the server, then stops the host; resolves when both are done. */
  stop(): Promise<void>;
}

export async function runBrowserShell(config: ResolvedConfig, options: { port?: number; token?: string; logToStderr?: boolean } = {}): Promise<BrowserShell> {
  const host = await startHost(config, { logToStderr: options.logToStderr ?? false });
  let server: BrowserShellServer;
  try {
    server = await startBrowserShellServer({
      rendererDir: rendererDist(),
      bridgeScript: readFileSync(join(appRoot(), 'dist', 'bridge', 'bridge.js'), 'utf8'),
      port: options.port ?? config.browserShell.port,
      ...(options.token !== undefined ? { token: options.token } : {}),
      logger: host.logger,
      onConnection: (connection) => host.attach(connection),
    });
  } catch (err) {
    await host.stop();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    host,
    server,
    stop() {
      stopping ??= server.close().then(() => host.stop());
      return stopping;
    },
  };
}
