import { afterEach, describe, expect, it } from 'vitest';
import { rawHttp, slowClient } from '../tests/support/raw-wire.js';
import { REPLY_PAGE_PATH } from '../platform-contract/contract.js';
import { startLoopbackPlatform, TEST_ADMIN_TOKEN, type LoopbackPlatform } from './testing.js';

/**
 * The red-team sweep of the reference platform (after #13): slow clients, and
 * the headers of the pages a browser opens (fleet, review, phone page). Each
 * failed before its fix.
 */
let platform: LoopbackPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
});

describe('platform red team: slow clients', () => {
  it('drops a client that trickles its request head (slowloris) with 408 once the head timeout passes, and keeps serving', async () => {
    platform = await startLoopbackPlatform({ limits: { headersMs: 300, requestMs: 600, checkIntervalMs: 100 } });
    const slow = await slowClient(platform.server.port, 'GET /v1/content/current HTTP/1.1\r\nHost: platform\r\n', 'X-Slow: 1\r\n', { everyMs: 100, giveUpMs: 5_000 });
    expect(slow.status).toBe(408);
    expect(slow.afterMs).toBeLessThan(3_000);
    const body = JSON.stringify({ records: [] });
    const slowBody = await slowClient(platform.server.port, `POST /v1/records HTTP/1.1\r\nHost: platform\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 1000}\r\n\r\n`, ' ', { everyMs: 100, giveUpMs: 5_000 });
    expect(slowBody.status).not.toBe(-1);
    expect(slowBody.afterMs).toBeLessThan(3_000);
    expect(await rawHttp(platform.server.port, 'GET /admin/stats HTTP/1.1\r\nHost: platform\r\n\r\n')).toBe(401);
  });
});

describe('platform red team: page headers', () => {
  it('the fleet page, the review pages and their CSV, and the phone page are never framed, sniffed or cached', async () => {
    platform = await startLoopbackPlatform();
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const pages = [
      await fetch(`${platform.url}/admin/fleet`, { headers: auth }),
      await fetch(`${platform.url}/review`),
      await fetch(`${platform.url}/review`, { headers: auth }),
      await fetch(`${platform.url}/review/report.csv`, { headers: auth }),
      await fetch(`${platform.url}/review/no-such-page`, { headers: auth }),
      await fetch(`${platform.url}${REPLY_PAGE_PATH}${'a'.repeat(43)}`),
    ];
    for (const page of pages) {
      expect(page.headers.get('x-frame-options'), page.url).toBe('DENY');
      expect(page.headers.get('x-content-type-options'), page.url).toBe('nosniff');
      expect(page.headers.get('cache-control'), page.url).toBe('no-store');
      expect(page.headers.get('content-security-policy'), page.url).toMatch(/frame-ancestors 'none'/);
    }
  });
});
