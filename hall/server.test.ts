import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { silentLogger } from '../electron/host/logging/logger.js';
import { RemoteHallQueue } from '../electron/host/queue/remote.js';
import { helloProof } from './handshake.js';
import { startHallServer, type HallServer } from './server.js';
import { PIN, hall, openDatabase, requestId, serviceFixture, tempDir, type Fixture } from './testing.js';
import type { Database } from '../electron/host/storage/database.js';
import type { TicketEvent } from './protocol/types.js';

const SECRET = 'hall-secret-for-tests';

let fixture: Fixture | undefined;
let server: HallServer | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await server?.close();
  server = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

async function start(): Promise<{ f: Fixture; s: HallServer; staticDir: string }> {
  fixture = await serviceFixture('2026-11-25T10:00:00+08:00');
  const staticDir = join(fixture.dir, 'pages');
  mkdirSync(join(staticDir, 'counter'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<h1>display</h1>');
  writeFileSync(join(staticDir, 'counter', 'index.html'), '<h1>counter</h1>');
  writeFileSync(join(fixture.dir, 'secret.txt'), 'do not serve');
  server = await startHallServer({ service: fixture.service, secret: SECRET, port: 0, host: '127.0.0.1', staticDir, logger: silentLogger() });
  return { f: fixture, s: server, staticDir };
}

async function api(s: HallServer, method: string, body?: unknown, secret: string | null = SECRET): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers.authorization = `Bearer ${secret}`;
  const res = await fetch(`${s.httpUrl}/api/${method}`, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

function rawGet(s: HallServer, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

type Received = Array<Record<string, unknown>>;

/** Opens a raw socket, sends `messages` once the server's challenge came, and collects what comes back until it closes, `enough` holds, or 15 s pass. */
function rawSocket(
  s: HallServer,
  messages: string[] | ((nonce: string) => string[]),
  enough: (received: Received) => boolean = () => false,
): Promise<{ closeCode: number | null; received: Received }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(s.wsUrl);
    const received: Received = [];
    let closeCode: number | null = null;
    const finish = (): void => {
      clearTimeout(timer);
      socket.terminate();
      resolve({ closeCode, received });
    };
    const timer = setTimeout(finish, 15_000);
    socket.on('message', (data) => {
      const message = z.record(z.string(), z.unknown()).parse(JSON.parse(String(data)));
      received.push(message);
      if (message.type === 'challenge') (typeof messages === 'function' ? messages(String(message.nonce)) : messages).forEach((m) => socket.send(m));
      if (enough(received)) finish();
    });
    socket.on('close', (code) => {
      closeCode = code;
      clearTimeout(timer);
      resolve({ closeCode, received });
    });
  });
}

async function kioskDb(): Promise<Database> {
  const dir = tempDir('liuliu-kiosk-');
  const db = await openDatabase(join(dir, 'kiosk.db'));
  closers.unshift(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

describe('hall server: HTTP', () => {
  it('rejects a missing or wrong secret and serves the API with the right one', async () => {
    const { s } = await start();
    expect((await api(s, 'snapshot', undefined, null)).status).toBe(401);
    expect((await api(s, 'snapshot', undefined, 'wrong-secret')).json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const snapshot = await api(s, 'snapshot');
    expect(snapshot.status).toBe(200);
    expect((snapshot.json as { value: { categories: unknown[] } }).value.categories).toHaveLength(hall.queueCategories.length);

    const issued = await api(s, 'issue', { requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k-http' });
    expect(issued.json).toMatchObject({ ok: true, value: { ticket: { displayNo: 'A001' }, peopleAhead: 0 } });
    expect((await api(s, 'issue', { categoryId: 'qc-integrated' })).json).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await api(s, 'issue', { requestId: requestId(), categoryId: 'qc-zzz', kioskId: 'k' })).json).toMatchObject({ ok: false, error: { code: 'unknown-category' } });
    expect((await api(s, 'issue', '{not json')).status).toBe(400);
    expect((await api(s, 'no-such-method', {})).status).toBe(404);
  });

  it('serves the page behind the ticket QR code by ticket id, without a name and without the secret', async () => {
    const { s } = await start();
    const first = await api(s, 'issue', { requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k-qr', maskedName: '张*丰' });
    await api(s, 'issue', { requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k-qr' });
    const second = await api(s, 'issue', { requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k-qr' });
    const page = async (id: string): Promise<{ status: number; html: string }> => {
      const res = await fetch(`${s.httpUrl}/t/${id}`);
      return { status: res.status, html: await res.text() };
    };
    const firstId = (first.json as { value: { ticket: { id: string } } }).value.ticket.id;
    const secondId = (second.json as { value: { ticket: { id: string } } }).value.ticket.id;
    const mine = await page(secondId);
    expect(mine.status).toBe(200);
    expect(mine.html).toContain('A003');
    expect(mine.html).toContain('前面还有 <b>2</b> 人');
    const withName = await page(firstId);
    expect(withName.html).toContain('A001');
    expect(withName.html).not.toContain('张*丰');
    expect((await page('no-such-ticket-id')).status).toBe(404);
  });

  it('runs counter operations only with a session token from counterLogin', async () => {
    const { s } = await start();
    await api(s, 'issue', { requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k-http' });
    expect((await api(s, 'counterLogin', { windowNo: '3', staffId: 's1', pin: '9999' })).json).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
    const login = await api(s, 'counterLogin', { windowNo: '3', staffId: 's1', pin: PIN });
    const token = (login.json as { value: { token: string } }).value.token;
    expect((await api(s, 'callNext', { token: 'x'.repeat(32) })).json).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
    expect((await api(s, 'callNext', {})).json).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await api(s, 'callNext', { token })).json).toMatchObject({ ok: true, value: { called: { displayNo: 'A001', windowNo: '3' } } });
    expect((await api(s, 'callNext', { token })).json).toEqual({ ok: true, value: { called: null, finished: expect.objectContaining({ displayNo: 'A001' }), waiting: 0 } });
  });

  it('serves static pages from the given directory and nothing outside it', async () => {
    const { s } = await start();
    expect(await rawGet(s, '/')).toMatchObject({ status: 200, body: '<h1>display</h1>' });
    expect(await rawGet(s, '/counter/')).toMatchObject({ status: 200, body: '<h1>counter</h1>' });
    expect((await rawGet(s, '/../secret.txt')).status).toBe(404);
    expect((await rawGet(s, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await rawGet(s, '/missing.html')).status).toBe(404);
    expect(await rawGet(s, '/healthz')).toMatchObject({ status: 200 });
  });
});

describe('hall server: WebSocket', () => {
  it('closes sockets with a wrong secret, or that call before hello', async () => {
    const { s } = await start();
    const wrong = await rawSocket(s, [JSON.stringify({ type: 'hello', secret: 'nope-nope', role: 'kiosk' })]);
    expect(wrong.closeCode).toBe(4401);
    const early = await rawSocket(s, [JSON.stringify({ type: 'call', id: 1, method: 'snapshot', params: {} })]);
    expect(early.closeCode).toBe(4401);
    const garbage = await rawSocket(s, ['{"type":"hello"']);
    expect(garbage.closeCode).toBe(4400);
  });

  it('answers calls after hello, reports bad messages without dropping the socket, and pushes events', async () => {
    const { s } = await start();
    const { received, closeCode } = await rawSocket(
      s,
      (nonce) => [
        JSON.stringify({ type: 'hello', role: 'kiosk', kioskId: 'k-ws', proof: helloProof(SECRET, nonce, 'kiosk', 'k-ws') }),
        JSON.stringify({ type: 'call', id: 1, method: 'nope', params: {} }),
        'not json',
        JSON.stringify({ type: 'call', id: 2, method: 'issue', params: { requestId: requestId(), categoryId: 'qc-tax', kioskId: 'k-ws' } }),
      ],
      (r) => r.some((m) => m.type === 'event') && r.some((m) => m.type === 'result' && m.id === 2) && r.filter((m) => m.type === 'error').length >= 2,
    );
    expect(closeCode).toBeNull();
    expect(received.find((m) => m.type === 'welcome')).toMatchObject({ day: '2026-11-25' });
    expect(received.filter((m) => m.type === 'error')).toHaveLength(2);
    expect(received.find((m) => m.type === 'result' && m.id === 2)).toMatchObject({ result: { ok: true, value: { ticket: { displayNo: 'G001' } } } });
    expect(received.find((m) => m.type === 'event')).toMatchObject({ event: { kind: 'issued', ticket: { displayNo: 'G001' } } });
  });

  it('RemoteHallQueue: a kiosk and a counter share the service; the counter hears the events', async () => {
    const { s, f } = await start();
    const clientOptions = { url: s.wsUrl, secret: SECRET, hall, logger: silentLogger(), now: f.clock.now, reconnectMinMs: 50, reconnectMaxMs: 200 };
    const kiosk = await RemoteHallQueue.open({ ...clientOptions, kioskId: 'k1', db: await kioskDb() });
    const counter = await RemoteHallQueue.open({ ...clientOptions, kioskId: 'counter-3', db: await kioskDb(), role: 'counter' });
    closers.push(() => kiosk.close(), () => counter.close());
    expect(await kiosk.whenConnected(10_000)).toBe(true);
    expect(await counter.whenConnected(10_000)).toBe(true);
    const heard: TicketEvent[] = [];
    counter.subscribe((e) => heard.push(e));
    // Kiosks do not get the event stream unless they ask for it.
    const kioskHeard: TicketEvent[] = [];
    kiosk.subscribe((e) => kioskHeard.push(e));

    const issued = await kiosk.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1', maskedName: '赵*' });
    expect(issued).toMatchObject({ ok: true, value: { ticket: { displayNo: 'A001' }, offline: false, floor: 1 } });
    expect(await counter.callNext({ windowNo: '3', staffId: 's1' })).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
    expect(await counter.counterLogin({ windowNo: '3', staffId: 's1', pin: PIN })).toMatchObject({ ok: true });
    expect(await counter.callNext({ windowNo: '3', staffId: 's1' })).toMatchObject({ ok: true, value: { called: { displayNo: 'A001' } } });
    expect(await counter.recall({ windowNo: '3', staffId: 's1' })).toMatchObject({ ok: true, value: { recalls: 1 } });
    expect(await counter.finish({ windowNo: '3', staffId: 's1' })).toMatchObject({ ok: true, value: { status: 'finished' } });
    expect(await kiosk.issue({ requestId: requestId(), categoryId: 'qc-nope', kioskId: 'k1' })).toMatchObject({ ok: false, error: { code: 'unknown-category' } });
    const snapshot = await kiosk.snapshot();
    expect(snapshot).toMatchObject({ ok: true, value: { recentCalls: [{ displayNo: 'A001', windowNo: '3' }] } });
    for (let i = 0; i < 50 && heard.filter((e) => e.kind === 'finished').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(heard.map((e) => e.kind)).toEqual(['issued', 'called', 'recalled', 'finished']);
    expect(kioskHeard).toEqual([]);
  });
});
