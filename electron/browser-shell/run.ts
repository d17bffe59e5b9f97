import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { ResolvedConfig } from '../host/config/load.js';
import { startHost, type KioskHost } from '../host/index.js';
import { appRoot, rendererDist } from '../host/paths.js';
import { chromiumPath, launchChromiumKiosk } from './chromium.js';
import { startBrowserShellServer, type BrowserShellServer } from './server.js';

/**
 * The browser shell: the host in this Node process, the renderer served on
 * 127.0.0.1, and (unless headless) Chromium opened on it in kiosk mode.
 */
export interface BrowserShell {
  host: KioskHost;
  server: BrowserShellServer;
  chromium?: ChildProcess;
  stop(): Promise<void>;
}

export async function runBrowserShell(config: ResolvedConfig, options: { headless: boolean; port?: number; logToStderr?: boolean }): Promise<BrowserShell> {
  const host = await startHost(config, { logToStderr: options.logToStderr ?? false });
  let server: BrowserShellServer;
  try {
    server = await startBrowserShellServer({
      rendererDir: rendererDist(),
      bridgeScript: readFileSync(join(appRoot(), 'dist', 'bridge', 'bridge.js'), 'utf8'),
      port: options.port ?? config.browserShell.port,
      logger: host.logger,
      onConnection: (connection) => host.attach(connection),
    });
  } catch (err) {
    await host.stop();
    throw err;
  }
  let chromium: ChildProcess | undefined;
  if (!options.headless) {
    const executable = chromiumPath(config.browserShell.chromiumPath);
    if (!executable) {
      await server.close();
      await host.stop();
      throw new Error('Chromium not found: install the Debian package chromium, set CHROMIUM, or run with --headless');
    }
    chromium = launchChromiumKiosk(executable, server.launchUrl, join(config.dataDir, 'chromium-profile'));
  }
  return {
    host,
    server,
    ...(chromium ? { chromium } : {}),
    async stop() {
      chromium?.kill('SIGTERM');
      await server.close();
      await host.stop();
    },
  };
}
