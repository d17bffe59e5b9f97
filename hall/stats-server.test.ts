import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { hashPin } from '../electron/host/staff/credentials.js';
import { pageKey, startHallServer, type HallServer } from './server.js';
import { PIN, recordingLogger, requestId, serviceFixture, testSocket, until, type Fixture } from './testing.js';
import { HallStats, helloProof, type PageRole } from './protocol/index.js';

/** The statistics page's access: a stats page key, then the manager PIN (the one staff-credential model). */
const SECRET = 'hall-secret-for-stats-tests';
const MANAGER_PIN = '975310';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(managerPinHash: string | null = hashPin(MANAGER_PIN)) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = recordingLogger(lines);
  const f: Fixture = await serviceFixture('2026-11-25T10:00:00+08:00', { logger, ...(managerPinHash === null ? {} : { managerPinHash }) });
  cleanups.push(() => f.cleanup());
  const server: HallServer = await startHallServer({ service: f.service, secret: SECRET, port: 0, host: '127.0.0.1', logger });
  cleanups.push(() => server.close());
  return { f, server, lines };
}

/** A page's socket: hello with its page key, then calls. */
const page = (url: string, role: PageRole) => testSocket(url, role, pageKey(SECRET, role), cleanups);

const range = { from: '2026-11-25', to: '2026-11-25' };

describe('statistics page: manager credential', () => {
  it('opens the figures with the manager PIN only', async () => {
    const { server } = await setup();
    const call = await page(server.wsUrl, 'stats');
    const login = await call('managerLogin', { pin: MANAGER_PIN });
    expect(login.ok).toBe(true);
    const token = z.object({ token: z.string() }).parse(login.value).token;
    const stats = await call('hallStats', { token, ...range });
    expect(stats.ok).toBe(true);
    expect(HallStats.parse(stats.value).rows.find((r) => r.scope === 'hall' && r.hour === null)).toMatchObject({ day: '2026-11-25', issued: 0 });
  });

  it('refuses and logs a wrong PIN, a missing or made-up token, and a counter PIN', async () => {
    const { server, lines } = await setup();
    const call = await page(server.wsUrl, 'stats');
    expect((await call('managerLogin', { pin: '000000' })).error?.code).toBe('bad-credentials');
    await until('the refusal logged', () => lines.some((l) => l.staffId === 'manager' && l.reason === 'wrong' && l.where === 'statistics page'));
    // a counter's PIN is not the manager's
    expect((await call('managerLogin', { pin: PIN })).error?.code).toBe('bad-credentials');
    expect((await call('hallStats', range)).error?.code).toBe('bad-request');
    expect((await call('hallStats', { token: 'made-up-token-123456', ...range })).error?.code).toBe('not-logged-in');
    expect(lines.some((l) => l.msg === 'queue: statistics refused: no valid manager session')).toBe(true);
  });

  it('locks the manager identity after 5 wrong PINs: the right PIN is refused until the lock ends', async () => {
    const { f, server, lines } = await setup();
    const call = await page(server.wsUrl, 'stats');
    for (let i = 0; i < 5; i++) expect((await call('managerLogin', { pin: `11111${i}` })).error?.code).toBe('bad-credentials');
    const locked = await call('managerLogin', { pin: MANAGER_PIN });
    expect(locked.error?.code).toBe('bad-credentials');
    expect(lines.some((l) => l.staffId === 'manager' && l.reason === 'locked')).toBe(true);
    expect(f.service.staffFailures().filter((x) => x.staffId === 'manager')).toHaveLength(6);
    f.clock.advanceMinutes(16);
    expect((await call('managerLogin', { pin: MANAGER_PIN })).ok).toBe(true);
  });

  it('with no manager PIN configured the page stays shut (and says so in the log)', async () => {
    const { server, lines } = await setup(null);
    const call = await page(server.wsUrl, 'stats');
    expect((await call('managerLogin', { pin: MANAGER_PIN })).error?.code).toBe('unauthorized');
    expect(lines.some((l) => l.msg === 'queue: statistics login refused: no manager PIN configured')).toBe(true);
  });

  it('the manager identity cannot log in at a counter window, and page keys keep to their own methods', async () => {
    const { server } = await setup();
    const counter = await page(server.wsUrl, 'counter');
    expect((await counter('counterLogin', { windowNo: '3', staffId: 'manager', pin: MANAGER_PIN })).error?.code).toBe('bad-credentials');
    expect((await counter('managerLogin', { pin: MANAGER_PIN })).error?.code).toBe('unauthorized');
    const stats = await page(server.wsUrl, 'stats');
    expect((await stats('snapshot', {})).error?.code).toBe('unauthorized');
    expect((await stats('counterLogin', { windowNo: '1', staffId: 's1', pin: PIN })).error?.code).toBe('unauthorized');
  });

  it('the stats page key gets no ticket events, even when it asks for them (a counter key does)', async () => {
    const { f, server } = await setup();
    const heard = async (role: PageRole): Promise<string[]> => {
      const socket = new WebSocket(server.wsUrl);
      cleanups.push(() => socket.terminate());
      const kinds: string[] = [];
      await new Promise<void>((resolve) => {
        socket.on('message', (data) => {
          const m = z.looseObject({ type: z.string(), nonce: z.string().optional() }).parse(JSON.parse(String(data)));
          if (m.type === 'challenge') socket.send(JSON.stringify({ type: 'hello', role, proof: helloProof(pageKey(SECRET, role), m.nonce ?? '', role, undefined), events: true }));
          if (m.type === 'welcome') resolve();
          kinds.push(m.type);
        });
      });
      return kinds;
    };
    const stats = await heard('stats');
    const counter = await heard('counter');
    expect((await f.service.issue({ requestId: requestId(), categoryId: 'qc-integrated', kioskId: 'k1' })).ok).toBe(true);
    await until('the counter hears the event', () => counter.includes('event'));
    await new Promise((r) => setTimeout(r, 200));
    expect(stats).not.toContain('event');
  });
});
