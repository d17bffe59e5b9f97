import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChromiumAsRootError, kioskWindowArgs } from '../../electron/browser-shell/chromium.js';
import { parseConfig } from '../../electron/host/config/load.js';

/**
 * deploy/ as a technician installs it: the unit validates with systemd's own
 * checker, the kiosk user is one systemd-sysusers accepts, and the example
 * config is a hall's (developer mode off, Chromium's sandbox on).
 */
const root = join(import.meta.dirname, '..', '..');
const deploy = join(root, 'deploy');
const unitFile = join(deploy, 'systemd', 'liuliu-kiosk.service');

/** A throwaway root with systemd's own units and stand-ins for the binaries the unit runs. */
function fakeRoot(unitText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-deploy-'));
  mkdirSync(join(dir, 'usr', 'bin'), { recursive: true });
  mkdirSync(join(dir, 'usr', 'lib', 'systemd'), { recursive: true });
  mkdirSync(join(dir, 'etc', 'systemd', 'system'), { recursive: true });
  cpSync('/usr/lib/systemd/system', join(dir, 'usr', 'lib', 'systemd', 'system'), { recursive: true });
  for (const binary of ['cage', 'node']) {
    writeFileSync(join(dir, 'usr', 'bin', binary), '#!/bin/sh\n');
    chmodSync(join(dir, 'usr', 'bin', binary), 0o755);
  }
  writeFileSync(join(dir, 'etc', 'systemd', 'system', 'liuliu-kiosk.service'), unitText);
  return dir;
}

function verify(unitText: string): { status: number | null; output: string } {
  const dir = fakeRoot(unitText);
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${dir}`, join(dir, 'etc', 'systemd', 'system', 'liuliu-kiosk.service')], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('deploy/', () => {
  it('the kiosk unit passes systemd-analyze verify with nothing to say, and a broken one does not', () => {
    const unit = readFileSync(unitFile, 'utf8');
    expect(verify(unit)).toEqual({ status: 0, output: '' });
    // The check can fail: a misspelt key and a missing binary are reported.
    expect(verify(unit.replace('WatchdogSec=30', 'WatchdogSecs=30')).output).toMatch(/Unknown key 'WatchdogSecs'/);
    expect(verify(unit.replace('/usr/bin/cage', '/usr/bin/cagey')).output).toMatch(/not executable/);
  });

  it('runs the supervisor as the unprivileged kiosk user, restarted always, its watchdog fed, its data private', () => {
    const unit = readFileSync(unitFile, 'utf8');
    const settings = new Map<string, string[]>();
    for (const line of unit.split('\n')) {
      const match = /^(\w+)=(.*)$/.exec(line);
      if (match) settings.set(match[1] as string, [...(settings.get(match[1] as string) ?? []), match[2] as string]);
    }
    const one = (key: string): string | undefined => settings.get(key)?.at(-1);
    expect(one('User')).toBe('liuliu');
    expect(one('Restart')).toBe('always');
    expect(one('Type')).toBe('notify');
    expect(one('NotifyAccess')).toBe('all');
    expect(Number(one('WatchdogSec'))).toBeGreaterThan(0);
    expect(one('StateDirectoryMode')).toBe('0700');
    expect(one('UMask')).toBe('0077');
    expect(one('ExecStart')).toMatch(/^\/usr\/bin\/cage -- \/usr\/bin\/node \/opt\/liuliu\/dist\/scripts\/start\.js /);
    expect(one('ExecStart')).not.toContain('-s '); // cage -s would allow switching VTs away from the kiosk
  });

  it('creates the kiosk user with systemd-sysusers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-sysusers-'));
    mkdirSync(join(dir, 'etc'));
    for (const file of ['passwd', 'group']) copyFileSync(`/etc/${file}`, join(dir, 'etc', file));
    const result = spawnSync('systemd-sysusers', ['--dry-run', `--root=${dir}`, join(deploy, 'sysusers.d', 'liuliu.conf')], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Creating user 'liuliu'/);
  });

  it('ships a hall config: developer mode off, Chromium with its sandbox, never as root', () => {
    const config = parseConfig(JSON.parse(readFileSync(join(deploy, 'config.example.json'), 'utf8')), 'config.example.json', { LIULIU_DATA_DIR: tmpdir() });
    expect(config.developerMode).toBe(false);
    const window = { profileDir: '/var/lib/liuliu/chromium-profile', extraArgs: config.browserShell.chromiumArgs, allowRootWithoutSandbox: config.developerMode };
    const args = kioskWindowArgs(window, 995);
    expect(args).not.toContain('--no-sandbox');
    expect(args).toContain('--kiosk');
    expect(args.join(' ')).not.toMatch(/token|127\.0\.0\.1/); // the page's URL and token go over the DevTools pipe
    expect(() => kioskWindowArgs(window, 0)).toThrow(ChromiumAsRootError);
  });
});
