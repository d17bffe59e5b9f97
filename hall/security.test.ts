import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { z } from 'zod';
import { silentLogger } from '../electron/host/logging/logger.js';
import { RemoteHallQueue, type RemoteHallQueueOptions } from '../electron/host/queue/remote.js';
import { KioskRegistry, helloProof } from './handshake.js';
import { pageKey, startHallServer, type HallServer } from './server.js';
import { hall, openDatabase, requestId, serviceFixture, tempDir, until, type Fixture } from './testing.js';

/**
 * #13 finding 4: the hall secret crossed the LAN in clear (ws:// hello) and
 * every kiosk shared it. Each test reproduces the attack first.
 */
const SECRET = 'hall-secret-for-security-tests';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function service(): Promise<Fixture> {
  const f = await serviceFixture('2026-11-25T10:00:00+08:00');
  cleanups.push(() => f.cleanup());
  return f;
}

async function serve(f: Fixture, extra: Partial<Parameters<typeof startHallServer>[0]> = {}): Promise<HallServer> {
  const s = await startHallServer({ service: f.service, secret: SECRET, port: 0, host: '127.0.0.1', logger: silentLogger(), ...extra });
  cleanups.push(() => s.close());
  return s;
}

async function kiosk(f: Fixture, url: string, kioskId: string, key: string, extra: Partial<RemoteHallQueueOptions> = {}): Promise<RemoteHallQueue> {
  const dir = tempDir('liuliu-sec-kiosk-');
  const db = await openDatabase(join(dir, 'kiosk.db'));
  const client = await RemoteHallQueue.open({ url, secret: key, kioskId, hall, db, logger: silentLogger(), now: f.clock.now, reconnectMinMs: 50, reconnectMaxMs: 200, ...extra });
  cleanups.push(async () => {
    await client.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return client;
}

/** One raw hello on a fresh connection: 'welcome' or the close code. */
function hello(url: string, message: (nonce: string) => Record<string, unknown>): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('message', (data) => {
      const m = z.looseObject({ type: z.string(), nonce: z.string().optional() }).parse(JSON.parse(String(data)));
      if (m.type === 'challenge') socket.send(JSON.stringify(message(m.nonce!)));
      if (m.type === 'welcome') {
        socket.terminate();
        resolve('welcome');
      }
    });
    socket.on('close', (code) => resolve(String(code)));
  });
}

describe('kiosk ↔ hall service: no secret on the wire, one key per kiosk', () => {
  it('a kiosk never sends its key: a listener on the LAN sees only a proof bound to one connection', async () => {
    // A stand-in "hall service" that records everything the kiosk sends.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    const frames: string[] = [];
    wss.on('connection', (socket) => {
      socket.on('message', (data) => frames.push(String(data)));
      socket.send(JSON.stringify({ type: 'challenge', nonce: 'n'.repeat(32) }));
    });
    await new Promise((r) => wss.once('listening', r));
    const port = z.object({ port: z.number() }).parse(wss.address()).port;
    const f = await service();
    await kiosk(f, `ws://127.0.0.1:${port}/ws`, 'k1', SECRET);
    await until('the hello', () => frames.length > 0);
    expect(frames.join('\n')).not.toContain(SECRET);
    expect(JSON.parse(frames[0]!)).toMatchObject({ type: 'hello', role: 'kiosk', kioskId: 'k1', proof: helloProof(SECRET, 'n'.repeat(32), 'kiosk', 'k1') });
  });

  it('refuses the secret in clear and a replayed proof', async () => {
    const f = await service();
    const s = await serve(f);
    expect(await hello(s.wsUrl, () => ({ type: 'hello', role: 'kiosk', kioskId: 'k1', secret: SECRET }))).toBe('4401');
    let captured = '';
    expect(await hello(s.wsUrl, (nonce) => ({ type: 'hello', role: 'kiosk', kioskId: 'k1', proof: (captured = helloProof(SECRET, nonce, 'kiosk', 'k1')) }))).toBe('welcome');
    expect(await hello(s.wsUrl, () => ({ type: 'hello', role: 'kiosk', kioskId: 'k1', proof: captured }))).toBe('4401');
  });

  it('counter and display pages prove their page key too: the key in clear, a replayed proof and a display key on the counter role are refused', async () => {
    const f = await service();
    const s = await serve(f);
    const counterKey = pageKey(SECRET, 'counter');
    const displayKey = pageKey(SECRET, 'display');
    // Before: pages said hello with { secret: pageKey }, readable by anyone on the LAN without TLS.
    expect(await hello(s.wsUrl, () => ({ type: 'hello', role: 'counter', secret: counterKey }))).toBe('4401');
    let captured = '';
    expect(await hello(s.wsUrl, (nonce) => ({ type: 'hello', role: 'counter', proof: (captured = helloProof(counterKey, nonce, 'counter', undefined)) }))).toBe('welcome');
    expect(await hello(s.wsUrl, () => ({ type: 'hello', role: 'counter', proof: captured }))).toBe('4401');
    expect(await hello(s.wsUrl, (nonce) => ({ type: 'hello', role: 'counter', proof: helloProof(displayKey, nonce, 'counter', undefined) }))).toBe('4401');
    expect(await hello(s.wsUrl, (nonce) => ({ type: 'hello', role: 'display', proof: helloProof(displayKey, nonce, 'display', undefined) }))).toBe('welcome');
  });

  it('per-kiosk keys: the shared secret no longer opens a kiosk session, one kiosk cannot pose as another, and one kiosk is revoked alone', async () => {
    const f = await service();
    const registry = new KioskRegistry(join(f.dir, 'kiosks.json'), 0);
    const k1Key = registry.add('k1');
    const k2Key = registry.add('k2');
    expect(readFileSync(registry.file).length).toBeGreaterThan(0);
    const s = await serve(f, { kiosks: registry });
    expect(await hello(s.wsUrl, (nonce) => ({ type: 'hello', role: 'kiosk', kioskId: 'k1', proof: helloProof(SECRET, nonce, 'kiosk', 'k1') }))).toBe('4401');
    expect(await hello(s.wsUrl, (nonce) => ({ type: 'hello', role: 'kiosk', kioskId: 'k2', proof: helloProof(k1Key, nonce, 'kiosk', 'k2') }))).toBe('4401');
    const k1 = await kiosk(f, s.wsUrl, 'k1', k1Key);
    const k2 = await kiosk(f, s.wsUrl, 'k2', k2Key);
    expect(await k1.whenConnected(10_000)).toBe(true);
    expect(await k2.whenConnected(10_000)).toBe(true);
    // A kiosk issues only as itself.
    expect(await k1.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k2' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await k1.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' })).toMatchObject({ ok: true });
    registry.revoke('k1');
    await until('k1 to be cut off', () => !k1.connected, 5000);
    expect(await hello(s.wsUrl, (nonce) => ({ type: 'hello', role: 'kiosk', kioskId: 'k1', proof: helloProof(k1Key, nonce, 'kiosk', 'k1') }))).toBe('4401');
    expect(k2.connected).toBe(true);
    expect(await k2.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k2' })).toMatchObject({ ok: true, value: { offline: false } });
  });

  it('elderly priority only from a kiosk connection: a bare HTTP API call with a birth date is refused', async () => {
    const f = await service();
    const s = await serve(f);
    const response = await fetch(`${s.httpUrl}/api/issue`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1', birthDate: '19400101' }),
    });
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const k1 = await kiosk(f, s.wsUrl, 'k1', SECRET);
    expect(await k1.whenConnected(10_000)).toBe(true);
    expect(await k1.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1', birthDate: '19400101' })).toMatchObject({ ok: true, value: { ticket: { priority: 'elderly' } } });
  });

  it('serves wss:// with the hall certificate; a kiosk that trusts it connects, one that does not is refused', async () => {
    const f = await service();
    const dir = tempDir('liuliu-tls-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const key = join(dir, 'hall.key');
    const cert = join(dir, 'hall.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const s = await serve(f, { tls: { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') } });
    expect(s.wsUrl.startsWith('wss://')).toBe(true);
    const trusting = await kiosk(f, s.wsUrl, 'k1', SECRET, { tlsCa: readFileSync(cert, 'utf8') });
    expect(await trusting.whenConnected(10_000)).toBe(true);
    expect(await trusting.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' })).toMatchObject({ ok: true, value: { offline: false } });
    const untrusting = await kiosk(f, s.wsUrl, 'k2', SECRET);
    expect(await untrusting.whenConnected(1500)).toBe(false);
  });
});
