import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, EMBEDDED_DEMO_SOURCE, loadConfig, parseConfig } from './load.js';

describe('config', () => {
  it('needs nothing: the embedded default uses simulators and the demo hall', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-cfg-'));
    const config = loadConfig(undefined, { LIULIU_DATA_DIR: dir });
    expect(config.source).toBe(EMBEDDED_DEMO_SOURCE);
    // The demo turns the simulator panel on explicitly…
    expect(config.developerMode).toBe(true);
    expect(config.dataDir).toBe(dir);
    expect(config.devices.idcard.kind).toBe('simulator');
    expect(config.session.idleTimeoutSeconds).toBe(90);
    expect(config.contentDir).toMatch(/content[/\\]hall$/);
  });

  it('keeps the developer panel off in any config that does not turn it on (a hall terminal)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-cfg-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ terminalId: 'hall-07' }));
    expect(loadConfig(file, {}).developerMode).toBe(false);
    expect(parseConfig({}, 'x.json', {}).developerMode).toBe(false);
    expect(parseConfig({ developerMode: true }, 'x.json', {}).developerMode).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(() => parseConfig({ session: { idleTimeoutSeconds: 'soon' } }, 'x.json', {})).toThrow(/field "session.idleTimeoutSeconds"/);
    expect(() => parseConfig({ devices: { idcard: { kind: 'serial', path: '/dev/ttyS0', baudRate: 1234 } } }, 'x.json', {})).toThrow(
      /field "devices.idcard.baudRate"/,
    );
    expect(() => parseConfig({ colour: 'red' }, 'x.json', {})).toThrow(ConfigError);
  });

  it('refuses an unreadable or malformed file rather than falling back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-cfg-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, '{ "terminalId": ');
    expect(() => loadConfig(file, {})).toThrow(/is not valid JSON/);
    expect(() => loadConfig(join(dir, 'missing.json'), {})).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('refuses a platform URL in clear over the network, naming the field; https anywhere and http to this machine are fine', () => {
    const platform = (baseUrl: string) => ({ platform: { baseUrl, secret: 'a-terminal-secret-of-16+' } });
    expect(() => parseConfig(platform('http://platform.example.gov.cn/api'), 'x.json', {})).toThrow(/field "platform.baseUrl".*https/);
    expect(() => parseConfig(platform('http://192.168.1.20:8080'), 'x.json', {})).toThrow(/field "platform.baseUrl"/);
    expect(() => parseConfig(platform('http://127.0.0.1.evil.example'), 'x.json', {})).toThrow(/field "platform.baseUrl"/);
    expect(parseConfig(platform('https://platform.example.gov.cn/api'), 'x.json', {}).platform.baseUrl).toBe('https://platform.example.gov.cn/api');
    for (const local of ['http://127.0.0.1:8787', 'http://localhost:8787/p', 'http://[::1]:8787']) expect(parseConfig(platform(local), 'x.json', {}).platform.baseUrl).toBe(local);
  });
});
