import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../../renderer/src/api/client.js';
import { parseConfig } from '../config/load.js';
import { startHost, type KioskHost } from '../index.js';
import { memoryPipe } from '../rpc/memory-transport.js';
import { nextEvent } from '../../../tests/support/host.js';

let host: KioskHost | undefined;
const dataDirs: string[] = [];
afterEach(async () => {
  await host?.stop();
  host = undefined;
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function boot(session: Record<string, unknown> = {}, idcard: Record<string, unknown> = { kind: 'simulator' }): Promise<{ client: ApiClient; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-session-'));
  dataDirs.push(dataDir);
  host = await startHost(parseConfig({ developerMode: true, session, devices: { idcard }, logging: { level: 'debug' }, queue: { listen: { port: 0 } } }, 'test', { LIULIU_DATA_DIR: dataDir }));
  const pipe = memoryPipe();
  host.attach(pipe.host);
  return { client: createApiClient(pipe.renderer), dataDir };
}

describe('citizen session from the simulated reader over a pty', () => {
  it('starts on a card with masked identity only, refuses a second card, and leaves no name behind', async () => {
    const { client, dataDir } = await boot();
    const started = nextEvent(client, 'session.changed', (e) => e.session?.kind === 'citizen');
    expect((await client.call('dev.idcard.place', { cardId: 'zhang' })).ok).toBe(true);
    const { session } = await started;
    expect(session).toMatchObject({ kind: 'citizen', maskedName: '张*丰', maskedIdNumber: '430181********1239', gender: 'male', senior: false });
    expect(session?.age).toBeGreaterThanOrEqual(46);
    expect(JSON.stringify(session)).not.toContain('张三丰');

    // Another person's card while logged in: a notice, never a silent switch.
    // (The citizen takes her card away — the session stays, by the default policy — and someone else places theirs.)
    const busy = nextEvent(client, 'card.notice', (n) => n.state === 'busy');
    await client.call('dev.idcard.remove', {});
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await client.call('dev.idcard.place', { cardId: 'exampleB' });
    expect((await busy).say).toEqual({ code: 'card.busy', params: {} });
    const current = await client.call('session.current', {});
    expect(current.ok && current.value?.maskedName).toBe('张*丰');

    const ended = nextEvent(client, 'session.changed', (e) => e.session === null);
    await client.call('session.end', { reason: 'logout' });
    expect((await ended).reason).toBe('logout');

    await host?.stop();
    host = undefined;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the log transport flushes in a worker
    const stored = filesUnder(dataDir).map((file) => readFileSync(file).toString('utf8')).join('\n');
    expect(stored).toContain('430181********1239'); // the log did record the session, masked
    expect(stored).not.toContain('张三丰');
    expect(stored).not.toContain('430181198001011239');
  });

  it('says it is reading a card before the session starts, and ends that notice on the citizen\'s own card', async () => {
    const { client } = await boot({}, { kind: 'simulator', pollIntervalMs: 100 });
    const seen: string[] = [];
    client.on('card.notice', (n) => seen.push(`notice:${n.state}`));
    client.on('session.changed', (e) => seen.push(`session:${e.reason}`));

    const reading = nextEvent(client, 'card.notice', (n) => n.state === 'reading');
    const started = nextEvent(client, 'session.changed', (e) => e.session?.kind === 'citizen');
    await client.call('dev.idcard.place', { cardId: 'zhang' });
    expect(await reading).toEqual({ state: 'reading', say: { code: 'card.reading', params: {} } });
    const sessionId = (await started).session?.id;
    // The renderer drops its notices when a card starts the session.
    expect(seen).toEqual(['notice:reading', 'session:card']);

    // She lifts her card and puts it back: read again, the session goes on, and `read` ends the reading notice.
    const removed = nextEvent(client, 'card.notice', (n) => n.state === 'removed');
    await client.call('dev.idcard.remove', {});
    expect(await removed).toEqual({ state: 'removed', say: { code: 'card.removed', params: {} } });
    const read = nextEvent(client, 'card.notice', (n) => n.state === 'read');
    await client.call('dev.idcard.place', { cardId: 'zhang' });
    await read;
    expect(seen).toEqual(['notice:reading', 'session:card', 'notice:removed', 'notice:reading', 'notice:read']);
    const current = await client.call('session.current', {});
    expect(current.ok && current.value?.id).toBe(sessionId);
  });

  it('takes the poll interval and read attempts from the host config', () => {
    const config = parseConfig({ devices: { idcard: { kind: 'serial', path: '/dev/ttyUSB0', pollIntervalMs: 50, readAttempts: 2 } } }, 'test', { LIULIU_DATA_DIR: tmpdir() });
    expect(config.devices.idcard).toMatchObject({ kind: 'serial', pollIntervalMs: 50, readAttempts: 2 });
    expect(() => parseConfig({ devices: { idcard: { kind: 'simulator', pollIntervalMs: 1 } } }, 'test', { LIULIU_DATA_DIR: tmpdir() })).toThrow(/pollIntervalMs/);
  });

  it('refuses a card whose ID number fails its check digit', async () => {
    const { client } = await boot();
    const notices: string[] = [];
    client.on('card.notice', (n) => notices.push(n.state));
    const refused = nextEvent(client, 'card.notice', (n) => n.state === 'refused');
    await client.call('dev.idcard.place', { cardId: 'badCheckDigit' });
    expect((await refused).say.code).toBe('card.invalid');
    // The refusal replaces the reading notice.
    expect(notices).toEqual(['reading', 'refused']);
    expect((await client.call('session.current', {})).ok).toBe(true);
    const current = await client.call('session.current', {});
    expect(current.ok && current.value).toBeNull();
  });

  it('counts down before the idle timeout; a touch cancels it; then the timeout ends the session', async () => {
    const { client } = await boot({ idleTimeoutSeconds: 10, countdownSeconds: 4 });
    const begun = await client.call('session.begin', {});
    expect(begun.ok && begun.value.kind).toBe('anonymous');
    const counting = await nextEvent(client, 'session.countdown', (e) => e.secondsLeft !== null);
    expect(counting.secondsLeft).toBeLessThanOrEqual(4);
    const cancelled = nextEvent(client, 'session.countdown', (e) => e.secondsLeft === null);
    await client.call('session.touch', {});
    await cancelled;
    const timedOut = await nextEvent(client, 'session.changed', (e) => e.session === null, 20_000);
    expect(timedOut.reason).toBe('timeout');
  }, 40_000);
});
