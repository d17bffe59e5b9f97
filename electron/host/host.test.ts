import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../renderer/src/api/client.js';
import { deviceReason } from '../common/device-reasons.js';
import { parseConfig } from './config/load.js';
import { startHost, type KioskHost } from './index.js';
import { silentLogger } from './logging/logger.js';
import { memoryPipe } from './rpc/memory-transport.js';

let host: KioskHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function boot(): Promise<KioskHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-host-'));
  host = await startHost(parseConfig({ queue: { listen: { port: 0 } } }, 'test', { LIULIU_DATA_DIR: dataDir }), { logger: silentLogger() });
  return host;
}

describe('host over the contract', () => {
  it('answers typed calls through an in-memory pipe', async () => {
    const kiosk = await boot();
    const pipe = memoryPipe();
    kiosk.attach(pipe.host);
    const client = createApiClient(pipe.renderer);
    const info = await client.call('system.info', {});
    expect(info.ok && info.value.hallName).toBe('示范市民之家');
    const ping = await client.call('system.ping', { echo: 'hi' });
    expect(ping.ok && ping.value.echo).toBe('hi');
  });

  it('answers malformed requests with clear errors and keeps running', async () => {
    const kiosk = await boot();
    const replies = await Promise.all([
      kiosk.handle('not json'),
      kiosk.handle(JSON.stringify({ type: 'call', id: 7, method: 'no.such', params: {} })),
      kiosk.handle(JSON.stringify({ type: 'call', id: 8, method: 'system.ping', params: { echo: 42 } })),
      kiosk.handle(JSON.stringify({ type: 'call', id: 9, method: 'system.ping', params: { unexpected: true } })),
      kiosk.handle(JSON.stringify({ type: 'call', id: 'x', method: 'system.ping' })),
      kiosk.handle('x'.repeat(2 * 1024 * 1024)),
    ]);
    const parsed = replies.map((text) => JSON.parse(text ?? '{}') as { ok: boolean; id: number; error: { code: string; message: string } });
    expect(parsed.every((reply) => !reply.ok)).toBe(true);
    expect(parsed[0]?.error.message).toBe('message is not JSON');
    expect(parsed[1]).toMatchObject({ id: 7, error: { code: 'unknown_method' } });
    expect(parsed[2]).toMatchObject({ id: 8, error: { code: 'bad_request' } });
    expect(parsed[2]?.error.message).toContain('echo');
    expect(parsed[3]?.error.code).toBe('bad_request');
    expect(parsed[4]?.error.code).toBe('bad_request');
    expect(parsed[5]?.error.message).toMatch(/larger than/);
    const still = JSON.parse((await kiosk.handle(JSON.stringify({ type: 'call', id: 10, method: 'system.ping', params: {} }))) ?? '{}') as { ok: boolean };
    expect(still.ok).toBe(true);
  });

  it('puts device status changes on the event stream', async () => {
    const kiosk = await boot();
    const pipe = memoryPipe();
    kiosk.attach(pipe.host);
    const client = createApiClient(pipe.renderer);
    const seen: string[] = [];
    client.on('device.status', (status) => seen.push(`${status.device}:${status.state}`));
    kiosk.context.devices.report('printer', { state: 'error', reason: deviceReason('device.printerFault', { reason: 'paper_out' }) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toContain('printer:error');
    const list = await client.call('devices.status', {});
    expect(list.ok && list.value.find((status) => status.device === 'printer')?.reason).toEqual({ code: 'device.printerFault', params: { reason: 'paper_out' } });
  });

  it('ends a session in progress as a timeout when its renderer goes away (crashed, reloaded, window gone)', async () => {
    const kiosk = await boot();
    const pipe = memoryPipe();
    kiosk.attach(pipe.host);
    const client = createApiClient(pipe.renderer);
    const ended: string[] = [];
    // The renderer that went away hears nothing more: watch the host's own event stream.
    kiosk.context.bus.subscribe((event, payload) => {
      if (event === 'session.changed' && (payload as { session: unknown }).session === null) ended.push((payload as { reason: string }).reason);
    });
    const begun = await client.call('session.begin', {});
    expect(begun.ok).toBe(true);
    expect(kiosk.sessions.current()).not.toBeNull();
    const spare = memoryPipe('a second page');
    kiosk.attach(spare.host);
    spare.host.close();
    expect(kiosk.sessions.current()).not.toBeNull(); // another renderer is still showing the session
    pipe.host.close();
    await expect.poll(() => kiosk.sessions.current()).toBeNull();
    expect(ended).toEqual(['timeout']);
  });

  it('shows staff the supervisor restart record, and nobody else', async () => {
    const kiosk = await boot();
    const refused = await kiosk.handle(JSON.stringify({ type: 'call', id: 1, method: 'system.restarts', params: {} }));
    expect(refused).toContain('"ok":false');
    expect(refused).toContain('refused');
  });
});

