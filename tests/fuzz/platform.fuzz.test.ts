import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../electron/common/random.js';
import { signRequest } from '../../platform-contract/auth.js';
import { PATHS } from '../../platform-contract/contract.js';
import { startLoopbackPlatform, TEST_ADMIN_TOKEN, type LoopbackPlatform } from '../../platform/testing.js';
import { hostileBody, hostileHttpRequest } from './generate.js';
import { fuzzHttp, fuzzSeed } from './run.js';

// The reference platform under ≥ 10,000 hostile requests (issue #13): unsigned
// garbage at every layer of HTTP, and correctly signed requests whose bodies
// and queries are hostile, so the handlers behind the signature check are hit too.
const CASES = 10_000;
const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
let platform: LoopbackPlatform;

beforeAll(async () => {
  platform = await startLoopbackPlatform({ terminals: [terminal], maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await platform?.close();
});

describe('fuzz: reference platform', () => {
  it(`survives ${CASES} hostile requests, signed and unsigned`, async () => {
    const rng = seededRandom(fuzzSeed(1303));
    const port = Number(new URL(platform.url).port);
    const routes = [...Object.values(PATHS), '/v1/content/packages/1.0.0', '/admin/stats', '/admin/faults', '/admin/terminals', '/admin/terminals/kiosk-01/revoke', '/admin/content', '/admin/cases/status'];
    const signedPaths = [PATHS.recordsBatch, PATHS.heartbeat, `${PATHS.caseStatusChanges}?cursor=0&limit=5`, PATHS.contentCurrent, '/v1/content/packages/%ff'];
    const requests = Array.from({ length: CASES }, (_, i) => {
      if (i % 3 !== 0) return hostileHttpRequest(rng, routes, [`Authorization: Bearer ${TEST_ADMIN_TOKEN}`]);
      const pathAndQuery = signedPaths[Math.floor(rng() * signedPaths.length)] as string;
      const method = pathAndQuery === PATHS.recordsBatch || pathAndQuery === PATHS.heartbeat ? 'POST' : 'GET';
      const body = method === 'POST' ? hostileBody(rng) : Buffer.alloc(0);
      const headers = signRequest(terminal.id, terminal.secret, { method, pathAndQuery, body, timestamp: Math.floor(Date.now() / 1000) });
      const lines = [`${method} ${pathAndQuery} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${body.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]);
    });
    const tally = await fuzzHttp(port, requests);
    expect(tally.hung).toBe(0);
    expect(tally.answered).toBe(CASES);
    // Still answers, and its counters did not grow a key per made-up path.
    const stats = await platform.admin.stats();
    expect(Object.keys(stats.requests as Record<string, number>).length).toBeLessThan(60);
    const body = Buffer.from(JSON.stringify({ records: [{ id: 'after-fuzz', kind: 'rating', schemaVersion: 1, payload: { stars: 5 }, createdAt: new Date().toISOString() }] }));
    const headers = signRequest(terminal.id, terminal.secret, { method: 'POST', pathAndQuery: PATHS.recordsBatch, body, timestamp: Math.floor(Date.now() / 1000) });
    expect((await fetch(platform.url + PATHS.recordsBatch, { method: 'POST', headers, body })).status).toBe(200);
  }, 300_000);
});
