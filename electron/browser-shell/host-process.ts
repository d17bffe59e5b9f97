import { type FromSupervised, HEARTBEAT_INTERVAL_MS, ToSupervised } from '../contract/index.js';
import { loadConfig } from '../host/config/load.js';
import { runBrowserShell, type BrowserShell } from './run.js';

/**
 * The browser shell's host as the supervisor runs it (electron/supervisor):
 * a child process with a Node IPC channel. It waits for `start` (port and
 * token: the supervisor keeps both, so a restarted host serves the page that
 * is already open), serves, then beats every second with how long ago the
 * page last beat. It stops cleanly on `stop` or SIGTERM, and stops and exits
 * when the supervisor is gone (the IPC channel closes), so no host outlives it.
 * Arguments: `--config FILE` (optional).
 */
if (!process.send) {
  console.error('host-process: must be started by the supervisor (no IPC channel); use npm start');
  process.exit(2);
}

const send = (message: FromSupervised): void => {
  if (process.connected) process.send?.(message);
};
const configIndex = process.argv.indexOf('--config');
const config = loadConfig(configIndex >= 0 ? process.argv[configIndex + 1] : undefined);
let shell: BrowserShell | undefined;
let stopping: Promise<void> | undefined;

function stop(code: number): void {
  stopping ??= (async () => {
    try {
      await shell?.stop();
    } finally {
      process.exit(code);
    }
  })();
}

async function listen(port: number, token: string): Promise<BrowserShell> {
  // The previous host may have died a moment ago: its port comes free when the kernel has reaped it.
  for (let attempt = 0; ; attempt++) {
    try {
      return await runBrowserShell(config, { port, token, logToStderr: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

process.on('message', (raw: unknown) => {
  const parsed = ToSupervised.safeParse(raw);
  if (!parsed.success) {
    console.error('host-process: ignored a malformed message from the supervisor');
    return;
  }
  const message = parsed.data;
  if (message.type === 'stop') return stop(0);
  if (shell || stopping) return;
  listen(message.port, message.token).then(
    (started) => {
      shell = started;
      send({ type: 'ready', port: started.server.port });
      setInterval(() => {
        const beat = started.server.lastPageBeatAt();
        send({ type: 'alive', pageBeatAgoMs: beat === undefined ? null : Date.now() - beat });
      }, HEARTBEAT_INTERVAL_MS).unref();
    },
    (err: unknown) => {
      console.error('host-process: cannot start:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
