import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';

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

/** Opens the kiosk page in Chromium's app + kiosk mode (full screen, no browser UI). */
export function launchChromiumKiosk(executable: string, url: string, profileDir: string): ChildProcess {
  mkdirSync(profileDir, { recursive: true });
  const args = [...QUIET_FLAGS, `--user-data-dir=${profileDir}`, '--kiosk', `--app=${url}`];
  if (process.getuid?.() === 0) args.push('--no-sandbox'); // Chromium refuses to run as root with its sandbox
  return spawn(executable, args, { stdio: 'ignore' });
}

export const HEADLESS_CHROMIUM_ARGS = ['--headless', '--disable-gpu', ...QUIET_FLAGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
