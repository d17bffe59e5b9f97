import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiClient } from '../../../renderer/src/api/client.js';
import type { HostContext } from '../module.js';
import { SessionManager } from '../session/manager.js';
import { moduleHarness } from '../../../tests/support/host.js';
import { guideModule } from './module.js';

/**
 * The guide module on its own RPC server with real storage, the real receipt
 * printer simulator (TCP) and a real SessionManager: the whole path a call
 * takes, without depending on other capabilities being wired.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  client: ApiClient;
  context: HostContext;
  sessions: SessionManager;
  dataDir: string;
}

async function boot(): Promise<Harness> {
  const harness = await moduleHarness(cleanups, { printer: true });
  const sessions = new SessionManager(harness.context);
  cleanups.push(() => sessions.stop());
  const client = await harness.serve(guideModule(harness.context, sessions));
  return { client, context: harness.context, sessions, dataDir: harness.dataDir };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Prints ps-idcard-reissue's short form on the simulated receipt printer and returns the job as the simulator decoded it. */
async function printShortGuide(client: ApiClient, dataDir: string): Promise<string> {
  const receipt = await client.call('guide.print', { serviceId: 'ps-idcard-reissue', form: 'receipt' });
  expect(receipt.ok && receipt.value).toMatchObject({ kind: 'printed', form: 'receipt' });
  const jobsDir = join(dataDir, 'printer-jobs');
  return waitFor(() => {
    const file = existsSync(jobsDir) ? readdirSync(jobsDir).find((name) => name.endsWith('.txt')) : undefined;
    return file === undefined ? undefined : readFileSync(join(jobsDir, file), 'utf8');
  });
}

describe('guide module over the contract', () => {
  it('names the service, department and place in English for a citizen who chose English', async () => {
    const { client, sessions } = await boot();
    sessions.setLocale('en');
    const detail = await client.call('guide.detail', { serviceId: 'ps-idcard-reissue' });
    expect(detail.ok && detail.value.service.name).toBe('Resident ID card: replacement (lost card)');
    expect(detail.ok && detail.value.location).toBe('Floor 2, Public Security Bureau, windows 53, 54');
    // The long texts too, from the content's English: nothing is left in Chinese, so the screen shows no notice.
    if (!detail.ok) throw new Error('no detail');
    expect(detail.value.conditions[0]).toBe('Your Resident ID Card is lost');
    expect(detail.value.materials[0]).toMatchObject({ name: 'Household Register (户口簿)', note: 'When you apply where your household is registered; not needed elsewhere' });
    expect(detail.value.steps[0]).toMatchObject({ stage: 'Application', description: expect.stringContaining('Apply in person for a replacement') as unknown });
    expect(detail.value.fee).toBe('CNY 20 (ID card fee)');
    expect(detail.value.windowNotes[0]).toEqual({ window: '53', note: 'Resident ID card applications' });
    expect(detail.value.chineseOnly).toEqual([]);
    sessions.setLocale('zh-CN');
    const chinese = await client.call('guide.detail', { serviceId: 'ps-idcard-reissue' });
    expect(chinese.ok && chinese.value.materials[0]?.name).toBe('居民户口簿');
    sessions.setLocale('en');
    const search = await client.call('guide.search', { query: 'sfz' });
    expect(search.ok && search.value.find((hit) => hit.service.id === 'ps-idcard-reissue')?.service.departmentName).toBe('Public Security Bureau');
  });

  it('prints the short form and the A4 guide in English for a citizen who chose English', async () => {
    const { client, dataDir, sessions } = await boot();
    sessions.setLocale('en');
    const jobText = await printShortGuide(client, dataDir);
    expect(jobText).toContain('Service guide');
    expect(jobText).toContain('Resident ID card: replacement (lost card)');
    // Wrapped lines joined again (the renderer prefixes each printed line with its alignment).
    const joined = jobText.split('\n').map((line) => line.replace(/^\[[^\]]*\] /, '')).join(' ');
    expect(joined).toContain('Where: Floor 2, Public Security Bureau, windows 53, 54');
    expect(jobText).toContain('Materials:');
    expect(joined).toContain('Household Register (户口簿) (original, 1 copy; required;');
    expect(joined).toContain('Fee: CNY 20 (ID card fee)');
    expect(jobText).toContain('Online: At the window');
    expect(jobText).toMatch(/Printed: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(jobText).not.toContain('办事指南');
    expect(jobText).not.toContain('办理地点');

    const a4 = await client.call('guide.print', { serviceId: 'ps-idcard-reissue', form: 'a4' });
    expect(a4.ok && a4.value.kind).toBe('saved');
    if (a4.ok && a4.value.kind === 'saved') {
      expect(a4.value.pickup).toBe('the information desk on floor 1');
      const text = execFileSync('pdftotext', [a4.value.path, '-'], { encoding: 'utf8' });
      expect(text).toContain('Resident ID card: replacement (lost card)');
      expect(text).toContain('3. Materials');
      expect(text).toContain('Floor 2, Public Security Bureau, windows 53, 54');
      expect(text).toContain('Where:');
      expect(text).toContain('At the window');
      expect(text).not.toContain('办理材料');
      expect(text).toContain('Your Resident ID Card is lost');
      expect(text).toContain('Apply in person for a replacement');
      // Everything has its English: no note that texts are given in Chinese.
      expect(text).not.toContain('given in Chinese');
    }
  }, 60_000);

  it('searches, shows a guide, prints the short form on the simulated receipt printer and saves the A4 PDF', async () => {
    const { client, dataDir } = await boot();
    const search = await client.call('guide.search', { query: 'sfz' });
    expect(search.ok && search.value.map((h) => h.service.id)).toContain('ps-idcard-reissue');

    const detail = await client.call('guide.detail', { serviceId: 'ps-idcard-reissue' });
    expect(detail.ok && detail.value.location).toBe('2楼 公安局 53、54号窗口');
    const missing = await client.call('guide.detail', { serviceId: 'no-such' });
    expect(!missing.ok && missing.error.code).toBe('not_found');

    const jobText = await printShortGuide(client, dataDir);
    expect(jobText).toContain('居民身份证补领');
    expect(jobText).toContain('53、54号窗口');

    const a4 = await client.call('guide.print', { serviceId: 'ps-idcard-reissue', form: 'a4' });
    expect(a4.ok && a4.value.kind).toBe('saved');
    if (a4.ok && a4.value.kind === 'saved') {
      expect(a4.value.path.startsWith(join(dataDir, 'documents'))).toBe(true);
      expect(readFileSync(a4.value.path).subarray(0, 5).toString()).toBe('%PDF-');
    }
  }, 60_000);

  it('takes feedback into storage and the outbox, refuses bad input with the field, and attaches only a masked name', async () => {
    const { client, context, sessions } = await boot();
    const refused = await client.call('feedback.submit', { kind: 'rating', stars: 1, reasons: [] });
    expect(!refused.ok && refused.error).toMatchObject({ code: 'bad_request', details: { field: 'reasons' } });
    const badPhone = await client.call('feedback.submit', { kind: 'consultation', category: 'policy', text: '请电话联系我说明', phone: '110' });
    expect(!badPhone.ok && badPhone.error.details?.['field']).toBe('phone');
    const unknownService = await client.call('feedback.submit', { kind: 'rating', stars: 5, reasons: [], serviceId: 'no-such' });
    expect(!unknownService.ok && unknownService.error.code).toBe('not_found');

    sessions.cardPlaced({
      record: {
        name: '张三丰',
        gender: { code: '1', label: 'male', labelZh: '男' },
        nation: { code: '01', name: '汉' },
        birthDate: '1980-01-01',
        address: '湖南省浏阳市集里街道示例路1号',
        idNumber: '430181198001011239',
        issuingAuthority: '浏阳市公安局',
        validFrom: '2020-01-01',
        validTo: '2040-01-01',
      },
      appendedAddress: null,
      expired: false,
      readAt: new Date().toISOString(),
    });
    expect(sessions.current()?.kind).toBe('citizen');
    const rated = await client.call('feedback.submit', { kind: 'rating', stars: 2, reasons: ['long-wait'], departmentId: 'public-security' });
    expect(rated.ok && rated.value.kind).toBe('rating');

    const rows = await context.outbox.pending(context.db, 10);
    const rating = rows.find((row) => row.kind === 'rating');
    expect(rating?.payload).toMatchObject({ stars: 2, reasons: ['long-wait'], citizen: { maskedName: '张*丰' } });
    expect(JSON.stringify(rating?.payload)).not.toContain('张三丰');
    expect(JSON.stringify(rating?.payload)).not.toMatch(/\d{17}[\dXx]/);
    expect(await context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM feedback')).toEqual({ n: 1 });
  }, 60_000);

  it('lists a citizen\'s own consultations with the staff answers the sync pulled, and refuses without a card', async () => {
    const harness = await moduleHarness(cleanups, { printer: true });
    const sessions = new SessionManager(harness.context);
    cleanups.push(() => sessions.stop());
    const guide = guideModule(harness.context, sessions);
    const client = await harness.serve(guide);
    const refused = await client.call('feedback.mine', {});
    expect(!refused.ok && refused.error).toMatchObject({ code: 'refused', details: { reason: 'card-required' } });
    const card = (idNumber: string, name: string) => ({
      record: { name, gender: { code: '1', label: 'male' as const, labelZh: '男' }, nation: { code: '01', name: '汉' }, birthDate: '1980-01-01', address: '湖南省浏阳市集里街道示例路1号', idNumber, issuingAuthority: '浏阳市公安局', validFrom: '2020-01-01', validTo: '2040-01-01' },
      appendedAddress: null,
      expired: false,
      readAt: new Date().toISOString(),
    });
    sessions.cardPlaced(card('430181198001011239', '张三丰'));
    const mine = await client.call('feedback.submit', { kind: 'consultation', category: 'policy', text: '灵活就业社保怎么办理' });
    if (!mine.ok) throw new Error(mine.error.message);
    await sessions.end('logout');
    sessions.cardPlaced(card('430181199002022345', '李四'));
    await client.call('feedback.submit', { kind: 'complaint', category: 'attitude', text: '别人的投诉' });
    const other = await client.call('feedback.mine', {});
    expect(other.ok && other.value.map((f) => f.text)).toEqual(['别人的投诉']);
    await sessions.end('logout');

    // Replies pulled twice (a re-delivery after a crash) and one for a record this kiosk never sent.
    const reply = { seq: 1, recordId: mine.value.id, kind: 'consultation' as const, text: '请到 2 楼人社窗口', answeredAt: new Date().toISOString() };
    await guide.applyReplies([reply, { ...reply, seq: 2, recordId: 'not-ours' }]);
    await guide.applyReplies([reply]);
    sessions.cardPlaced(card('430181198001011239', '张三丰'));
    const back = await client.call('feedback.mine', {});
    expect(back.ok && back.value).toEqual([{ id: mine.value.id, kind: 'consultation', category: 'policy', text: '灵活就业社保怎么办理', receivedAt: mine.value.receivedAt, reply: { text: '请到 2 楼人社窗口', answeredAt: reply.answeredAt } }]);
    // Nothing of the ID number in the clear.
    const rows = JSON.stringify(await harness.context.db.all('SELECT * FROM feedback'));
    expect(rows).not.toContain('430181198001011239');
  });
});
