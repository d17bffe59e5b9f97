import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { silentLogger } from '../electron/host/logging/logger.js';
import { rawHttp, slowClient } from '../tests/support/raw-wire.js';
import { helloProof } from './handshake.js';
import { startHallServer, type HallServer, type HallServerOptions } from './server.js';
import { recordingLogger, requestId, serviceFixture, type Fixture } from './testing.js';

/**
 * The red-team sweep of the hall service (after #13): slow clients, many
 * sockets from one address, a flood of calls, a megabyte before hello, and
 * the headers of the pages it serves. Each reproduces the attack; each
 * failed before its fix.
 */
const SECRET = 'hall-secret-for-red-team';
let fixture: Fixture | undefined;
let server: HallServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
  server = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

async function start(extra: Partial<HallServerOptions> = {}): Promise<HallServer> {
  fixture = await serviceFixture('2026-11-25T10:00:00+08:00');
  const staticDir = join(fixture.dir, 'pages');
  mkdirSync(join(staticDir, 'counter'), { recursive: true });
  writeFileSync(join(staticDir, 'counter', 'index.html'), '<h1>counter</h1>');
  server = await startHallServer({ service: fixture.service, secret: SECRET, port: 0, host: '127.0.0.1', staticDir, logger: silentLogger(), ...extra });
  return server;
}

const Message = z.record(z.string(), z.unknown());

/** A kiosk socket that has said hello; resolves once welcomed. */
function kioskSocket(s: HallServer, onMessage: (message: Record<string, unknown>) => void = () => undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(s.wsUrl);
    sockets.push(socket);
    socket.on('message', (data) => {
      const message = Message.parse(JSON.parse(String(data)));
      if (message.type === 'challenge') socket.send(JSON.stringify({ type: 'hello', role: 'kiosk', kioskId: 'k-red', events: false, proof: helloProof(SECRET, String(message.nonce), 'kiosk', 'k-red') }));
      else if (message.type === 'welcome') resolve(socket);
      else onMessage(message);
    });
    socket.on('error', reject);
  });
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('hall server red team: slow clients', () => {
  it('drops a client that trickles its request head (slowloris) with 408 once the head timeout passes', async () => {
    const s = await start({ limits: { headersMs: 300, requestMs: 600, checkIntervalMs: 100 } });
    const slow = await slowClient(s.port, 'GET /healthz HTTP/1.1\r\nHost: hall\r\n', 'X-Slow: 1\r\n', { everyMs: 100, giveUpMs: 5_000 });
    expect(slow.status).toBe(408);
    expect(slow.afterMs).toBeLessThan(3_000);
    expect(await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n')).toBe(200);
  });

  it('drops a client that trickles its body once the request timeout passes', async () => {
    const s = await start({ limits: { headersMs: 300, requestMs: 600, checkIntervalMs: 100 } });
    const head = `POST /api/snapshot HTTP/1.1\r\nHost: hall\r\nAuthorization: Bearer ${SECRET}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const slow = await slowClient(s.port, head, ' ', { everyMs: 100, giveUpMs: 5_000 });
    expect(slow.status).not.toBe(-1);
    expect(slow.afterMs).toBeLessThan(3_000);
  });

  it('refuses an oversized request head with 431 and keeps serving', async () => {
    const s = await start();
    // An oversized head is refused by Node's 16 KiB limit and the server keeps serving.
    expect(await rawHttp(s.port, `GET /healthz HTTP/1.1\r\nHost: hall\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).toBe(431);
    expect(await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n')).toBe(200);
  });
});

describe('hall server red team: WebSocket', () => {
  it('closes sockets past the limit from one address (1013), and takes new ones once they close', async () => {
    const s = await start({ maxSocketsPerPeer: 3 });
    const open = await Promise.all([0, 1, 2].map(() => kioskSocket(s)));
    const extra = new WebSocket(s.wsUrl);
    sockets.push(extra);
    expect(await closeOf(extra)).toMatchObject({ code: 1013 });
    const closing = closeOf(open[0]!);
    open[0]!.close();
    await closing;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await kioskSocket(s)).readyState).toBe(WebSocket.OPEN);
  });

  it('answers a flood of calls on one socket without queueing it: past the in-flight limit calls are refused at once', async () => {
    const s = await start({ maxCallsInFlight: 8 });
    const results: Array<Record<string, unknown>> = [];
    const socket = await kioskSocket(s, (message) => {
      if (message.type === 'result') results.push(message);
    });
    const calls = Array.from({ length: 200 }, (_, i) => JSON.stringify({ type: 'call', id: i, method: 'issue', params: { requestId: requestId(), categoryId: 'qc-tax', kioskId: 'k-red' } }));
    for (const call of calls) socket.send(call);
    const deadline = Date.now() + 20_000;
    while (results.length < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(results).toHaveLength(200);
    const refused = results.filter((r) => JSON.stringify(r.result).includes('calls in flight'));
    expect(refused.length).toBeGreaterThan(0);
    expect(results.filter((r) => (r.result as { ok: boolean }).ok).length + refused.length).toBe(200);
  });

  it('cuts off a socket that sends calls but never reads the replies (its buffer is not the service\'s memory)', async () => {
    const s = await start({ maxBufferedBytes: 256 * 1024 });
    const socket = await kioskSocket(s);
    socket.pause();
    const call = JSON.stringify({ type: 'call', id: 1, method: 'snapshot', params: {} });
    for (let i = 0; i < 100_000 && s.connections().kiosk > 0; i++) {
      socket.send(call);
      if (i % 1000 === 999) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deadline = Date.now() + 10_000;
    while (s.connections().kiosk > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.connections().kiosk).toBe(0);
  });

  it('closes a socket that sends a large frame before hello (a hello is a few hundred bytes)', async () => {
    const s = await start();
    const socket = new WebSocket(s.wsUrl);
    sockets.push(socket);
    await new Promise((resolve) => socket.once('message', resolve));
    const closed = closeOf(socket);
    socket.send(JSON.stringify({ type: 'hello', role: 'kiosk', kioskId: 'k', proof: 'x'.repeat(500_000) }));
    expect(await closed).toEqual({ code: 4400, reason: 'hello too large' });
  });
});

describe('hall server red team: page headers', () => {
  it('serves the counter page and the ticket page unframeable, unsniffable, with a CSP; the API never sniffable', async () => {
    const s = await start();
    const page = await fetch(`${s.httpUrl}/counter/`);
    for (const response of [page, await fetch(`${s.httpUrl}/t/no-such-ticket`)]) {
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    }
    const api = await fetch(`${s.httpUrl}/api/snapshot`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });
});

describe('hall server red team: guessing the secret', () => {
  it('an address that keeps failing authentication cools off: even the right secret and a right hello proof are refused unevaluated, and every refusal is logged without the secret', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const s = await start({ logger: recordingLogger(lines), authFailures: { includeLoopback: true, policy: { perKey: { max: 3, windowMs: 60_000, lockMs: 60_000 } } } });
    const api = (secret: string) => fetch(`${s.httpUrl}/api/snapshot`, { headers: { authorization: `Bearer ${secret}` } });
    for (const guess of ['guess-0001', 'guess-0002', 'guess-0003']) expect((await api(guess)).status).toBe(401);
    const right = await api(SECRET);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    const socket = new WebSocket(s.wsUrl);
    sockets.push(socket);
    const closed = closeOf(socket);
    socket.on('message', (data) => {
      const message = Message.parse(JSON.parse(String(data)));
      if (message.type === 'challenge') socket.send(JSON.stringify({ type: 'hello', role: 'kiosk', kioskId: 'k-red', proof: helloProof(SECRET, String(message.nonce), 'kiosk', 'k-red') }));
    });
    expect(await closed).toEqual({ code: 4401, reason: 'cooling off' });
    expect(lines.filter((l) => l.msg === 'queue server: authentication refused')).toHaveLength(3);
    expect(lines.filter((l) => l.msg === 'queue server: authentication refused unevaluated (cooling off)')).toHaveLength(2);
    expect(JSON.stringify(lines)).not.toMatch(/guess-000|hall-secret-for-red-team/);
  });

  it('loopback peers (the machine holding the secret file) are not limited by default', async () => {
    const s = await start();
    for (let i = 0; i < 25; i++) expect((await fetch(`${s.httpUrl}/api/snapshot`, { headers: { authorization: 'Bearer wrong-wrong' } })).status).toBe(401);
    expect((await fetch(`${s.httpUrl}/api/snapshot`, { headers: { authorization: `Bearer ${SECRET}` } })).status).toBe(200);
  });
});
