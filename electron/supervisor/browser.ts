import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { launchKioskWindow, chromiumPath, kioskWindowArgs } from '../browser-shell/chromium.js';
import { HEARTBEAT_INTERVAL_MS, type ToSupervised } from '../contract/index.js';
import type { ResolvedConfig } from '../host/config/load.js';
import type { Logger } from '../host/logging/logger.js';
import { appRoot } from '../host/paths.js';
import { CdpPipe, attachToPage } from './cdp.js';
import { hostEnvironment, isSilent, pageRemedy, type SupervisorPolicy } from './policy.js';
import { killGroup } from './child.js';
import { supervisorBase } from './supervisor.js';

/**
 * The browser shell under supervision: the host (a child Node process with an
 * IPC channel) and the kiosk window (Chromium, driven over a private DevTools
 * pipe). The supervisor owns the port and the start token, so a restarted
 * host serves the page already open and the page reconnects by itself; it
 * reloads a page whose renderer crashed or stopped beating, relaunches
 * Chromium when reloading does not help, and restarts whatever exits.
 */
export interface BrowserSupervisorOptions {
  config: ResolvedConfig;
  /** The config file the host should load (undefined: the host finds it as the supervisor did). */
  configFile: string | undefined;
  port?: number;
  logger: Logger;
  policy: SupervisorPolicy;
}

/** A free loopback port, when the config leaves it to the system: the supervisor keeps it for every host it starts. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function superviseBrowserShell(options: BrowserSupervisorOptions): Promise<{ stop(): Promise<void> }> {
  const { config, logger, policy } = options;
  const executable = chromiumPath(config.browserShell.chromiumPath);
  if (!executable) throw new Error('Chromium not found: install the Debian package chromium, set CHROMIUM, or run with --headless');
  const windowOptions = {
    profileDir: join(config.dataDir, 'chromium-profile'),
    extraArgs: config.browserShell.chromiumArgs,
    allowRootWithoutSandbox: config.developerMode,
  };
  // Checked before anything starts: a hall terminal running as root is refused here, not after the host is up.
  kioskWindowArgs(windowOptions, process.getuid?.() ?? -1);
  if (process.getuid?.() === 0) logger.warn('supervisor: running as root (developer mode): Chromium runs WITHOUT its sandbox');

  const base = supervisorBase({ dataDir: config.dataDir, logger, policy });
  const port = options.port ?? (config.browserShell.port !== 0 ? config.browserShell.port : await freeLoopbackPort());
  const token = randomBytes(24).toString('base64url');
  const launchUrl = `http://127.0.0.1:${port}/#token=${token}`;

  let hostReadyAt: number | undefined;
  let pageBeatAt: number | undefined;
  let page: { cdp: CdpPipe; sessionId: string; targetId: string } | undefined;
  let pageNavigatedAt = 0;
  let reloadsWithoutRecovery = 0;
  let announced = false;
  let lastCrashAt = 0;

  const hostEntry = join(appRoot(), 'dist', 'electron', 'browser-shell', 'host-process.js');
  const forkHost = (): ChildProcess =>
    fork(hostEntry, options.configFile !== undefined ? ['--config', options.configFile] : [], {
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
      env: hostEnvironment(process.env),
    });
  // A warm standby: a host process that has loaded its code (seconds on a busy machine) and waits for
  // `start`. When the host dies, the standby takes over at once, and a new standby is prepared later.
  let standby: ChildProcess | undefined;
  let stopping = false;
  const prepareStandby = (): void => {
    if (stopping || standby || !policy.warmStandbyHost) return;
    const spare = forkHost();
    spare.once('exit', () => {
      if (standby === spare) standby = undefined;
    });
    standby = spare;
  };
  const host = base.child({
    part: 'host',
    heartbeatTimeoutMs: policy.hostTimeoutMs,
    spawn: () => {
      const next = standby ?? forkHost();
      standby = undefined;
      return next;
    },
    onStart: (child) => {
      hostReadyAt = undefined;
      child.on('message', (raw) => {
        const message = base.parseMessage('host', raw);
        if (!message) return;
        host.beat();
        if (message.type === 'ready') {
          hostReadyAt = Date.now();
          logger.info({ port }, 'supervisor: host ready');
          if (!announced) {
            announced = true;
            base.notifier.ready(`serving on 127.0.0.1:${port}`);
          }
          if (!window.process) window.start();
          // Prepared once the host is up, so that it does not compete with the host's own start.
          setTimeout(prepareStandby, 5_000).unref();
        } else if (message.type === 'alive' && message.pageBeatAgoMs !== undefined && message.pageBeatAgoMs !== null) {
          pageBeatAt = Date.now() - message.pageBeatAgoMs;
          if (pageBeatAt > pageNavigatedAt) reloadsWithoutRecovery = 0;
        }
      });
      const start: ToSupervised = { type: 'start', port, token };
      child.send(start);
      base.writeState({ host: child, window: window.process });
    },
    onExit: () => {
      hostReadyAt = undefined;
    },
  });

  const navigate = (why: string): void => {
    if (!page) return;
    pageNavigatedAt = Date.now();
    page.cdp.send('Page.navigate', { url: launchUrl }, page.sessionId).catch((err: unknown) => {
      logger.error({ err, why }, 'supervisor: cannot navigate the kiosk page; relaunching the window');
      window.kill(`cannot load the page (${why})`, 'relaunch');
    });
  };

  const window = base.child({
    part: 'window',
    spawn: () => launchKioskWindow({ executable, ...windowOptions }),
    onStart: (child: ChildProcess) => {
      base.writeState({ host: host.process, window: child });
      const cdp = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
      cdp.onEvent((event) => {
        const crashed =
          (event.method === 'Target.targetCrashed' && event.params['targetId'] === page?.targetId) ||
          (event.method === 'Inspector.targetCrashed' && event.sessionId === page?.sessionId);
        // Chromium reports one crash twice (Target and Inspector domains): act once.
        if (!crashed || Date.now() - lastCrashAt < 2_000) return;
        lastCrashAt = Date.now();
        base.record({ part: 'renderer', reason: `the page's renderer crashed${typeof event.params['status'] === 'string' ? ` (${event.params['status']})` : ''}`, action: 'reload', delayMs: 0 });
        reloadsWithoutRecovery += 1;
        navigate('renderer crashed');
      });
      void (async () => {
        await cdp.send('Target.setDiscoverTargets', { discover: true });
        const attached = await attachToPage(cdp);
        await cdp.send('Inspector.enable', {}, attached.sessionId);
        page = { cdp, ...attached };
        navigate('window started');
      })().catch((err: unknown) => {
        logger.error({ err }, 'supervisor: cannot drive the kiosk window');
        window.kill(`cannot drive the window: ${(err as Error).message}`, 'relaunch');
      });
    },
    onExit: () => {
      page?.cdp.close();
      page = undefined;
    },
  });

  // The page's liveness: judged only while its host is up and beating (a page cannot beat to a dead host).
  const pageWatch = setInterval(() => {
    const now = Date.now();
    const hostBeat = host.lastBeat;
    if (!page || hostReadyAt === undefined || hostBeat === undefined || now - hostBeat > 2 * HEARTBEAT_INTERVAL_MS) return;
    const since = Math.max(hostReadyAt, pageNavigatedAt);
    if (!isSilent(pageBeatAt, since, now, policy.pageTimeoutMs, policy.startupGraceMs)) return;
    const silentFor = Math.round((now - Math.max(pageBeatAt ?? 0, since)) / 1000);
    if (pageRemedy(reloadsWithoutRecovery, policy) === 'relaunch') {
      reloadsWithoutRecovery = 0;
      window.kill(`the page did not come back after ${policy.reloadsBeforeRelaunch} reloads`, 'relaunch');
      return;
    }
    base.record({ part: 'renderer', reason: `the page stopped answering (no heartbeat for ${silentFor} s)`, action: 'reload', delayMs: 0 });
    reloadsWithoutRecovery += 1;
    navigate('page silent');
  }, 1_000);
  pageWatch.unref();

  const stopAll = async (): Promise<void> => {
    stopping = true;
    clearInterval(pageWatch);
    killGroup(standby?.pid);
    await window.stop(3_000);
    await host.stop(10_000);
  };
  base.run([host, window], stopAll);
  host.start();
  return { stop: stopAll };
}
