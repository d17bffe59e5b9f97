import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../electron/common/random.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { startHallServer, type HallServer } from '../../hall/server.js';
import { serviceFixture, type Fixture } from '../../hall/testing.js';
import { hostileHttpRequest, hostileWebSocketCase } from './generate.js';
import { fuzzHttp, fuzzSeed, fuzzWebSocket } from './run.js';

// The hall queue service's HTTP API and WebSocket under ≥ 10,000 hostile
// cases each (issue #13): it serves every kiosk, counter and display of a
// hall, so one bad frame must never stop the queue.
const CASES = 10_000;
const SECRET = 'fuzz-hall-secret';
let fixture: Fixture;
let hall: HallServer;

beforeAll(async () => {
  fixture = await serviceFixture();
  hall = await startHallServer({ service: fixture.service, secret: SECRET, port: 0, host: '127.0.0.1', logger: silentLogger(), helloTimeoutMs: 2000 });
});
afterAll(async () => {
  await hall?.close();
  await fixture?.cleanup();
});

async function stillAnswers(): Promise<void> {
  expect((await fetch(`${hall.httpUrl}/healthz`)).status).toBe(200);
  const snapshot = await fetch(`${hall.httpUrl}/api/snapshot`, { headers: { authorization: `Bearer ${SECRET}` } });
  expect(snapshot.status).toBe(200);
}

describe('fuzz: hall queue service', () => {
  it(`survives ${CASES} hostile HTTP requests`, async () => {
    const rng = seededRandom(fuzzSeed(1304));
    const routes = ['/healthz', '/api/snapshot', '/api/issue', '/api/ticket', '/api/counterLogin', '/api/callNext', '/t/abcdefgh-1234', '/counter', '/display', '/ws'];
    const tally = await fuzzHttp(hall.port, Array.from({ length: CASES }, () => hostileHttpRequest(rng, routes, [`Authorization: Bearer ${SECRET}`])));
    expect(tally.hung).toBe(0);
    expect(tally.answered).toBe(CASES);
    await stillAnswers();
  }, 300_000);

  it(`survives ${CASES} hostile WebSocket sessions`, async () => {
    const rng = seededRandom(fuzzSeed(1305));
    const messages = [
      JSON.stringify({ type: 'hello', secret: SECRET, role: 'kiosk', kioskId: 'fuzz' }),
      JSON.stringify({ type: 'hello', secret: 'wrong', role: 'counter' }),
      JSON.stringify({ type: 'call', id: 1, method: 'snapshot', params: {} }),
      JSON.stringify({ type: 'call', id: 2, method: 'issue', params: { categoryId: '\u0000', requestId: 'x' } }),
      JSON.stringify({ type: 'call', id: 3, method: 'uploadOffline', params: { kioskId: 'k', tickets: [{}] } }),
      JSON.stringify({ type: 'call', id: 4, method: 'callNext', params: { token: 'forged' } }),
    ];
    const cases = Array.from({ length: CASES }, () => hostileWebSocketCase(rng, { validPath: '/ws', maxPayload: 1 << 20, messages }));
    const tally = await fuzzWebSocket(hall.port, cases);
    expect(tally.answered).toBe(CASES);
    expect(tally.statuses['101']).toBeGreaterThan(CASES / 2);
    await stillAnswers();
  }, 300_000);
});
