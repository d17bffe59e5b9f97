import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signRequest } from '../platform-contract/auth.js';
import { PATHS } from '../platform-contract/contract.js';
import { startLoopbackPlatform, type LoopbackPlatform } from './testing.js';

const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
let platform: LoopbackPlatform;

beforeEach(async () => {
  platform = await startLoopbackPlatform({ terminals: [terminal], maxBodyBytes: 64 * 1024 });
});
afterEach(async () => {
  await platform.close();
});

async function call(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown, extra: Record<string, string> = {}, as = terminal) {
  const bytes = Buffer.from(body === undefined ? '' : JSON.stringify(body));
  const headers = { ...extra, ...signRequest(as.id, as.secret, { method, pathAndQuery, body: bytes, timestamp: Math.floor(Date.now() / 1000) }) };
  const response = await fetch(platform.url + pathAndQuery, { method, headers, ...(method === 'POST' ? { body: bytes } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

const rating = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'rating', schemaVersion: 1, payload: { stars: 4 }, createdAt: '2026-03-02T08:00:00.000Z', ...extra });

describe('reference platform: records', () => {
  it('accepts new records, answers duplicate for known ids (also within one batch) and stores each once', async () => {
    const first = await call('POST', PATHS.recordsBatch, { records: [rating('a'), rating('b'), rating('a')] });
    expect(first.status).toBe(200);
    expect(first.json?.acks).toEqual([
      { id: 'a', status: 'accepted' },
      { id: 'b', status: 'accepted' },
      { id: 'a', status: 'duplicate' },
    ]);
    const again = await call('POST', PATHS.recordsBatch, { records: [rating('b'), rating('c')] });
    expect(again.json?.acks).toEqual([
      { id: 'b', status: 'duplicate' },
      { id: 'c', status: 'accepted' },
    ]);
    expect(await platform.admin.stats()).toMatchObject({ stored: 3, duplicatesSeen: 2, rejected: 0, perKind: { rating: 3 }, requests: { 'POST /v1/records:batch 200': 2 } });
    expect((await platform.server.store.record('a'))?.terminalId).toBe('kiosk-01');
  });

  it('rejects, per record, unknown kinds, too-new schema versions, bad payloads and malformed records', async () => {
    const response = await call('POST', PATHS.recordsBatch, {
      records: [rating('k', { kind: 'mystery' }), rating('v', { schemaVersion: 9 }), rating('p', { payload: { stars: 11 } }), { id: 'm', kind: 'rating' }, rating('ok')],
    });
    const acks = response.json?.acks as { id: string; status: string; reason?: string }[];
    expect(acks.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(acks[0]?.reason).toMatch(/unknown record kind "mystery"/);
    expect(acks[1]?.reason).toMatch(/newer than the platform supports \(latest 1\)/);
    expect(acks[2]?.reason).toMatch(/stars/);
    expect(acks[3]?.reason).toMatch(/malformed/);
    expect((await platform.admin.stats()).stored).toBe(1);
  });

  it('accepts a queue ticket event shaped as electron/host/queue queues it', async () => {
    const event = {
      id: '5f0c6a1e-3b7d-4c1e-9a55-0d6f7c1b2a90',
      kind: 'called',
      at: '2026-03-02T08:15:00.000Z',
      ticket: { id: 't-1', displayNo: 'G001', day: '2026-03-02', categoryId: 'hukou', maskedName: '王*' },
      windowNo: '53',
      staffId: 's-7',
      detail: {},
    };
    const response = await call('POST', PATHS.recordsBatch, { records: [{ id: event.id, kind: 'queue.ticket-event', schemaVersion: 1, payload: event, createdAt: event.at }] });
    expect(response.json?.acks).toEqual([{ id: event.id, status: 'accepted' }]);
  });

  it('refuses bodies over the limit with 413 and non-contract bodies with 400', async () => {
    const huge = await call('POST', PATHS.recordsBatch, { records: [rating('big', { payload: { stars: 1, blob: 'x'.repeat(100_000) } })] });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: { code: 'body_too_large' } });
    expect((await call('POST', PATHS.recordsBatch, { records: [] })).status).toBe(400);
    expect((await platform.admin.stats()).stored).toBe(0);
  });

  it('refuses unsigned, unknown and revoked terminals', async () => {
    expect((await fetch(platform.url + PATHS.contentCurrent)).status).toBe(401);
    expect((await call('GET', PATHS.contentCurrent, undefined, {}, { id: 'kiosk-99', secret: 'whatever-secret-012345' })).json).toMatchObject({ error: { code: 'unknown_terminal' } });
    await platform.admin.revokeTerminal('kiosk-01');
    expect((await call('GET', PATHS.contentCurrent)).status).toBe(403);
    await platform.admin.putTerminal('kiosk-01', 'a-brand-new-secret-0123');
    expect((await call('GET', PATHS.contentCurrent, undefined, {}, { id: 'kiosk-01', secret: 'a-brand-new-secret-0123' })).status).toBe(404);
  });

  it('guards the admin endpoints with the admin token', async () => {
    expect((await fetch(`${platform.url}/admin/stats`)).status).toBe(401);
    expect((await fetch(`${platform.url}/admin/stats`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });
});

describe('reference platform: fault injection', () => {
  it('fails every request at 100 % and recovers when switched off', async () => {
    await platform.admin.setFaults({ failPercent: 100 });
    const failed = await call('POST', PATHS.recordsBatch, { records: [rating('f')] });
    expect(failed.status).toBe(500);
    expect((await platform.admin.stats()).stored).toBe(0);
    await platform.admin.setFaults({ failPercent: 0 });
    expect((await call('POST', PATHS.recordsBatch, { records: [rating('f')] })).status).toBe(200);
  });

  it('stores the whole batch but acknowledges only part of it', async () => {
    await platform.admin.setFaults({ partialAckPercent: 100 });
    const response = await call('POST', PATHS.recordsBatch, { records: ['p1', 'p2', 'p3', 'p4'].map((id) => rating(id)) });
    expect((response.json?.acks as unknown[]).length).toBeLessThan(4);
    expect((await platform.admin.stats()).stored).toBe(4);
  });

  it('answers malformed JSON, or cuts the connection, after doing the work', async () => {
    await platform.admin.setFaults({ malformedPercent: 100 });
    const response = await fetch(platform.url + PATHS.recordsBatch, {
      method: 'POST',
      body: JSON.stringify({ records: [rating('m1')] }),
      headers: signRequest(terminal.id, terminal.secret, { method: 'POST', pathAndQuery: PATHS.recordsBatch, body: Buffer.from(JSON.stringify({ records: [rating('m1')] })), timestamp: Math.floor(Date.now() / 1000) }),
    });
    await expect(response.json()).rejects.toThrow();
    await platform.admin.setFaults({ malformedPercent: 0, dropPercent: 100 });
    await expect(call('POST', PATHS.recordsBatch, { records: [rating('d1')] })).rejects.toThrow();
    expect((await platform.admin.stats()).stored).toBe(2);
  });
});

describe('reference platform: content, case status, heartbeat', () => {
  it('serves the current content version with ETag and 304, and the package itself', async () => {
    const files = ['hall.json', 'services.json', 'intents.json'].map((path) => ({ path, bytes: Buffer.from(`{"file":"${path}"}`) }));
    const published = await platform.admin.publishContent('2026.03.1', files);
    const current = await call('GET', PATHS.contentCurrent);
    expect(current.status).toBe(200);
    expect(current.json).toMatchObject({ version: '2026.03.1', sha256: published.sha256 });
    expect(current.headers.get('etag')).toBe(`"2026.03.1:${published.sha256}"`);
    expect((await call('GET', PATHS.contentCurrent, undefined, { 'if-none-match': `"2026.03.1:${published.sha256}"` })).status).toBe(304);
    expect((await call('GET', PATHS.contentCurrent, undefined, { 'if-none-match': '"0000"' })).status).toBe(200);
    const bundle = await call('GET', '/v1/content/packages/2026.03.1');
    expect(bundle.json).toMatchObject({ version: '2026.03.1', sha256: published.sha256 });
    expect((await call('GET', '/v1/content/packages/nope')).status).toBe(404);
    expect((await call('GET', '/v1/content/packages/%E0%A4%A')).status).toBe(400);
  });

  it('pages case status changes by cursor', async () => {
    for (const status of ['受理', '审核', '办结']) await platform.admin.postCaseStatus({ caseId: 'C-1', status });
    const first = await call('GET', `${PATHS.caseStatusChanges}?limit=2`);
    expect(first.json).toMatchObject({ more: true, cursor: expect.any(String) as string });
    expect((first.json?.changes as { status: string }[]).map((c) => c.status)).toEqual(['受理', '审核']);
    const next = await call('GET', `${PATHS.caseStatusChanges}?limit=2&cursor=${String(first.json?.cursor)}`);
    expect(next.json).toMatchObject({ more: false, changes: [{ caseId: 'C-1', status: '办结' }] });
    expect((await call('GET', `${PATHS.caseStatusChanges}?cursor=abc`)).status).toBe(400);
  });

  it('records heartbeats and validates them', async () => {
    const heartbeat = { at: new Date().toISOString(), appVersion: '0.1.0', contentVersion: null, backlog: 2, deadLetters: 0, devices: { printer: { state: 'ok' } } };
    const response = await call('POST', PATHS.heartbeat, heartbeat);
    expect(response.status).toBe(200);
    expect(await platform.server.store.heartbeat('kiosk-01')).toEqual(heartbeat);
    expect((await call('POST', PATHS.heartbeat, { at: 'yesterday' })).status).toBe(400);
  });
});

describe('reference platform: hostile input (issue #13 findings 1 and 9)', () => {
  it('answers hostile request targets with 400/404 and keeps serving', async () => {
    const { rawHttp } = await import('../tests/support/raw-wire.js');
    const port = Number(new URL(platform.url).port);
    for (const target of ['//', '//@', '/%', '/v1/content/packages/%c0%ae', '/admin/terminals/%/revoke', '//evil.example/v1/heartbeat']) {
      expect([400, 401, 404], `GET ${target}`).toContain(await rawHttp(port, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
    }
    expect((await call('POST', PATHS.recordsBatch, { records: [rating('still-alive')] })).status).toBe(200);
  });

  it('does not grow its request counters with every unknown path', async () => {
    for (let i = 0; i < 50; i += 1) await fetch(`${platform.url}/probe-${i}`);
    const keys = Object.keys((await platform.admin.stats()).requests as Record<string, number>);
    expect(keys.filter((key) => key.includes('probe'))).toEqual([]);
    expect(keys.length).toBeLessThan(10);
  });
});
