import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { platformSettings } from './module.js';

describe('platform settings from the config', () => {
  const env = { LIULIU_DATA_DIR: '/tmp/liuliu-unused' };
  it('is off without a baseUrl', () => {
    expect(platformSettings(parseConfig({}, 'test', env))).toEqual({ kind: 'off' });
  });

  it('takes the inline secret, or the trimmed secret file', () => {
    const inline = platformSettings(parseConfig({ terminalId: 'k-7', platform: { baseUrl: 'https://p.example', secret: 'x'.repeat(20), intervalSeconds: 5 } }, 'test', env));
    expect(inline).toMatchObject({ kind: 'ready', sync: { baseUrl: 'https://p.example', terminalId: 'k-7', secret: 'x'.repeat(20), intervalMs: 5000, batchSize: 200, retentionDays: 7 } });
    const fromFile = platformSettings(parseConfig({ platform: { baseUrl: 'https://p.example', secretFile: '/etc/liuliu/secret' } }, 'test', env), (file) => (file === '/etc/liuliu/secret' ? `${'s'.repeat(24)}\n` : ''));
    expect(fromFile).toMatchObject({ kind: 'ready', sync: { secret: 's'.repeat(24) } });
  });

  it('reports an unreadable or short secret file instead of throwing', () => {
    const config = parseConfig({ platform: { baseUrl: 'https://p.example', secretFile: '/nope' } }, 'test', env);
    const missing = platformSettings(config, () => {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    });
    expect(missing).toEqual({ kind: 'unusable', reason: expect.stringContaining('ENOENT'), health: { code: 'device.platformSecretUnreadable', params: { detail: 'ENOENT' } } });
    expect(platformSettings(config, () => 'short\n')).toMatchObject({ kind: 'unusable' });
  });
});
