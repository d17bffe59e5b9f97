import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

/** Flags that keep Chromium quiet on a closed network and out of the citizen's way. */
const QUIET_FLAGS = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-translate',
  '--disable-features=Translate,MediaRouter',
  '--disable-pinch',
  '--overscroll-history-navigation=0',
  '--password-store=basic',
];

export function chromiumPath(configured?: string): string | undefined {
  const candidates = [configured, process.env['CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((c): c is string => !!c);
  return candidates.find((candidate) => existsSync(candidate));
}

/** Chromium refuses its sandbox as root: a kiosk runs as its own unprivileged user (deploy/), never as root. */
export class ChromiumAsRootError extends Error {
  constructor() {
    super('refusing to run Chromium as root without its sandbox: run the kiosk as its own user (see deploy/README.md); developer machines may set developerMode');
    this.name = 'ChromiumAsRootError';
  }
}

export interface KioskWindowOptions {
  executable: string;
  profileDir: string;
  /** Extra flags from the config (e.g. `--ozone-platform=wayland`; tests: `--headless`). */
  extraArgs: readonly string[];
  /** Running as root is allowed only here (developer machines, containers), with the sandbox off and said so. */
  allowRootWithoutSandbox: boolean;
}

/**
 * Starts Chromium as the kiosk window (full screen, no browser UI) on a blank
 * page, with the DevTools protocol on a private pipe (fd 3 in, fd 4 out):
 * the supervisor navigates it to the tokened URL over that pipe, so the
 * token is never on a command line. In its own process group, so its
 * helpers die with it.
 */
export function launchKioskWindow(options: KioskWindowOptions): ChildProcess {
  const args = kioskWindowArgs(options, process.getuid?.() ?? -1);
  mkdirSync(options.profileDir, { recursive: true, mode: 0o700 });
  return spawn(options.executable, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true });
}

/** The command line (pure, for tests): never a URL with a token, the sandbox on unless root was explicitly allowed. */
export function kioskWindowArgs(options: Omit<KioskWindowOptions, 'executable'>, uid: number): string[] {
  const args = [...QUIET_FLAGS, `--user-data-dir=${options.profileDir}`, '--remote-debugging-pipe', '--kiosk', '--app=about:blank', ...options.extraArgs];
  if (uid === 0) {
    if (!options.allowRootWithoutSandbox) throw new ChromiumAsRootError();
    args.push('--no-sandbox');
  }
  // Headless Chromium ignores --app and opens the distribution's start page instead: give it the blank page.
  if (options.extraArgs.some((arg) => arg.startsWith('--headless'))) args.push('about:blank');
  return args;
}

/** For tools and tests that drive headless Chromium with Playwright (smoke, E2E), not the kiosk. */
export const HEADLESS_CHROMIUM_ARGS = ['--headless', '--disable-gpu', ...QUIET_FLAGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
