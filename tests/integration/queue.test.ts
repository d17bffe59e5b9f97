import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseConfig } from '../../electron/host/config/load.js';
import { startHost, type KioskHost } from '../../electron/host/index.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { Hall } from '../../electron/host/content/schema.js';
import { hashPin } from '../../hall/index.js';
import { HallQueueService } from '../../hall/index.js';
import { pageKey, startHallServer, type PageRole } from '../../hall/index.js';
import { helloProof } from '../../hall/protocol/index.js';
import { DataKey } from '../../electron/host/storage/crypto.js';
import { Database } from '../../electron/host/storage/database.js';
import { Outbox, outboxMigrations } from '../../electron/host/storage/outbox.js';
import { memoryPipe } from '../../electron/host/rpc/memory-transport.js';
import { createApiClient, type ApiClient } from '../../renderer/src/api/client.js';
import type { DeviceStatus } from '../../electron/contract/index.js';
import { callValue as call } from '../support/host.js';

/**
 * The queue capability inside a real host (startHost, RPC over the in-memory
 * pipe, SQLite, the printer simulator over TCP, the embedded hall server over
 * real HTTP/WS): issuing, printing and its failures, priority from the ID
 * card, the session's tickets, the counter and display pages' access.
 */
const PIN = '2468';
const SECRET = 'hall-secret-for-tests';
const pinHash = hashPin(PIN);
const testHall = Hall.parse(JSON.parse(readFileSync(new URL('../../content/hall/hall.json', import.meta.url), 'utf8')));
/** A Wednesday morning in the hall (open), and a Sunday (closed). */
const WEDNESDAY = '2026-11-25T10:00:00+08:00';
const SUNDAY = '2026-11-29T10:00:00+08:00';

let host: KioskHost | undefined;
const dirs: string[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await host?.stop();
  host = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Booted {
  client: ApiClient;
  host: KioskHost;
  dataDir: string;
}

/** Where ticket QR codes point in these tests (a hall sets its own); `null` leaves the default, the hall server's loopback URL. */
const PUBLIC_BASE = 'https://queue.hall.example';

async function boot(options: { at?: string; idcard?: boolean; printer?: 'simulator' | 'none'; hallPort?: number; remoteUrl?: string; publicBaseUrl?: string | null } = {}): Promise<Booted> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-queue-int-'));
  dirs.push(dataDir);
  const config = parseConfig(
    {
      developerMode: true,
      devices: { idcard: options.idcard === true ? { kind: 'simulator' } : { kind: 'none' }, printer: { kind: options.printer ?? 'simulator' }, scanner: { kind: 'none' } },
      queue:
        options.remoteUrl === undefined
          ? {
              secret: SECRET,
              listen: { port: options.hallPort ?? 0 },
              counters: [{ staffId: 's1', pinHash }, { staffId: 's2', pinHash }],
              ...(options.publicBaseUrl === null ? {} : { publicBaseUrl: options.publicBaseUrl ?? PUBLIC_BASE }),
            }
          : { mode: 'remote', url: options.remoteUrl, secret: SECRET },
      logging: { level: 'silent' },
    },
    'test',
    { LIULIU_DATA_DIR: dataDir },
  );
  const at = Date.parse(options.at ?? WEDNESDAY);
  const started = Date.now();
  // The hall clock runs from `at`, so the test does not depend on the hour it runs at.
  host = await startHost(config, { logger: silentLogger(), now: () => new Date(at + (Date.now() - started)) });
  const pipe = memoryPipe();
  host.attach(pipe.host);
  return { client: createApiClient(pipe.renderer), host, dataDir };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function simulator(booted: Booted) {
  const sim = booted.host.context.printer?.simulator;
  if (!sim) throw new Error('no printer simulator');
  return sim;
}

async function deviceState(client: ApiClient, device: string): Promise<DeviceStatus | undefined> {
  return (await call(client, 'devices.status', {})).find((d) => d.device === device);
}

/** The hall server's URL, from the `hall` device status. */
async function hallUrl(client: ApiClient): Promise<string> {
  const hall = (await call(client, 'devices.status', {})).find((d) => d.device === 'hall');
  if (hall?.endpoint === undefined) throw new Error('no hall endpoint');
  return hall.endpoint;
}

/** A hall service reply as a page reads it: values are plain JSON. */
interface PageReply {
  ok: boolean;
  value?: { token?: string; called?: { displayNo: string } | null; recentCalls?: Array<{ displayNo: string; windowNo: string }> };
  error?: { code: string };
}

/** A counter or display page's WebSocket: hello with a page key, then calls. */
async function pageSocket(httpUrl: string, role: PageRole, key = pageKey(SECRET, role)) {
  const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws`);
  sockets.push(socket);
  const messages: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    waiters.forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = (predicate: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message')), 10_000);
      const check = (): void => {
        const found = messages.find(predicate);
        if (found) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        }
      };
      waiters.add(check);
      check();
    });
  const challenge = await next((m) => m['type'] === 'challenge');
  socket.send(JSON.stringify({ type: 'hello', role, proof: helloProof(key, String(challenge['nonce']), role, undefined) }));
  let id = 0;
  return {
    welcome: () => next((m) => m['type'] === 'welcome'),
    closed: () => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))),
    call: async (method: string, params: Record<string, unknown>): Promise<PageReply> => {
      const callId = ++id;
      socket.send(JSON.stringify({ type: 'call', id: callId, method, params }));
      const reply = await next((m) => m['type'] === 'result' && m['id'] === callId);
      return reply['result'] as PageReply;
    },
  };
}

describe('issuing and printing', () => {
  it('a kiosk whose hall server is only on loopback prints and shows no QR code rather than a dead one, and tells staff why', async () => {
    const booted = await boot({ publicBaseUrl: null });
    const ticket = await call(booted.client, 'queue.issue', { requestId: 'req-no-qr-0001', categoryId: 'qc-household' });
    expect(ticket.qrUrl).toBeNull();
    expect(ticket.qrDataUrl).toBeNull();
    const job = await simulator(booted).waitForJob((j) => j.text.includes(ticket.number));
    expect(job.text).not.toContain('/t/');
    expect(job.text).not.toContain('扫码');
    expect(await call(booted.client, 'queue.ticketLink', {})).toEqual({ base: null, problem: 'loopback' });
  });

  it('the catalog says which categories are closed and when they open next, with no waiting count for them', async () => {
    // Sunday 2026-11-29 10:00 in the hall: every category closed until Monday 08:30.
    const booted = await boot({ at: '2026-11-29T02:00:00Z' });
    const catalog = await call(booted.client, 'queue.catalog', {});
    for (const category of catalog.categories) {
      expect(category.issuing).toEqual({ open: false, reason: 'closed-day', nextOpening: '2026-11-30T00:30:00.000Z' });
      expect(category.waiting).toBeNull();
    }
  });

  it('a walk-in ticket is numbered, printed with its number, windows and QR, and a repeated request neither re-issues nor re-prints', async () => {
    const booted = await boot();
    const { client } = booted;
    const catalog = await call(client, 'queue.catalog', {});
    expect(catalog.categories.map((c) => c.id)).toContain('qc-household');
    expect(catalog.lifeEvents.length).toBeGreaterThan(5);
    expect(catalog.departments.find((d) => d.id === 'public-security')?.categoryId).toBe('qc-household');

    const ticket = await call(client, 'queue.issue', { requestId: 'req-walk-in-0001', categoryId: 'qc-household' });
    expect(ticket).toMatchObject({ number: 'H001', categoryName: '户政治安（身份证、户口）', floor: 2, peopleAhead: 0, priority: null, printed: { ok: true }, offline: false });
    expect(ticket.windows).toContain('53');
    expect(ticket.qrUrl).toBe(`${PUBLIC_BASE}/t/${ticket.id}`);
    expect(ticket.qrDataUrl).toMatch(/^data:image\/png;base64,/);

    const job = await simulator(booted).waitForJob((j) => j.text.includes('H001'));
    expect(job.complete).toBe(true);
    expect(job.text).toContain('51、52、53');
    expect(job.text).toContain(ticket.qrUrl ?? 'a QR URL');

    const again = await call(client, 'queue.issue', { requestId: 'req-walk-in-0001', categoryId: 'qc-household' });
    expect(again.number).toBe('H001');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(simulator(booted).jobs().filter((j) => j.text.includes('H001'))).toHaveLength(1);
    const second = await call(client, 'queue.issue', { requestId: 'req-walk-in-0002', categoryId: 'qc-household' });
    expect(second).toMatchObject({ number: 'H002', peopleAhead: 1 });
  });

  it('a citizen who chose English gets her ticket printed in English (the simulator decodes the job)', async () => {
    const booted = await boot();
    const { client } = booted;
    await call(client, 'session.locale', { locale: 'en' });
    const ticket = await call(client, 'queue.issue', { requestId: 'req-english-0001', categoryId: 'qc-household' });
    const job = await simulator(booted).waitForJob((j) => j.text.includes(ticket.number));
    expect(job.complete).toBe(true);
    expect(job.issues).toEqual([]);
    expect(job.text).toContain('Your queue number');
    expect(job.text).toContain('Household registration (ID cards, hukou)');
    expect(job.text).toMatch(/Where: Floor 2, windows 51, 52, 53/);
    expect(job.text).toContain('Waiting before you: 0');
    expect(job.text).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
  });

  it('a service from the robot or the guide queues in its category; unknown categories and services are refused as not_found', async () => {
    const { client } = await boot({ printer: 'none' });
    const target = await call(client, 'queue.forService', { serviceId: 'xz-birth-one-thing' });
    expect(target.category.id).toBe('qc-integrated');
    const ticket = await call(client, 'queue.issue', { requestId: 'req-service-0001', serviceId: 'xz-birth-one-thing' });
    expect(ticket).toMatchObject({ number: 'A001', categoryId: 'qc-integrated', serviceName: target.serviceName });
    // No printer configured: the ticket is valid and the screen says to keep the number.
    expect(ticket.printed).toMatchObject({ ok: false, reason: 'no_printer' });

    const unknownCategory = await client.call('queue.issue', { requestId: 'req-unknown-0001', categoryId: 'qc-nope' });
    expect(unknownCategory.ok ? null : unknownCategory.error).toMatchObject({ code: 'not_found', details: { queueCode: 'unknown-category' } });
    const unknownService = await client.call('queue.issue', { requestId: 'req-unknown-0002', serviceId: 'no-such-service' });
    expect(unknownService.ok ? null : unknownService.error).toMatchObject({ code: 'not_found' });
    const both = await client.call('queue.issue', { requestId: 'req-unknown-0003', serviceId: 'xz-birth-one-thing', categoryId: 'qc-integrated' });
    expect(both.ok ? null : both.error).toMatchObject({ code: 'bad_request' });
    const unknownLookup = await client.call('queue.forService', { serviceId: 'no-such-service' });
    expect(unknownLookup.ok ? null : unknownLookup.error).toMatchObject({ code: 'not_found' });
  });

  it('a closed hall refuses with the next opening, and nothing is printed', async () => {
    const booted = await boot({ at: SUNDAY });
    const closed = await booted.client.call('queue.issue', { requestId: 'req-closed-0001', categoryId: 'qc-household' });
    expect(closed.ok ? null : closed.error).toMatchObject({ code: 'refused', details: { queueCode: 'closed', reason: 'closed-day', nextOpening: '2026-11-30T00:30:00.000Z' } });
    expect(closed.ok ? null : closed.error.say).toEqual({ code: 'queue.closed', params: { reason: 'closed-day', category: '户政治安（身份证、户口）', nextOpening: '2026-11-30T00:30:00.000Z' } });
    expect(simulator(booted).jobs()).toHaveLength(0);
  });

  it('paper out: the ticket is still issued and shown with the printer message, and the printer status is raised', async () => {
    const booted = await boot();
    simulator(booted).setState({ paperOut: true });
    const ticket = await call(booted.client, 'queue.issue', { requestId: 'req-paper-0001', categoryId: 'qc-tax' });
    expect(ticket.number).toBe('G001');
    expect(ticket.printed).toEqual({ ok: false, reason: 'paper_out', say: { code: 'queue.notPrinted', params: { reason: 'paper_out' } } });
    await until(async () => (await deviceState(booted.client, 'printer'))?.state === 'error', 'printer status error');
    expect((await deviceState(booted.client, 'printer'))?.reason).toEqual({ code: 'device.printerFault', params: { reason: 'paper_out' } });
    // The number exists in the hall queue: the next ticket is G002 and the counter can call G001.
    simulator(booted).setState({ paperOut: false });
    const next = await call(booted.client, 'queue.issue', { requestId: 'req-paper-0002', categoryId: 'qc-tax' });
    expect(next).toMatchObject({ number: 'G002', printed: { ok: true } });
    await until(async () => (await deviceState(booted.client, 'printer'))?.state === 'ok', 'printer status ok again');
  });

  it('a printer that disconnects mid-ticket: the ticket is issued, the message shown, the device status raised', async () => {
    const booted = await boot();
    simulator(booted).failNextJob('drop-mid-job');
    const ticket = await call(booted.client, 'queue.issue', { requestId: 'req-drop-0001', categoryId: 'qc-hrss' });
    expect(ticket.number).toBe('B001');
    expect(ticket.printed.ok).toBe(false);
    expect(ticket.printed.ok === false && ticket.printed.reason).toBe('disconnected');
    expect(ticket.printed.ok === false && ticket.printed.say).toEqual({ code: 'queue.notPrinted', params: { reason: 'disconnected' } });
    await until(async () => (await deviceState(booted.client, 'printer'))?.state === 'disconnected', 'printer status disconnected');
  });
});

describe('citizens and sessions', () => {
  it('a logged-in 75-year-old gets an elderly priority ticket with her masked name; her tickets are listed and wiped at session end', async () => {
    const booted = await boot({ idcard: true });
    const { client } = booted;
    await call(client, 'dev.idcard.place', { cardId: 'elder' });
    await until(async () => (await call(client, 'session.current', {}))?.kind === 'citizen', 'the citizen session', 20_000);
    const session = await call(client, 'session.current', {});
    expect(session?.senior).toBe(true);

    const ticket = await call(client, 'queue.issue', { requestId: 'req-elder-0001', categoryId: 'qc-hrss' });
    expect(ticket).toMatchObject({ number: 'B001', priority: 'elderly', maskedName: session?.maskedName });
    const job = await simulator(booted).waitForJob((j) => j.text.includes('B001'));
    expect(job.text).toContain('老年人优先');
    expect(job.text).toContain(`姓名：${session?.maskedName ?? '?'}`);
    expect(job.text).not.toContain('李秀英');

    expect((await call(client, 'queue.myTickets', {})).map((t) => t.number)).toEqual(['B001']);
    await call(client, 'session.end', { reason: 'logout' });
    await call(client, 'session.begin', {});
    expect(await call(client, 'queue.myTickets', {})).toEqual([]);
  });
});

describe('the embedded hall server: counter and display pages', () => {
  it('is reported as the hall device; a counter calls on an empty queue, then the ticket; a display key can only read', async () => {
    const booted = await boot();
    await until(async () => (await deviceState(booted.client, 'hall'))?.state === 'ok', 'hall status ok');
    const url = await hallUrl(booted.client);

    const counter = await pageSocket(url, 'counter');
    await counter.welcome();
    const login = await counter.call('counterLogin', { windowNo: '53', staffId: 's1', pin: PIN });
    expect(login.ok).toBe(true);
    const token = login.value?.token ?? '';
    const empty = await counter.call('callNext', { token });
    expect(empty).toMatchObject({ ok: true, value: { called: null, waiting: 0 } });

    const ticket = await call(booted.client, 'queue.issue', { requestId: 'req-counter-0001', categoryId: 'qc-household' });
    const called = await counter.call('callNext', { token });
    expect(called).toMatchObject({ ok: true, value: { called: { displayNo: ticket.number, windowNo: '53' } } });
    const mine = await call(booted.client, 'queue.myTickets', {});
    expect(mine).toEqual([]); // no session was running when it was issued

    const display = await pageSocket(url, 'display');
    await display.welcome();
    const snapshot = await display.call('snapshot', {});
    expect(snapshot.value?.recentCalls?.[0]).toMatchObject({ displayNo: ticket.number, windowNo: '53' });
    expect(await display.call('callNext', { token })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await display.call('issue', { requestId: 'req-display-0001', categoryId: 'qc-household', kioskId: 'x' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

    // A counter key is not a kiosk key, and a made-up key opens nothing.
    const kioskByPageKey = await pageSocket(url, 'counter', pageKey(SECRET, 'display'));
    expect(await kioskByPageKey.closed()).toBe(4401);
  });

  it('a hall port already taken does not stop the kiosk: tickets still issue, the hall device says why', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    try {
      const taken = (blocker.address() as AddressInfo).port;
      const booted = await boot({ printer: 'none', hallPort: taken });
      expect(await deviceState(booted.client, 'hall')).toMatchObject({ state: 'degraded' });
      expect((await deviceState(booted.client, 'hall'))?.reason).toMatchObject({ code: 'device.hallPortBusy', params: { port: taken } });
      expect(await call(booted.client, 'queue.issue', { requestId: 'req-port-0001', categoryId: 'qc-tax' })).toMatchObject({ number: 'G001' });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('two counters calling at the same instant through the hall server each get a different ticket', async () => {
    const booted = await boot({ printer: 'none' });
    await until(async () => (await deviceState(booted.client, 'hall'))?.state === 'ok', 'hall status ok');
    const url = await hallUrl(booted.client);
    for (let i = 1; i <= 4; i++) await call(booted.client, 'queue.issue', { requestId: `req-two-000${i}`, categoryId: 'qc-household' });
    const a = await pageSocket(url, 'counter');
    const b = await pageSocket(url, 'counter');
    await Promise.all([a.welcome(), b.welcome()]);
    const tokenA = (await a.call('counterLogin', { windowNo: '51', staffId: 's1', pin: PIN })).value?.token ?? '';
    const tokenB = (await b.call('counterLogin', { windowNo: '52', staffId: 's2', pin: PIN })).value?.token ?? '';
    const called: string[] = [];
    for (let round = 0; round < 2; round++) {
      const [ra, rb] = await Promise.all([a.call('callNext', { token: tokenA }), b.call('callNext', { token: tokenB })]);
      called.push(ra.value?.called?.displayNo ?? 'none', rb.value?.called?.displayNo ?? 'none');
    }
    expect(called.sort()).toEqual(['H001', 'H002', 'H003', 'H004']);
  });
});

describe('remote mode: a standalone hall service', () => {
  it('issues through the service; when it goes away the kiosk issues from its lease, prints so, and reports the hall offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-queue-hall-'));
    dirs.push(dir);
    const db = await Database.open(join(dir, 'hall.db'));
    await db.migrate('outbox', outboxMigrations);
    const at = Date.parse(WEDNESDAY);
    const started = Date.now();
    const now = (): Date => new Date(at + (Date.now() - started));
    const service = await HallQueueService.open({ hall: testHall, db, outbox: new Outbox(DataKey.loadOrCreate(join(dir, 'data.key'))), logger: silentLogger(), now, kioskId: 'hall' });
    const server = await startHallServer({ service, secret: SECRET, port: 0, logger: silentLogger() });
    let serverClosed = false;
    try {
      const booted = await boot({ remoteUrl: server.wsUrl });
      await until(async () => (await deviceState(booted.client, 'hall'))?.state === 'ok', 'hall connected');
      const online = await call(booted.client, 'queue.issue', { requestId: 'req-remote-0001', categoryId: 'qc-hrss' });
      expect(online).toMatchObject({ number: 'B001', offline: false, peopleAhead: 0 });
      // The hall service here listens on loopback, which no phone can open: the ticket carries no QR code rather than a dead one.
      expect(online.qrUrl).toBeNull();
      expect(online.qrDataUrl).toBeNull();
      // The kiosk holds offline numbers before the service goes away.
      await until(async () => ((await booted.host.context.db.get<{ n: number }>('SELECT count(*) AS n FROM queue_kiosk_leases'))?.n ?? 0) > 0, 'leases');

      await server.close();
      serverClosed = true;
      await until(async () => (await deviceState(booted.client, 'hall'))?.state === 'degraded', 'hall reported offline');
      const offline = await call(booted.client, 'queue.issue', { requestId: 'req-remote-0002', categoryId: 'qc-hrss' });
      expect(offline).toMatchObject({ offline: true, peopleAhead: null, printed: { ok: true } });
      expect(Number(offline.number.slice(1))).toBeGreaterThanOrEqual(900);
      const job = await simulator(booted).waitForJob((j) => j.text.includes(offline.number));
      expect(job.text).toContain('等候人数以叫号屏为准');
    } finally {
      if (!serverClosed) await server.close();
      await host?.stop();
      host = undefined;
      await db.close();
    }
  });
});
