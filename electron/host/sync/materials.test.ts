import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../../platform/testing.js';
import { parseConfig } from '../config/load.js';
import { citizenKeySecret, materialLookup } from './materials.js';
import { platformSettings } from './module.js';

const env = { LIULIU_DATA_DIR: '/tmp/liuliu-unused' };
const terminal = { id: 'kiosk-m1', secret: 'kiosk-m1-secret-0123456789' };
const SECRET = 'hall-citizen-key-secret-0123';
const ZHANG = '430181198001011239';

describe('the citizen-key secret from the config', () => {
  it('is inline, or the trimmed file; a short or unreadable file is a problem, not a throw', () => {
    expect(citizenKeySecret(parseConfig({}, 'test', env))).toBeUndefined();
    expect(citizenKeySecret(parseConfig({ platform: { citizenKeySecret: SECRET } }, 'test', env))).toEqual({ secret: SECRET });
    const fromFile = parseConfig({ platform: { citizenKeySecretFile: '/etc/liuliu/citizen-key' } }, 'test', env);
    expect(citizenKeySecret(fromFile, () => `${SECRET}\n`)).toEqual({ secret: SECRET });
    expect(citizenKeySecret(fromFile, () => 'short')).toEqual({ problem: expect.stringContaining('shorter') });
    expect(
      citizenKeySecret(fromFile, () => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      }),
    ).toEqual({ problem: expect.stringContaining('ENOENT') });
  });
});

describe('materialLookup', () => {
  let platform: LoopbackPlatform | undefined;
  let silent: Server | undefined;
  afterEach(async () => {
    await platform?.close();
    platform = undefined;
    silent?.closeAllConnections();
    await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
    silent = undefined;
  });

  const lookupFor = (baseUrl: string | undefined, extra: Record<string, unknown> = {}, lines: string[] = [], timeoutMs?: number) => {
    const config = parseConfig({ terminalId: terminal.id, platform: { ...(baseUrl === undefined ? {} : { baseUrl, secret: terminal.secret }), ...extra } }, 'test', env);
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    return materialLookup({ settings: platformSettings(config), config, logger, now: () => new Date(), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  };

  it('is off without a platform or without a secret, and when the platform has reuse switched off (404)', async () => {
    expect(await lookupFor(undefined, { citizenKeySecret: SECRET })(ZHANG)).toEqual({ kind: 'off' });
    platform = await startLoopbackPlatform({ terminals: [terminal] });
    expect(await lookupFor(platform.url)(ZHANG)).toEqual({ kind: 'off' });
    expect(await lookupFor(platform.url, { citizenKeySecret: SECRET })(ZHANG)).toEqual({ kind: 'off' });
  });

  it('answers her list by the keyed hash, and gives up after its timeout without logging the number or the secret', async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal], citizenKeySecret: SECRET });
    expect(await lookupFor(platform.url, { citizenKeySecret: SECRET })(ZHANG)).toEqual({ kind: 'ok', materials: [] });

    silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const lines: string[] = [];
    const started = Date.now();
    const answer = await lookupFor(`http://127.0.0.1:${port}`, { citizenKeySecret: SECRET }, lines, 300)(ZHANG);
    expect(answer).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('timeout') });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.join('')).toContain('reusable materials lookup failed');
    expect(lines.join('')).not.toContain(ZHANG);
    expect(lines.join('')).not.toContain(SECRET);
  });
});
