import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../electron/host/logging/logger.js';
import { PlatformClient } from '../electron/host/sync/client.js';
import { HolidayCalendar } from './deadlines.js';
import { startLoopbackPlatform, TEST_ADMIN_TOKEN, type LoopbackPlatform } from './testing.js';

const kioskA = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const kioskB = { id: 'kiosk-02', secret: 'kiosk-02-secret-0123456789' };
let clock = new Date('2026-12-04T02:00:00Z'); // Friday 10:00 in the hall
let platform: LoopbackPlatform;
const clients: PlatformClient[] = [];

function client(terminal: { id: string; secret: string }): PlatformClient {
  const created = new PlatformClient({ baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, now: () => clock, logger: silentLogger(), timeoutMs: 5_000 });
  clients.push(created);
  return created;
}

async function consult(terminal: { id: string; secret: string }, kind: 'consultation' | 'complaint', text: string): Promise<string> {
  const id = randomUUID();
  const sent = await client(terminal).pushBatch([{ id, kind, schemaVersion: 1, createdAt: clock.toISOString(), payload: { id, at: clock.toISOString(), category: '办事指南', text, serviceId: 'hr-employment-cert' } }]);
  expect(sent.ok && sent.value.acks[0]?.status).toBe('accepted');
  return id;
}

const staff = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(new URL(path, platform.url), { ...init, redirect: 'manual', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded', ...(init.headers ?? {}) } });

beforeEach(async () => {
  clock = new Date('2026-12-04T02:00:00Z');
  platform = await startLoopbackPlatform({ terminals: [kioskA, kioskB], now: () => clock });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await platform.close();
});

describe('answers to consultations and complaints', () => {
  it('reach only the terminal the consultation came from, in answer order, with a cursor', async () => {
    const first = await consult(kioskA, 'consultation', '灵活就业怎么办理社保？');
    const other = await consult(kioskB, 'complaint', '排队太久');
    await platform.admin.answerConsultation(first, '请携带身份证到 2 楼人社窗口办理。');
    await platform.admin.answerConsultation(other, '已转窗口负责人。');
    const page = await client(kioskA).replies(null, 10);
    expect(page.ok && page.value.replies.map((r) => [r.recordId, r.kind, r.text])).toEqual([[first, 'consultation', '请携带身份证到 2 楼人社窗口办理。']]);
    const next = page.ok ? await client(kioskA).replies(page.value.cursor, 10) : undefined;
    expect(next?.ok && next.value.replies).toEqual([]);
  });

  it('refuses a reply to an unknown consultation, an empty one and a second one, storing nothing', async () => {
    const unknown = await staff('/review/consultations/no-such-id/reply', { method: 'POST', body: 'text=好的' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('no consultation or complaint no-such-id');
    const id = await consult(kioskA, 'consultation', '问题');
    expect((await staff(`/review/consultations/${id}/reply`, { method: 'POST', body: 'text=%20%20' })).status).toBe(400);
    // A rating is not something staff answer.
    const rating = randomUUID();
    await client(kioskA).pushBatch([{ id: rating, kind: 'rating', schemaVersion: 1, createdAt: clock.toISOString(), payload: { stars: 5 } }]);
    expect((await staff(`/review/consultations/${rating}/reply`, { method: 'POST', body: 'text=谢谢' })).status).toBe(404);
    expect((await platform.server.replies.since(kioskA.id, 0, 10)).replies).toEqual([]);
    await platform.admin.answerConsultation(id, '第一次答复');
    expect((await staff(`/review/consultations/${id}/reply`, { method: 'POST', body: 'text=第二次' })).status).toBe(409);
    expect((await platform.server.replies.since(kioskA.id, 0, 10)).replies.map((r) => r.text)).toEqual(['第一次答复']);
  });

  it('shows the deadline on the staff page, the answer on the phone page, and a report whose CSV matches the page', async () => {
    const late = await consult(kioskA, 'consultation', '问题一');
    await consult(kioskA, 'complaint', '问题二');
    clock = new Date('2026-12-08T02:00:00Z'); // Tuesday: Monday (the 1st working day) has passed
    const yellow = await (await staff('/review/consultations')).text();
    expect(yellow.match(/level-yellow/g)).toHaveLength(2);
    clock = new Date('2026-12-09T02:00:00Z'); // Wednesday: red card
    expect((await (await staff('/review/consultations')).text()).match(/level-red/g)).toHaveLength(2);
    await platform.admin.answerConsultation(late, '迟到的答复');

    // The phone page opens by the token on her slip only (platform/phone-page.test.ts), never by the record id.
    expect((await fetch(new URL(`/m/consultations/${late}`, platform.url))).status).toBe(404);

    const csv = await (await staff('/review/report.csv?month=2026-12')).text();
    expect(csv).toBe('department,received,answered,overdue,warned,averageReplyHours\r\n未指定部门,2,1,2,0,120\r\n');
    const html = await (await staff('/review/report?month=2026-12')).text();
    expect(html).toContain('<tr><td>未指定部门</td><td>2</td><td>1</td><td>2</td><td>0</td><td>120</td></tr>');
    expect((await staff('/review/report?month=2026-13')).status).toBe(400);
  });

  it('refuses a holiday calendar with malformed days', () => {
    expect(() => HolidayCalendar.parse({ holidays: ['2026/10/01'] })).toThrow();
  });
});
