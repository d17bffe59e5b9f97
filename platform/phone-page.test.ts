import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import { PlatformClient } from '../electron/host/sync/client.js';
import { REPLY_PAGE_PATH, REPLY_PAGE_TOKEN, replyPageKey } from '../platform-contract/contract.js';
import { PhonePageLimiter } from './phone-page.js';
import { startLoopbackPlatform, type LoopbackPlatform } from './testing.js';

// The citizen's phone page behind the QR on her consultation slip.
const kiosk = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
let platform: LoopbackPlatform;
let client: PlatformClient;
const TEXT = '我叫张三丰，电话13800000000，想问灵活就业怎么办社保？';

beforeEach(async () => {
  platform = await startLoopbackPlatform({ terminals: [kiosk] });
  client = new PlatformClient({ baseUrl: platform.url, terminalId: kiosk.id, secret: kiosk.secret, now: () => new Date(), logger: silentLogger(), timeoutMs: 5_000 });
});
afterEach(async () => {
  client.close();
  await platform.close();
});

async function consult(token: string | null): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  const payload = { id, at, category: 'policy', text: TEXT, phone: '13800000000', ...(token === null ? {} : { replyPageKey: replyPageKey(token) }) };
  const sent = await client.pushBatch([{ id, kind: 'consultation', schemaVersion: 1, createdAt: at, payload }]);
  expect(sent.ok && sent.value.acks[0]?.status).toBe('accepted');
  return id;
}

const open = (token: string) => fetch(new URL(`${REPLY_PAGE_PATH}${token}`, platform.url));

describe('the phone page behind the slip QR', () => {
  it('shows the status and then the answer by the token, nothing personal, and never by the record id', async () => {
    const token = randomBytes(32).toString('base64url');
    expect(token).toMatch(REPLY_PAGE_TOKEN);
    const id = await consult(token);
    const before = await open(token);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('no-store');
    const pending = await before.text();
    expect(pending).toContain('待答复');
    expect(pending).toContain('政策咨询');
    for (const personal of ['张三丰', '13800000000', '灵活就业']) expect(pending).not.toContain(personal);

    await platform.admin.answerConsultation(id, '请携带身份证到 2 楼人社窗口 <b>办理</b>。');
    const answered = await (await open(token)).text();
    expect(answered).toContain('已答复');
    expect(answered).toContain('请携带身份证到 2 楼人社窗口 &lt;b&gt;办理&lt;/b&gt;。');

    expect((await fetch(new URL(`${REPLY_PAGE_PATH}${id}`, platform.url))).status).toBe(404);
    expect((await open(randomBytes(32).toString('base64url'))).status).toBe(404);
    // A record from before the QR (no key) has no page.
    await consult(null);
    expect((await open('A'.repeat(43))).status).toBe(404);
  });

  it('rate-limits a client that keeps trying unknown tokens, then lets it back after the window', async () => {
    const token = randomBytes(32).toString('base64url');
    await consult(token);
    for (let i = 0; i < 10; i += 1) expect((await open(`nope-${i}`)).status).toBe(404);
    const limited = await open(token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    const limiter = new PhonePageLimiter({ perMinute: 3, failures: 2, failureWindowMs: 60_000, maxClients: 2 });
    expect([0, 1, 2, 3].map(() => limiter.admit('a', 1_000))).toEqual([0, 0, 0, 60_000]);
    expect(limiter.admit('a', 61_001)).toBe(0);
    limiter.fail('b', 0);
    limiter.fail('b', 10_000);
    expect(limiter.admit('b', 20_000)).toBe(40_000);
    expect(limiter.admit('b', 60_001)).toBe(0);
    // Bounded memory: a third client forgets the oldest.
    limiter.admit('c', 60_002);
    expect(limiter.admit('a', 60_003)).toBe(0);
  });
});
