import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../host/logging/logger.js';
import { SystemdNotifier, notifyMessage, notifySettings, watchdogPingMs } from './sd-notify.js';

describe('sd_notify protocol', () => {
  it('reads the socket and the watchdog from the environment, only when the watchdog is ours or our compositor parent’s', () => {
    expect(notifySettings({}, 10, 1)).toEqual({ socket: undefined, watchdogUsec: undefined });
    expect(notifySettings({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '30000000' }, 10, 1)).toEqual({ socket: '/run/systemd/notify', watchdogUsec: 30_000_000 });
    expect(notifySettings({ NOTIFY_SOCKET: '@abstract', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '10' }, 10, 1).watchdogUsec).toBe(30_000_000);
    expect(notifySettings({ NOTIFY_SOCKET: '/s', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' }, 10, 1).watchdogUsec).toBe(30_000_000);
    expect(notifySettings({ NOTIFY_SOCKET: '/s', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '77' }, 10, 1).watchdogUsec).toBeUndefined();
    expect(notifySettings({ NOTIFY_SOCKET: 'relative/path', WATCHDOG_USEC: 'x' }, 10, 1)).toEqual({ socket: undefined, watchdogUsec: undefined });
    expect(watchdogPingMs({ socket: '/s', watchdogUsec: 30_000_000 })).toBe(15_000);
  });

  it('builds KEY=value lines and never lets a value start another assignment', () => {
    expect(notifyMessage({ READY: 1, STATUS: 'serving' })).toBe('READY=1\nSTATUS=serving');
    expect(notifyMessage({ STATUS: 'host restart\nWATCHDOG=1' })).toBe('STATUS=host restart WATCHDOG=1');
    expect(() => notifyMessage({ 'bad key': 1 })).toThrow(/bad key/);
  });

  it('delivers a datagram to the notify socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-notify-'));
    const socket = join(dir, 'notify');
    const out = join(dir, 'received');
    // socat plays systemd: a unix datagram socket printing what it receives.
    const listener = spawn('sh', ['-c', `exec socat -u UNIX-RECV:${socket} - > ${out}`]);
    await expect.poll(() => import('node:fs').then((fs) => fs.existsSync(socket)), { timeout: 5_000 }).toBe(true);
    const notifier = new SystemdNotifier({ ...process.env, NOTIFY_SOCKET: socket }, silentLogger());
    expect(notifier.enabled).toBe(true);
    notifier.ready('serving on 127.0.0.1:8787');
    await expect.poll(() => readFileSync(out, 'utf8'), { timeout: 5_000 }).toContain('READY=1\nSTATUS=serving on 127.0.0.1:8787');
    listener.kill();
  });
});
