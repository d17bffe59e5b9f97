import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBrowserShell } from '../electron/browser-shell/run.js';
import { ConfigError, loadConfig } from '../electron/host/config/load.js';
import { ContentError } from '../electron/host/content/loader.js';
import { appRoot } from '../electron/host/paths.js';
import { parseFlags } from './cli.js';

/**
 * `npm start`: the Electron shell where Electron's binary is installed, else
 * the browser shell. Flags: --shell electron|browser, --headless (browser
 * shell without opening Chromium: prints the URL), --config FILE, --port N,
 * --windowed (Electron, not kiosk).
 */
const USAGE = 'usage: npm start -- [--shell electron|browser] [--headless] [--config FILE] [--port N] [--windowed]';

function electronBinary(): string | undefined {
  const pathFile = join(appRoot(), 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(appRoot(), 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

async function main(): Promise<number> {
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
  const config = loadConfig(values.get('config'));
  const electron = electronBinary();
  const headless = flags.has('headless');

  if (wanted === 'electron' || (wanted === undefined && electron !== undefined && !headless)) {
    if (!electron) {
      console.error('liuliu: the Electron shell was asked for, but Electron\'s binary is not installed here (see README: "Two shells").');
      return 1;
    }
    console.log(`liuliu: starting the Electron shell (${electron})`);
    const args = [appRoot(), ...process.argv.slice(2).filter((a) => a !== '--shell' && a !== 'electron')];
    const child = spawn(electron, args, { stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }

  const why = electron === undefined ? "Electron's binary is not installed" : wanted === 'browser' ? 'asked for' : 'headless';
  console.log(`liuliu: starting the browser shell (${why}${headless ? ', headless' : ', Chromium kiosk window'})`);
  const port = values.has('port') ? Number(values.get('port')) : undefined;
  const shell = await runBrowserShell(config, { headless, ...(port !== undefined ? { port } : {}), logToStderr: false });
  console.log(`liuliu: host ready in ${shell.host.bootMs} ms; data in ${config.dataDir}`);
  if (headless) console.log(`liuliu: open ${shell.server.launchUrl}`);
  const stop = (): void => {
    void shell.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  shell.chromium?.on('exit', stop);
  return new Promise<number>(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof ContentError) console.error(`liuliu: refusing to start: ${err.message}`);
    else console.error('liuliu: failed to start:', err);
    process.exit(1);
  },
);
