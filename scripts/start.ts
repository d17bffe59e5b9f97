import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBrowserShell } from '../electron/browser-shell/run.js';
import { ConfigError, EMBEDDED_DEMO_SOURCE, loadConfig } from '../electron/host/config/load.js';
import { createLogger } from '../electron/host/logging/logger.js';
import { superviseBrowserShell } from '../electron/supervisor/browser.js';
import { superviseElectronShell } from '../electron/supervisor/electron.js';
import { DEFAULT_POLICY } from '../electron/supervisor/policy.js';
import { ContentError } from '../electron/host/content/loader.js';
import { appRoot } from '../electron/host/paths.js';
import { parseFlags } from './cli.js';

/**
 * `npm start`: one command starts a kiosk under its supervisor
 * (electron/supervisor), which starts, watches and restarts the host and the
 * kiosk window: the Electron shell where Electron's binary is installed, else
 * the browser shell (host + Chromium). Flags: --shell electron|browser,
 * --headless (browser shell host only, unsupervised, no window: prints the
 * URL to open — development), --config FILE, --port N, --windowed (Electron,
 * not kiosk).
 */
const USAGE = 'usage: npm start -- [--shell electron|browser] [--headless] [--config FILE] [--port N] [--windowed]';

function electronBinary(): string | undefined {
  const pathFile = join(appRoot(), 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(appRoot(), 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

async function main(): Promise<number | undefined> {
  const { flags, values } = parseFlags(process.argv.slice(2));
  if (flags.has('help')) {
    console.log(USAGE);
    return 0;
  }
  const wanted = values.get('shell');
  if (wanted !== undefined && wanted !== 'electron' && wanted !== 'browser') {
    console.error(`unknown shell "${wanted}"\n${USAGE}`);
    return 2;
  }
  const configFile = values.get('config');
  const config = loadConfig(configFile);
  if (config.source === EMBEDDED_DEMO_SOURCE) {
    console.log('liuliu: no config file: running the embedded demo with DEVELOPER MODE ON (simulated devices, simulator panel on screen). A hall terminal uses a config file (deploy/).');
  }
  const electron = electronBinary();
  const headless = flags.has('headless');
  const logger = createLogger({ level: config.logging.level, stderr: true }).logger.child({ process: 'supervisor' });
  const policy = DEFAULT_POLICY;

  if (wanted === 'electron' || (wanted === undefined && electron !== undefined && !headless)) {
    if (!electron) {
      console.error('liuliu: the Electron shell was asked for, but Electron\'s binary is not installed here (see README: "Two shells").');
      return 1;
    }
    console.log(`liuliu: starting the Electron shell under its supervisor (${electron})`);
    const args = [appRoot(), ...process.argv.slice(2).filter((a) => a !== '--shell' && a !== 'electron')];
    superviseElectronShell({ binary: electron, args, dataDir: config.dataDir, logger, policy });
    return undefined;
  }

  const port = values.has('port') ? Number(values.get('port')) : undefined;
  if (!headless) {
    const why = electron === undefined ? "Electron's binary is not installed" : 'asked for';
    console.log(`liuliu: starting the browser shell under its supervisor (${why}): host + Chromium kiosk window`);
    await superviseBrowserShell({ config, configFile, ...(port !== undefined ? { port } : {}), logger, policy });
    console.log(`liuliu: supervisor running; data in ${config.dataDir}; restart record in ${config.dataDir}/run/restarts.json`);
    return undefined;
  }

  console.log('liuliu: starting the browser shell host (headless, unsupervised: development)');
  const shell = await runBrowserShell(config, { ...(port !== undefined ? { port } : {}), logToStderr: false });
  console.log(`liuliu: host ready in ${shell.host.bootMs} ms; data in ${config.dataDir}`);
  console.log(`liuliu: open ${shell.server.launchUrl}`);
  // Exit only once the host's stop has completed (modules stopped, database closed, log flushed).
  const stop = (): void => {
    void shell.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof ContentError) console.error(`liuliu: refusing to start: ${err.message}`);
    else console.error('liuliu: failed to start:', err);
    process.exit(1);
  },
);
