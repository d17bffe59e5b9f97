import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../electron/host/config/load.js';
import { startHost, type KioskHost } from '../../electron/host/index.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { memoryPipe } from '../../electron/host/rpc/memory-transport.js';
import { createApiClient, type ApiClient } from '../../renderer/src/api/client.js';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../platform/testing.js';
import { callValue as call } from '../support/host.js';

/**
 * Appointment check-in inside a real host (embedded hall service, RPC over
 * the in-memory pipe, the ID-card and printer simulators) against the
 * reference platform: the appointment is pulled as the host starts; the
 * card path sends the hall only the keyed hash; the code path; the refusals
 * as outcomes; and a kiosk without the citizen-key secret.
 */
const terminal = { id: 'kiosk-appt', secret: 'kiosk-appt-secret-0123456789' };
const CITIZEN_KEY_SECRET = 'integration-citizen-key-secret';
const ZHANG = '430181198001011239';
const WEDNESDAY_10 = Date.parse('2026-11-25T10:00:00+08:00');

let host: KioskHost | undefined;
let platform: LoopbackPlatform | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await host?.stop();
  host = undefined;
  await platform?.close();
  platform = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function boot(options: { citizenKeySecret?: string; slots: number[] }): Promise<{ client: ApiClient; dataDir: string; codes: string[] }> {
  platform = await startLoopbackPlatform({ terminals: [terminal], citizenKeySecret: CITIZEN_KEY_SECRET });
  const codes: string[] = [];
  for (const minutes of options.slots) {
    const start = WEDNESDAY_10 + minutes * 60_000;
    const booked = await platform.admin.createAppointment({ idNumber: ZHANG, name: '张三丰', serviceId: 'ps-idcard-reissue', categoryId: 'qc-household', slotStart: new Date(start).toISOString(), slotEnd: new Date(start + 1_800_000).toISOString() });
    codes.push(booked.code);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-appt-int-'));
  dirs.push(dataDir);
  const config = parseConfig(
    {
      developerMode: true,
      terminalId: terminal.id,
      devices: { idcard: { kind: 'simulator' }, printer: { kind: 'simulator' }, scanner: { kind: 'none' } },
      platform: { baseUrl: platform.url, secret: terminal.secret, intervalSeconds: 3600, ...(options.citizenKeySecret === undefined ? {} : { citizenKeySecret: options.citizenKeySecret }) },
      queue: { listen: { port: 0 } },
      logging: { level: 'silent' },
    },
    'test',
    { LIULIU_DATA_DIR: dataDir },
  );
  const started = Date.now();
  host = await startHost(config, { logger: silentLogger(), now: () => new Date(WEDNESDAY_10 + (Date.now() - started)) });
  const pipe = memoryPipe();
  host.attach(pipe.host);
  return { client: createApiClient(pipe.renderer), dataDir, codes };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Checks in by code once the first pull has brought the appointments in (polling by code would be guessing: the hall service limits wrong codes). */
async function checkInWhenPulled(client: ApiClient, code: string) {
  await until(async () => (await host!.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM hall_appointments'))!.n > 0, 'the first appointment pull');
  return call(client, 'queue.checkIn', { requestId: crypto.randomUUID(), code });
}

describe('appointment check-in in the kiosk host', () => {
  it('by card: the hall gets the keyed hash only, the ticket is appointment priority and printed; a repeat answers the same ticket', async () => {
    const { client, codes } = await boot({ citizenKeySecret: CITIZEN_KEY_SECRET, slots: [10, 240] });
    // The later appointment is too early now: the code says when to come (and proves the pull has happened).
    expect(await checkInWhenPulled(client, codes[1]!)).toMatchObject({ kind: 'too-early', opensAt: new Date(WEDNESDAY_10 + 210 * 60_000).toISOString() });
    expect(await call(client, 'queue.checkIn', { requestId: crypto.randomUUID() })).toEqual({ kind: 'needs-card' });
    await call(client, 'dev.idcard.place', { cardId: 'zhang' });
    await until(async () => (await call(client, 'session.current', {}))?.kind === 'citizen', 'the citizen session');
    const requestId = crypto.randomUUID();
    const outcome = await call(client, 'queue.checkIn', { requestId });
    expect(outcome).toMatchObject({ kind: 'checked-in', ticket: { number: 'H001', priority: 'appointment', maskedName: '张*丰', printed: { ok: true } } });
    expect(await call(client, 'queue.checkIn', { requestId })).toEqual(outcome);
    // The same appointment by its code: already used.
    expect(await call(client, 'queue.checkIn', { requestId: crypto.randomUUID(), code: codes[0]! })).toEqual({ kind: 'used' });
    expect(await call(client, 'queue.checkIn', { requestId: crypto.randomUUID(), code: '00000000' })).toEqual({ kind: 'not-found' });
    // Guessing codes: after 10 wrong ones this kiosk's codes are not looked up for a while, and the screen says so (with until when).
    for (let i = 1; i < 10; i++) expect(await call(client, 'queue.checkIn', { requestId: crypto.randomUUID(), code: String(10_000_000 + i) })).toEqual({ kind: 'not-found' });
    expect(await call(client, 'queue.checkIn', { requestId: crypto.randomUUID(), code: codes[1]! })).toMatchObject({ kind: 'too-many-tries', retryAt: expect.any(String) });
    const tickets = await call(client, 'queue.myTickets', {});
    expect(tickets.map((t) => t.number)).toEqual(['H001']);
    // The hall's store holds the keyed hash and the masked name, never the ID number or the full name.
    const rows = await host!.context.db.all<Record<string, unknown>>('SELECT * FROM hall_appointments');
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toMatch(/430181198001011239|张三丰/);
  });

  it('without the citizen-key secret the card path says to type the code, and the code works', async () => {
    const { client, codes } = await boot({ slots: [0] });
    await call(client, 'dev.idcard.place', { cardId: 'zhang' });
    await until(async () => (await call(client, 'session.current', {}))?.kind === 'citizen', 'the citizen session');
    expect(await call(client, 'queue.checkIn', { requestId: crypto.randomUUID() })).toEqual({ kind: 'no-card-lookup' });
    expect(await checkInWhenPulled(client, codes[0]!)).toMatchObject({ kind: 'checked-in', ticket: { priority: 'appointment' } });
  });
});
