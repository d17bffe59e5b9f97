import { spawn } from 'node:child_process';
import type { Logger } from '../host/logging/logger.js';

/**
 * systemd's service notification protocol (sd_notify(3)): newline-separated
 * KEY=value assignments in one datagram to the AF_UNIX socket named by
 * $NOTIFY_SOCKET; the watchdog is fed with WATCHDOG=1 at least every
 * $WATCHDOG_USEC µs (when $WATCHDOG_PID, if set, is this process).
 *
 * The message building and the environment reading are implemented here in
 * Node. The datagram itself cannot be: Node has no AF_UNIX SOCK_DGRAM socket
 * (nodejs/node#29339) and a native module is out, so it goes through
 * `systemd-notify`, which systemd ships beside the socket; the unit therefore
 * sets NotifyAccess=all (deploy/liuliu-kiosk.service).
 */
export interface NotifySettings {
  socket: string | undefined;
  watchdogUsec: number | undefined;
}

export function notifySettings(env: NodeJS.ProcessEnv, pid: number, parentPid: number): NotifySettings {
  const socket = env['NOTIFY_SOCKET'] !== undefined && /^[/@]/.test(env['NOTIFY_SOCKET']) ? env['NOTIFY_SOCKET'] : undefined;
  const usec = Number(env['WATCHDOG_USEC']);
  const watchdogPid = env['WATCHDOG_PID'] === undefined ? undefined : Number(env['WATCHDOG_PID']);
  // WATCHDOG_PID names the unit's main process. It is ours when we are it, or when it is our parent: on a
  // hall terminal the main process is the kiosk compositor (cage), which runs nothing but this supervisor.
  const ours = watchdogPid === undefined || watchdogPid === pid || watchdogPid === parentPid;
  return { socket, watchdogUsec: Number.isInteger(usec) && usec > 0 && ours ? usec : undefined };
}

/** Feed at half the watchdog interval, as sd_watchdog_enabled(3) recommends. */
export function watchdogPingMs(settings: NotifySettings): number | undefined {
  return settings.watchdogUsec === undefined ? undefined : Math.max(500, Math.floor(settings.watchdogUsec / 2000));
}

/** One notification: KEY=value lines; a value may not hold a newline (it would start another assignment). */
export function notifyMessage(state: Record<string, string | number>): string {
  return Object.entries(state)
    .map(([key, value]) => {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) throw new Error(`sd_notify: bad key ${key}`);
      return `${key}=${String(value).replace(/[\r\n]+/g, ' ')}`;
    })
    .join('\n');
}

export class SystemdNotifier {
  private readonly settings: NotifySettings;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
    private readonly command = 'systemd-notify',
  ) {
    this.settings = notifySettings(env, process.pid, process.ppid);
  }

  get enabled(): boolean {
    return this.settings.socket !== undefined;
  }

  watchdogIntervalMs(): number | undefined {
    return this.enabled ? watchdogPingMs(this.settings) : undefined;
  }

  ready(status: string): void {
    this.send({ READY: 1, STATUS: status });
  }

  watchdog(): void {
    this.send({ WATCHDOG: 1 });
  }

  status(text: string): void {
    this.send({ STATUS: text });
  }

  stopping(): void {
    this.send({ STOPPING: 1 });
  }

  private send(state: Record<string, string | number>): void {
    if (!this.enabled) return;
    // systemd-notify takes the assignments as arguments, one per argument.
    const child = spawn(this.command, notifyMessage(state).split('\n'), { stdio: 'ignore', env: this.env });
    child.on('error', (err) => this.logger.warn({ err }, 'supervisor: cannot notify systemd'));
  }
}
