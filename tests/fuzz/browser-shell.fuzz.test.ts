import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../electron/contract/index.js';
import { startBrowserShellServer, type BrowserShellServer } from '../../electron/browser-shell/server.js';
import { parseConfig } from '../../electron/host/config/load.js';
import { startHost, type KioskHost } from '../../electron/host/index.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { seededRandom } from '../../electron/common/random.js';
import { hostileHttpRequest, hostileWebSocketCase } from './generate.js';
import { fuzzHttp, fuzzSeed, fuzzWebSocket } from './run.js';

// The browser shell as a kiosk runs it: a real host with every module behind
// the real HTTP/WebSocket server. Issue #13: each of these servers must take
// ≥ 10,000 hostile cases and still answer.
const CASES = 10_000;
let dir: string;
let host: KioskHost;
let shell: BrowserShellServer;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liuliu-fuzz-shell-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<html><head></head><body>kiosk</body></html>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  host = await startHost(parseConfig({ queue: { listen: { port: 0 } } }, 'fuzz', { LIULIU_DATA_DIR: join(dir, 'data') }), { logger: silentLogger() });
  shell = await startBrowserShellServer({ rendererDir, bridgeScript: '/*bridge*/', port: 0, logger: silentLogger(), onConnection: (c) => host.attach(c) });
  token = new URL(shell.launchUrl).hash.slice('#token='.length);
}, 60_000);

afterAll(async () => {
  await shell?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function stillAnswers(): Promise<void> {
  expect((await fetch(`${shell.origin}/assets/app.js`)).status).toBe(200);
  const reply = await host.handle(JSON.stringify({ type: 'call', id: 1, method: 'system.ping', params: { echo: 'alive' } }));
  expect(JSON.parse(reply ?? '{}')).toMatchObject({ ok: true });
}

describe('fuzz: browser shell', () => {
  it(`survives ${CASES} hostile HTTP requests`, async () => {
    const rng = seededRandom(fuzzSeed(1301));
    const routes = ['/', '/index.html', '/assets/app.js', '/__liuliu/bridge.js', '/rpc', `/rpc?token=${token}`];
    const tally = await fuzzHttp(shell.port, Array.from({ length: CASES }, () => hostileHttpRequest(rng, routes)));
    expect(tally.answered + tally.hung).toBe(CASES);
    expect(tally.hung).toBe(0);
    await stillAnswers();
  }, 240_000);

  it(`survives ${CASES} hostile WebSocket sessions, with and without the token`, async () => {
    const rng = seededRandom(fuzzSeed(1302));
    const messages = [
      JSON.stringify({ type: 'call', id: 1, method: 'system.ping', params: {} }),
      JSON.stringify({ type: 'call', id: 2, method: 'queue.categories', params: {} }),
      JSON.stringify({ type: 'call', id: 3, method: 'robot.ask', params: { text: '\u0000'.repeat(10) } }),
      JSON.stringify({ type: 'call', id: 4, method: 'session.end', params: {} }),
    ];
    const cases = Array.from({ length: CASES }, (_, i) =>
      hostileWebSocketCase(rng, { validPath: i % 4 === 0 ? '/rpc' : `/rpc?token=${token}`, origin: shell.origin, maxPayload: MAX_MESSAGE_BYTES, messages }),
    );
    const tally = await fuzzWebSocket(shell.port, cases);
    expect(tally.answered).toBe(CASES);
    expect(tally.statuses['101']).toBeGreaterThan(CASES / 2);
    await stillAnswers();
  }, 300_000);
});
